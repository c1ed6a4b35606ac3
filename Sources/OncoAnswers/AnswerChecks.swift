import Foundation
import Yams

/// The hand-written checks for a graded question set, as the checks file holds them
/// (`bench/questions-dev-checks.yaml`): per question, the acceptable phrasings of each
/// required fact and the patterns that detect an assertion of each forbidden statement,
/// plus the shared vocabulary for referrals, doses, recommendations and negation.
///
/// A *pattern* is a list of terms that must all occur; a term is a case-insensitive
/// regular expression matched on word boundaries (and also in its plural or possessive,
/// "-s", "-es", "'s"), in which `{name}` stands for an alias
/// (`{carvykti}` → `carvykti|carvicty|ciltacabtagene autoleucel|cilta-cel`). A term written
/// `!term` must *not* occur in the same text (a forbidden "from a donor" that is not about
/// transplants: `["from a donor", "!transplant"]`).
public struct AnswerChecks: Codable, Sendable {
    /// Named alternations shared by every pattern, written once so that brand, generic and
    /// short names, spellings and numbers in digits or words are accepted everywhere.
    public var aliases: [String: String]
    /// Words that, before a forbidden pattern in the same clause, make the sentence deny it.
    public var negation: [String]
    /// The words that deny a forbidden pattern when they come shortly after it ("at 27 he
    /// is outside it"); default: the same as `negation`.
    public var trailingNegation: [String]?
    /// Words that end a clause, so that a negation before them does not reach past them.
    public var clauseBreaks: [String]
    /// Where a sentence splits into parts that each make their own assertion; a forbidden
    /// pattern must match inside one part (default: none).
    public var assertionBreaks: [String]?
    public var behaviour: BehaviourVocabulary
    public var items: [String: ItemChecks]

    public struct BehaviourVocabulary: Codable, Sendable {
        /// Any of these is a pointer to the care team or emergency services.
        public var referral: [String]
        /// Any of these is a dose (a refusal must not give one).
        public var dose: [String]
        /// Any of these, not negated, is a recommendation (a refusal must not make one).
        public var recommendation: [String]
    }

    public struct ItemChecks: Codable, Sendable {
        public var facts: [FactCheck]
        public var forbidden: [ForbiddenCheck]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            facts = try container.decodeIfPresent([FactCheck].self, forKey: .facts) ?? []
            forbidden = try container.decodeIfPresent([ForbiddenCheck].self, forKey: .forbidden) ?? []
        }
    }

    /// One required fact: it is present when any one of its phrasings is.
    public struct FactCheck: Codable, Sendable {
        /// The fact as the question set words it (for reports).
        public var fact: String
        /// How far apart the terms of one phrasing may be (default: two neighbouring sentences).
        public var scope: Scope?
        public var any: [Pattern]
    }

    /// One forbidden statement: asserted when any one pattern matches inside a sentence
    /// that does not negate it.
    public struct ForbiddenCheck: Codable, Sendable {
        public var statement: String
        /// False when the pattern is wrong however it is framed (a dose, or a pattern that
        /// already holds its own "no", such as "no CAR-T is approved for …").
        public var negatable: Bool?
        public var any: [Pattern]
    }

    public enum Scope: String, Codable, Sendable {
        /// All terms in one sentence.
        case sentence
        /// All terms within two neighbouring sentences ("Yescarta is … It uses …").
        case near
        /// All terms anywhere in the answer.
        case answer
    }

    /// Terms that must all occur; written in the file as a list, or one string for one term.
    public struct Pattern: Codable, Sendable, Hashable {
        public var terms: [String]

        public init(_ terms: [String]) { self.terms = terms }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                terms = [one]
            } else {
                terms = try container.decode([String].self)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(terms)
        }
    }
}

extension AnswerChecks {
    /// Reads a checks file.
    public static func load(_ url: URL) throws -> AnswerChecks {
        try parse(AnswerCheckError.read(url), path: url.path)
    }

    /// Reads checks from YAML text; `path` names it in errors.
    public static func parse(_ yaml: String, path: String = "the checks") throws -> AnswerChecks {
        do {
            return try YAMLDecoder().decode(AnswerChecks.self, from: yaml)
        } catch {
            throw AnswerCheckError.malformed(path: path, detail: AnswerCheckError.describe(error))
        }
    }
}
