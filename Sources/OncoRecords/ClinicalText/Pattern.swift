import Foundation

/// A compiled regular expression with String-index results (NSRegularExpression speaks
/// NSRange; this keeps the conversions in one place).
struct Pattern: Sendable {
    let regex: NSRegularExpression

    /// - Parameter wrapping: a space in `pattern` (outside a character class) matches any run of
    ///   whitespace, a line break included: a phrase such as "not amplified" is the same phrase when
    ///   the report wraps it after "not". Only for phrases whose callers bound the search range.
    init(_ pattern: String, caseInsensitive: Bool = true, wrapping: Bool = false) {
        // Patterns are literals in this module; a typo is a programming error caught by the tests.
        let source = wrapping ? Self.wrappingSpaces(pattern) : pattern
        regex = try! NSRegularExpression(pattern: source, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    /// Rewrites each literal space outside a character class as `\s+` (or `\s` when a quantifier
    /// follows it, so that "a ?b" keeps its meaning with any whitespace character).
    static func wrappingSpaces(_ pattern: String) -> String {
        var result = ""
        var inClass = false
        var escaped = false
        let characters = Array(pattern)
        for (index, character) in characters.enumerated() {
            defer { if character != "\\" || escaped { escaped = false } else { escaped = true } }
            if escaped { result.append(character); continue }
            if character == "[" { inClass = true } else if character == "]" { inClass = false }
            if character == " " && !inClass {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                result += next.map { "?*+{".contains($0) } == true ? "\\s" : "\\s+"
            } else {
                result.append(character)
            }
        }
        return result
    }

    struct Match {
        let range: Range<String.Index>
        let groups: [Range<String.Index>?]

        func group(_ index: Int, in text: String) -> String? {
            guard index > 0, index <= groups.count, let range = groups[index - 1] else { return nil }
            return String(text[range])
        }
    }

    func matches(in text: String, range: Range<String.Index>? = nil) -> [Match] {
        let searchRange = NSRange(range ?? text.startIndex..<text.endIndex, in: text)
        return regex.matches(in: text, range: searchRange).compactMap { result in
            guard let whole = Range(result.range, in: text) else { return nil }
            let groups = (1..<max(result.numberOfRanges, 1)).map { Range(result.range(at: $0), in: text) }
            return Match(range: whole, groups: groups)
        }
    }

    func firstMatch(in text: String, range: Range<String.Index>? = nil) -> Match? {
        matches(in: text, range: range).first
    }
}

/// Splits clinical text into sentences. A line break ends a sentence unless the line
/// runs on (no closing punctuation and the next line starts in lower case) — layout
/// text wraps long sentences, while lab tables and headings put one item per line.
enum SentenceSplitter {
    static func sentences(in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = text.startIndex
        var index = text.startIndex
        func close(at end: String.Index) {
            let trimmed = trim(start..<end, in: text)
            if !trimmed.isEmpty { result.append(trimmed) }
        }
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "\n" || character == "\u{0C}" {
                let previous = index > text.startIndex ? text[text.index(before: index)] : "."
                let following = text[next...].first { !$0.isWhitespace }
                let runsOn = character == "\n" && !".:;!?".contains(previous) && previous != "\n"
                    && ((following?.isLowercase ?? false) || wraps(lineEndingAt: index, in: text))
                if !runsOn {
                    close(at: index)
                    start = next
                }
            } else if character == "." || character == "!" || character == "?" || character == ";" {
                // ". " followed by an upper-case letter or a digit ends a sentence; "e.g." or "1.5" do not.
                if next < text.endIndex, text[next] == " " {
                    let following = text[next...].first { !$0.isWhitespace }
                    if character == ";" || following.map({ $0.isUppercase || $0.isNumber }) ?? true {
                        close(at: next)
                        start = next
                    }
                }
            }
            index = next
        }
        close(at: text.endIndex)
        return result
    }

    /// Whether the line ending at `newline` was wrapped by the layout although the next line
    /// starts with a capital ("… diagnosed\nJanuary 2024", "… from\nSeptember 2023"): the
    /// line is prose (long, no column gaps, not a capitals heading) and ends with a comma
    /// or a word that cannot end a sentence, or it is long and the next line is prose that
    /// is neither a list item nor a "Label:".
    static func wraps(lineEndingAt newline: String.Index, in text: String) -> Bool {
        let lineStart = text[..<newline].lastIndex(where: { $0 == "\n" || $0 == "\u{0C}" }).map { text.index(after: $0) } ?? text.startIndex
        let line = text[lineStart..<newline]
        let nextStart = text.index(after: newline)
        let nextEnd = text[nextStart...].firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) ?? text.endIndex
        let next = text[nextStart..<nextEnd]
        let isTable: (Substring) -> Bool = { $0.trimmingCharacters(in: .whitespaces).contains("   ") }
        guard !isTable(line), !isTable(next), line.contains(where: \.isLowercase) else { return false }
        if next.trimmingCharacters(in: .whitespaces).isEmpty || listItem.firstMatch(in: text, range: nextStart..<nextEnd) != nil { return false }
        let lastWord = line.split(whereSeparator: { !$0.isLetter }).last.map { $0.lowercased() } ?? ""
        if line.last == "," || line.last == "(" || line.last == "-" || continuationWords.contains(lastWord) { return true }
        return line.count >= 60 && label.firstMatch(in: text, range: nextStart..<nextEnd) == nil
    }

    static let continuationWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "from", "with", "by", "for", "until", "since", "than",
        "after", "before", "during", "into", "as", "is", "was", "were", "are", "showed", "shows", "diagnosed", "including",
        "received", "started", "then", "per", "via", "but", "his", "her", "their", "its", "this", "that", "which",
    ]
    static let listItem = Pattern(#"^\s*(?:\d{1,2}[.)]\s|[-*•·]\s|[A-Z][A-Za-z /()-]{1,30}:)"#, caseInsensitive: false)
    static let label = Pattern(#"^\s*[A-Z][A-Za-z /()-]{1,30}:"#, caseInsensitive: false)

    private static func trim(_ range: Range<String.Index>, in text: String) -> Range<String.Index> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, text[lower].isWhitespace { lower = text.index(after: lower) }
        while upper > lower, text[text.index(before: upper)].isWhitespace { upper = text.index(before: upper) }
        return lower..<upper
    }
}
