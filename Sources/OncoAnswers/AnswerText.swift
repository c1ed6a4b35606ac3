import Foundation

/// What an answer says, as sentences a checker can read: the statements of
/// `Answer.plainText` without the source list, related questions, upload invitation,
/// standing disclaimer and citation marks, with typographic dashes, quotes and symbols
/// folded to plain ones (so "≥ 2" and ">= 2", "CAR‑T" and "CAR-T" match alike).
public struct AnswerText: Sendable, Hashable {
    public let sentences: [String]

    public init(_ plainText: String) {
        sentences = Self.statementLines(plainText).flatMap(Self.split)
    }

    /// The sentences that state something: questions ("Is Kymriah lentiviral?", the
    /// questions to ask one's team) state no fact.
    public var statements: [String] { sentences.filter { !$0.hasSuffix("?") } }

    /// All statements as one text.
    public var whole: String { statements.joined(separator: " ") }

    /// Each statement with the one after it, for facts whose terms span two sentences.
    var neighbourPairs: [String] {
        let statements = statements
        return statements.indices.map { index in
            index + 1 < statements.count ? statements[index] + " " + statements[index + 1] : statements[index]
        }
    }

    /// Blocks of `plainText` that are not statements, by their heading.
    private static let nonStatementBlocks: Set<String> = ["SOURCES", "YOU MIGHT ALSO ASK"]

    private static func statementLines(_ plainText: String) -> [String] {
        let disclaimer = fold(AnswerComposer.disclaimer)
        var lines: [String] = [], skipping = false
        for raw in plainText.components(separatedBy: .newlines) {
            let line = fold(raw)
            if line.isEmpty { skipping = false; continue }
            if nonStatementBlocks.contains(line) { skipping = true; continue }
            if skipping || line == disclaimer || line.hasPrefix("Upload your records to OncoNav") { continue }
            lines.append(line)
        }
        return lines
    }

    private static let citationMarks = try! NSRegularExpression(pattern: "\\s*(\\[\\d+\\])+")
    private static let sentenceEnd = try! NSRegularExpression(pattern: "(?<=[.!?])[\"')\\]]?\\s+(?=[\"'(]?[\\p{Lu}\\p{N}])")
    private static let folds: [(String, String)] = [
        ("\u{2018}", "'"), ("\u{2019}", "'"), ("\u{201C}", "\""), ("\u{201D}", "\""),
        ("\u{2010}", "-"), ("\u{2011}", "-"), ("\u{2012}", "-"), ("\u{2013}", "-"), ("\u{2014}", " - "),
        ("\u{2212}", "-"), ("\u{2265}", ">="), ("\u{2264}", "<="), ("\u{00D7}", "x"),
        ("\u{00A0}", " "), ("\u{202F}", " "), ("\u{2009}", " "), ("•", " "),
    ]

    /// Typographic characters folded, citation marks removed, white space collapsed.
    static func fold(_ text: String) -> String {
        var out = text
        for (from, to) in folds { out = out.replacingOccurrences(of: from, with: to) }
        let ns = out as NSString
        out = citationMarks.stringByReplacingMatches(in: out, range: NSRange(location: 0, length: ns.length), withTemplate: "")
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Abbreviations whose full stop does not end a sentence ("the U.S. FDA").
    private static let abbreviations = [" u.s.", " u.k.", "e.g.", "i.e.", " vs.", " dr.", " st.", "approx.", "incl.", "et al.", " no. 1"]

    /// Sentences of one line: a split after . ! or ? followed by a capital or a digit
    /// ("e.g. the" and "1.5 mg" stay whole), except after an abbreviation.
    private static func split(_ line: String) -> [String] {
        let ns = line as NSString
        var sentences: [String] = [], cursor = 0
        for match in sentenceEnd.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            let before = ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            if abbreviations.contains(where: { before.lowercased().hasSuffix($0) }) { continue }
            sentences.append(before)
            cursor = NSMaxRange(match.range)
        }
        sentences.append(ns.substring(from: cursor))
        return sentences.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains(where: \.isLetter) }
    }
}
