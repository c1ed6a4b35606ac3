import Foundation

/// The ConText algorithm (Harkema et al., J Biomed Inform 2009 — the successor of NegEx):
/// trigger phrases ("modifiers") with a category and a direction modify the concepts in
/// their scope, which runs from the trigger to the end of the sentence (or back to its
/// start), stops at a terminating phrase or at the next trigger of the same category, and
/// may be capped by the rule's `max_scope` (in words).
///
/// The trigger lexicon is data: medspaCy's English `context_rules.json` (MIT) plus
/// OncoNav's extension for oncology reports, both in `Resources/ConText/` in medspaCy's
/// schema. Section headings ("Family history:", "Plan:") give every concept in their
/// section a category as well.
public struct ConText: Sendable {
    public enum Category: String, Sendable, Hashable, Codable, CaseIterable {
        case negated = "NEGATED_EXISTENCE"
        case possible = "POSSIBLE_EXISTENCE"
        case hypothetical = "HYPOTHETICAL"
        case historical = "HISTORICAL"
        case family = "FAMILY"
    }

    public enum Direction: String, Sendable, Hashable {
        case forward = "FORWARD", backward = "BACKWARD", bidirectional = "BIDIRECTIONAL"
        case terminate = "TERMINATE", pseudo = "PSEUDO"
    }

    /// One position of a rule: alternatives (each a sequence of tokens) and how often it may occur.
    struct TokenSpec: Sendable {
        enum Repeat: Sendable { case one, optional, zeroOrMore, oneOrMore }
        var alternatives: [[String]]
        var repeatKind: Repeat
    }

    public struct Rule: Sendable {
        public var literal: String
        public var category: Category?
        public var direction: Direction
        public var maxScope: Int?
        /// A terminating phrase that ends every category's scope (medspaCy's semantics for
        /// its own rules); otherwise only its own category's.
        public var terminatesAll: Bool
        /// A result word about the item just before it ("…, del(17p) NOT DETECTED"): its scope
        /// stops at a comma, so the rest of a list is not modified.
        public var stopsAtComma: Bool
        public var source: String
        var tokens: [TokenSpec]
    }

    public struct Section: Sendable {
        public var heading: String
        public var category: Category
    }

    public private(set) var rules: [Rule]
    public private(set) var sections: [Section]
    /// Rules by the lower-cased first token they can start with; rules whose first position
    /// is optional are tried everywhere.
    private var byFirstToken: [String: [Int]] = [:]
    private var anywhere: [Int] = []

    public init(rules: [Rule], sections: [Section]) {
        self.rules = rules
        self.sections = sections
        for (index, rule) in rules.enumerated() {
            guard let first = rule.tokens.first else { continue }
            if first.repeatKind == .optional || first.repeatKind == .zeroOrMore {
                anywhere.append(index)
            } else {
                for alternative in first.alternatives {
                    if let token = alternative.first { byFirstToken[token, default: []].append(index) }
                }
            }
        }
    }

    /// The lexicon shipped with OncoRecords.
    public static let standard: ConText = {
        do {
            return try ConText.loadBundled()
        } catch {
            // The files are part of the module; a missing or broken one is a build error the tests catch.
            fatalError("ConText lexicon could not be loaded: \(error)")
        }
    }()

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case invalid(String, String)

        public var description: String {
            switch self {
            case .missing(let file): "ConText rule file \(file) is missing"
            case .invalid(let file, let why): "ConText rule file \(file) is invalid: \(why)"
            }
        }
    }

    static func loadBundled() throws -> ConText {
        let files = [("medspacy-en-context-rules.json", true), ("onconav-context-rules.json", false)]
        var rules: [Rule] = []
        var sections: [Section] = []
        for (file, isMedspacy) in files {
            guard let url = Bundle.module.url(forResource: "Resources/ConText/" + file, withExtension: nil)
                ?? Bundle.module.url(forResource: (file as NSString).deletingPathExtension, withExtension: "json",
                                     subdirectory: "Resources/ConText") else {
                throw LoadError.missing(file)
            }
            let parsed = try parse(Data(contentsOf: url), file: file, terminatesAllByDefault: isMedspacy)
            rules += parsed.rules
            sections += parsed.sections
        }
        return ConText(rules: rules, sections: sections)
    }

    /// Reads a file in medspaCy's `context_rules` schema (plus optional `sections`).
    public static func parse(_ data: Data, file: String, terminatesAllByDefault: Bool = false) throws -> (rules: [Rule], sections: [Section]) {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["context_rules"] as? [[String: Any]] else {
            throw LoadError.invalid(file, "expected an object with a context_rules list")
        }
        var rules: [Rule] = []
        for (index, item) in list.enumerated() {
            guard let literal = item["literal"] as? String, let directionName = item["direction"] as? String,
                  let direction = Direction(rawValue: directionName.uppercased()) else {
                throw LoadError.invalid(file, "rule \(index + 1) needs literal and a known direction")
            }
            let categoryName = (item["category"] as? String)?.uppercased() ?? ""
            let category = Category(rawValue: categoryName)
            if category == nil && direction != .pseudo {
                throw LoadError.invalid(file, "rule \(index + 1) (\(literal)) has unknown category \(categoryName)")
            }
            var tokens: [TokenSpec] = []
            if let pattern = item["pattern"] as? [[String: Any]] {
                for spec in pattern {
                    var alternatives: [[String]] = []
                    if let word = spec["LOWER"] as? String {
                        alternatives = [tokenize(word)]
                    } else if let set = (spec["LOWER"] as? [String: Any])?["IN"] as? [String] {
                        alternatives = set.map(tokenize)
                    } else {
                        throw LoadError.invalid(file, "rule \(index + 1) (\(literal)): only LOWER and LOWER IN are supported")
                    }
                    let repeatKind: TokenSpec.Repeat = switch spec["OP"] as? String {
                    case "?": .optional
                    case "*": .zeroOrMore
                    case "+": .oneOrMore
                    default: .one
                    }
                    tokens.append(TokenSpec(alternatives: alternatives.filter { !$0.isEmpty }, repeatKind: repeatKind))
                }
            } else {
                tokens = tokenize(literal).map { TokenSpec(alternatives: [[$0]], repeatKind: .one) }
            }
            guard !tokens.isEmpty else { throw LoadError.invalid(file, "rule \(index + 1) has no tokens") }
            rules.append(Rule(literal: literal, category: category, direction: direction,
                              maxScope: item["max_scope"] as? Int,
                              terminatesAll: (item["terminates_all"] as? Bool) ?? terminatesAllByDefault,
                              stopsAtComma: (item["stop_at_comma"] as? Bool) ?? false,
                              source: file, tokens: tokens))
        }
        var sections: [Section] = []
        for item in root["sections"] as? [[String: Any]] ?? [] {
            guard let heading = item["heading"] as? String, let name = item["category"] as? String,
                  let category = Category(rawValue: name.uppercased()) else {
                throw LoadError.invalid(file, "a section needs a heading and a known category")
            }
            sections.append(Section(heading: tokenize(heading).joined(separator: " "), category: category))
        }
        return (rules, sections)
    }

    // MARK: - Tokens

    /// Words (letters and digits) and single punctuation marks, lower-cased.
    static func tokenize(_ text: String) -> [String] {
        tokens(in: text, range: text.startIndex..<text.endIndex).map(\.text)
    }

    struct Token {
        var text: String
        var range: Range<String.Index>
        var isWord: Bool
    }

    static func tokens(in text: String, range: Range<String.Index>) -> [Token] {
        var result: [Token] = []
        var index = range.lowerBound
        var depth = 0
        while index < range.upperBound {
            let character = text[index]
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) }
            if character == ";", depth > 0 {
                // "t(4;14)": a separator inside notation, not the end of a clause.
                let end = text.index(after: index)
                result.append(Token(text: "(;)", range: index..<end, isWord: false))
                index = end
            } else if character.isWhitespace {
                index = text.index(after: index)
            } else if character.isLetter || character.isNumber {
                var end = text.index(after: index)
                while end < range.upperBound, text[end].isLetter || text[end].isNumber { end = text.index(after: end) }
                result.append(Token(text: text[index..<end].lowercased(), range: index..<end, isWord: true))
                index = end
            } else {
                let end = text.index(after: index)
                result.append(Token(text: String(character).lowercased(), range: index..<end, isWord: false))
                index = end
            }
        }
        return result
    }

    // MARK: - Modifiers

    /// A matched trigger in a sentence and the part of the sentence it modifies.
    public struct Modifier: Sendable {
        public var category: Category?
        public var direction: Direction
        public var range: Range<String.Index>
        public var scope: Range<String.Index>
        public var literal: String
        var terminatesAll: Bool
    }

    /// The modifiers of one sentence, scopes resolved.
    func modifiers(in text: String, sentence: Range<String.Index>) -> [Modifier] {
        let tokens = Self.tokens(in: text, range: sentence)
        guard !tokens.isEmpty else { return [] }
        // 1. Every rule matched at every position.
        var matches: [(rule: Int, start: Int, end: Int)] = []
        for start in tokens.indices {
            for ruleIndex in (byFirstToken[tokens[start].text] ?? []) + anywhere {
                if let end = match(rules[ruleIndex].tokens, tokens: tokens, at: start), end > start {
                    matches.append((ruleIndex, start, end))
                }
            }
        }
        // 2. Longer matches win over the shorter ones they contain or overlap (medspaCy prunes so).
        matches.sort { ($0.end - $0.start, -$0.start) > ($1.end - $1.start, -$1.start) }
        var taken = [Bool](repeating: false, count: tokens.count)
        var kept: [(rule: Int, start: Int, end: Int)] = []
        for candidate in matches {
            // Rules matching exactly the same words are all kept ("ruled out" reads both ways).
            let sameSpan = kept.contains { $0.start == candidate.start && $0.end == candidate.end }
            guard sameSpan || !(candidate.start..<candidate.end).contains(where: { taken[$0] }) else { continue }
            kept.append(candidate)
            for position in candidate.start..<candidate.end { taken[position] = true }
        }
        kept.sort { $0.start < $1.start }
        // 3. Scopes: to the sentence end (forward) or start (backward), capped by max_scope words.
        var modifiers: [(Modifier, start: Int, end: Int, scopeStart: Int, scopeEnd: Int)] = []
        for (ruleIndex, start, end) in kept {
            let rule = rules[ruleIndex]
            var scopeStart = start, scopeEnd = end
            if rule.direction == .forward || rule.direction == .bidirectional {
                scopeEnd = tokens.count
                if let cap = rule.maxScope { scopeEnd = Self.advance(words: cap, from: end, in: tokens) }
            }
            if rule.direction == .backward || rule.direction == .bidirectional {
                scopeStart = 0
                if let cap = rule.maxScope { scopeStart = Self.retreat(words: cap, from: start, in: tokens) }
                if rule.stopsAtComma, let comma = tokens[scopeStart..<start].lastIndex(where: { $0.text == "," }) {
                    scopeStart = comma + 1
                }
            }
            if rule.stopsAtComma, rule.direction == .forward, let comma = tokens[end..<scopeEnd].firstIndex(where: { $0.text == "," }) {
                scopeEnd = comma
            }
            let modifier = Modifier(category: rule.category, direction: rule.direction,
                                    range: tokens[start].range.lowerBound..<tokens[end - 1].range.upperBound,
                                    scope: sentence, literal: rule.literal, terminatesAll: rule.terminatesAll)
            modifiers.append((modifier, start, end, scopeStart, scopeEnd))
        }
        // 4. A terminating phrase, or the next trigger of the same category, ends a scope.
        for index in modifiers.indices {
            let this = modifiers[index]
            guard this.0.direction != .terminate, this.0.direction != .pseudo else { continue }
            for other in modifiers where other.start != this.start {
                let limits = other.0.direction == .terminate
                    ? (other.0.terminatesAll || other.0.category == this.0.category)
                    : (other.0.direction != .pseudo && other.0.category == this.0.category)
                guard limits else { continue }
                if this.0.direction != .backward, other.start >= this.end {
                    modifiers[index].scopeEnd = min(modifiers[index].scopeEnd, other.start)
                }
                if this.0.direction != .forward, other.end <= this.start {
                    modifiers[index].scopeStart = max(modifiers[index].scopeStart, other.end)
                }
            }
        }
        return modifiers.compactMap { item in
            guard item.0.direction != .terminate, item.0.direction != .pseudo else { return nil }
            var modifier = item.0
            let lower = item.scopeStart < tokens.count ? tokens[item.scopeStart].range.lowerBound : sentence.upperBound
            let upper = item.scopeEnd > 0 ? tokens[item.scopeEnd - 1].range.upperBound : sentence.lowerBound
            modifier.scope = lower < upper ? lower..<upper : lower..<lower
            return modifier
        }
    }

    /// The token index `words` words after `start` (punctuation does not count).
    private static func advance(words: Int, from start: Int, in tokens: [Token]) -> Int {
        var count = 0, index = start
        while index < tokens.count {
            if tokens[index].isWord { count += 1 }
            if count > words { break }
            index += 1
        }
        return index
    }

    private static func retreat(words: Int, from start: Int, in tokens: [Token]) -> Int {
        var count = 0, index = start
        while index > 0 {
            if tokens[index - 1].isWord { count += 1 }
            if count > words { break }
            index -= 1
        }
        return index
    }

    /// Where a rule matching at `start` ends (exclusive), or nil.
    private func match(_ specs: [TokenSpec], tokens: [Token], at start: Int) -> Int? {
        func matchAlternative(_ alternative: [String], at position: Int) -> Int? {
            guard position + alternative.count <= tokens.count else { return nil }
            for (offset, word) in alternative.enumerated() where tokens[position + offset].text != word { return nil }
            return position + alternative.count
        }
        func step(_ specIndex: Int, _ position: Int) -> Int? {
            if specIndex == specs.count { return position }
            let spec = specs[specIndex]
            let once = spec.alternatives.compactMap { matchAlternative($0, at: position) }
            switch spec.repeatKind {
            case .one:
                for next in once { if let end = step(specIndex + 1, next) { return end } }
                return nil
            case .optional:
                for next in once { if let end = step(specIndex + 1, next) { return end } }
                return step(specIndex + 1, position)
            case .zeroOrMore, .oneOrMore:
                for next in once where next > position {
                    var repeated = specs
                    repeated[specIndex].repeatKind = .zeroOrMore
                    if let end = matchRepeat(repeated, specIndex, next) { return end }
                }
                return spec.repeatKind == .zeroOrMore ? step(specIndex + 1, position) : nil
            }
        }
        func matchRepeat(_ specs: [TokenSpec], _ specIndex: Int, _ position: Int) -> Int? {
            let spec = specs[specIndex]
            for alternative in spec.alternatives {
                if let next = matchAlternative(alternative, at: position), next > position, let end = matchRepeat(specs, specIndex, next) {
                    return end
                }
            }
            return step(specIndex + 1, position)
        }
        return step(0, start)
    }

    // MARK: - Sections

    /// Heading lines ("Family history:", "PLAN") and the category of the section each opens
    /// (nil for a heading the lexicon does not know, which still ends the previous section).
    func sectionSpans(in text: String) -> [(range: Range<String.Index>, category: Category)] {
        var headings: [(start: String.Index, bodyStart: String.Index, category: Category?)] = []
        var lineStart = text.startIndex
        var previousBlank = true
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            defer { previousBlank = line.allSatisfy(\.isWhitespace) }
            if let heading = Self.heading(of: line) ?? (previousBlank ? Self.titleHeading(of: line) : nil) {
                let name = Self.tokenize(String(heading.name)).joined(separator: " ")
                let category = sections.first { name == $0.heading || name.hasPrefix($0.heading + " ") }?.category
                headings.append((lineStart, heading.bodyStart, category))
            }
            lineStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
        }
        var spans: [(Range<String.Index>, Category)] = []
        for (index, heading) in headings.enumerated() {
            guard let category = heading.category else { continue }
            var end = index + 1 < headings.count ? headings[index + 1].start : text.endIndex
            // Family and history sections are a paragraph; a plan may run on over a list.
            let paragraphEnd = category == .hypothetical ? "\n\n\n" : "\n\n"
            let bodyText = text[heading.bodyStart..<max(end, heading.bodyStart)]
            if let blank = bodyText.range(of: paragraphEnd), !bodyText[..<blank.lowerBound].allSatisfy(\.isWhitespace) {
                end = min(end, blank.lowerBound)
            }
            spans.append((heading.bodyStart..<max(end, heading.bodyStart), category))
        }
        return spans
    }

    /// A short title line after a blank line ("Treatment history", "Family and social history"):
    /// at most five words, a capital first, no digits, no closing punctuation.
    static func titleHeading(of line: Substring) -> (name: Substring, bodyStart: String.Index)? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let body = trimmed.trimmingCharacters(in: .whitespaces)
        guard let first = body.first, first.isUppercase, body.count <= 40, body.split(separator: " ").count <= 5,
              body.allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" || $0 == "&" || $0 == "/" }) else { return nil }
        return (trimmed, line.endIndex)
    }

    /// "Family history: …" (a label of at most five words before a colon at the line start)
    /// or a heading line in capitals ("PLAN", "FAMILY HISTORY").
    static func heading(of line: Substring) -> (name: Substring, bodyStart: String.Index)? {
        // "3. COMPARISON WITH PRIOR FINDINGS", "B. COPY NUMBER": numbered headings.
        var trimmed = line.drop { $0 == " " || $0 == "\t" }
        if let marker = trimmed.firstIndex(of: "."), trimmed.distance(from: trimmed.startIndex, to: marker) <= 2,
           trimmed[..<marker].allSatisfy({ $0.isNumber || $0.isUppercase }), trimmed[trimmed.index(after: marker)...].first == " " {
            trimmed = trimmed[trimmed.index(after: marker)...].drop { $0 == " " }
        }
        guard let first = trimmed.first, first.isLetter else { return nil }
        if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon]
            let words = name.split(separator: " ")
            if !words.isEmpty, words.count <= 5, name.count <= 40,
               name.allSatisfy({ $0.isLetter || $0 == " " || $0 == "/" || $0 == "&" || $0 == "-" || $0 == "(" || $0 == ")" }) {
                return (name, trimmed.index(after: colon))
            }
        }
        let body = trimmed.trimmingCharacters(in: .whitespaces)
        if body.count >= 4, body.count <= 40, body.allSatisfy({ $0.isUppercase || $0 == " " || $0 == "&" || $0 == "/" }),
           body.split(separator: " ").count <= 5 {
            return (trimmed, line.endIndex)
        }
        return nil
    }
}
