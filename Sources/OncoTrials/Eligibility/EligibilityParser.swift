import Foundation

/// Cuts a study's free-text eligibility criteria into criteria — inclusion and exclusion
/// sections, bullets, numbering, nested lists and run-on paragraphs — and extracts the
/// structured constraints of each.
///
/// ```swift
/// let criteria = EligibilityParser().parse(study.eligibilityCriteria ?? "")
/// for criterion in criteria { print(criterion.kind, criterion.constraints.map(\.plainLanguage)) }
/// ```
public struct EligibilityParser: Sendable {
    public var extractor: ConstraintExtractor

    public init(lexicon: ConceptLexicon = .oncologyDefault) {
        self.extractor = ConstraintExtractor(lexicon: lexicon)
    }

    /// Parses criteria text; every returned criterion carries at least one constraint
    /// (`.needsReview` when nothing was recognised).
    public func parse(_ text: String) -> [Criterion] {
        segment(text).map { item in
            var criterion = item
            criterion.constraints = extractor.constraints(for: item.text, heading: item.heading, kind: item.kind)
            criterion.negated = extractor.isNegated(item.text)
            return criterion
        }
    }

    /// Only the segmentation (no constraint extraction; `constraints` is empty).
    public func segment(_ text: String) -> [Criterion] {
        var segmenter = Segmenter(text: text)
        segmenter.run()
        return segmenter.items
    }
}

/// The line-by-line state machine behind `EligibilityParser.segment`.
struct Segmenter {
    let text: String
    var items: [Criterion] = []
    var kind: Criterion.Kind = .inclusion
    var heading: String?
    /// Indentation of the open list levels.
    var indentStack: [Int] = []
    /// Index of the last item at each depth.
    var lastAtDepth: [Int] = []
    /// Whether the previous line belonged to an item (for continuation lines).
    var previousLineItem: Int?
    var offsetCache: (index: String.Index, offset: Int)

    init(text: String) {
        self.text = text
        self.offsetCache = (text.startIndex, 0)
    }

    static let sectionHeading = try! NSRegularExpression(
        pattern: #"^\s*(?:[-*#]+\s*)?(?:key\s+|main\s+|general\s+|additional\s+)?(inclusion|exclusion|eligibility|ineligibility)(?:\s+criteria)?(?:\s*\([^)]*\))?\s*[:.]?\s*"#,
        options: [.caseInsensitive])
    static let oldStyleHeading = try! NSRegularExpression(
        pattern: #"^\s*(disease characteristics|patient characteristics|prior concurrent therapy)\s*:?\s*$"#,
        options: [.caseInsensitive])
    static let bullet = try! NSRegularExpression(
        pattern: #"^(\s*)(?:[*\-•·▪–◦]|o(?=\s)|\d{1,2}\s*[.)](?!\d)|\(\d{1,2}\)|[a-z][.)](?=\s)|\([a-z]\)|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)](?=\s))\s*"#,
        options: [.caseInsensitive])
    static let inlineHeading = try! NSRegularExpression(
        pattern: #"(?:key\s+)?(inclusion|exclusion)\s+criteria\s*:"#, options: [.caseInsensitive])
    static let runOnSplit = try! NSRegularExpression(
        pattern: #"(?:;\s+|(?<=[a-z0-9)\]%])\.\s+(?=[A-Z])|\s(?=\(?\d{1,2}[.)]\s+[A-Z]))"#, options: [])

    mutating func run() {
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) ?? text.endIndex
            handleLine(lineStart..<lineEnd)
            lineStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
        }
    }

    func nsRange(_ range: Range<String.Index>) -> NSRange { NSRange(range, in: text) }

    mutating func handleLine(_ line: Range<String.Index>) {
        let content = text[line]
        guard content.contains(where: { !$0.isWhitespace }) else {
            previousLineItem = nil
            return
        }
        let ns = nsRange(line)
        // Section heading, possibly with text after it on the same line.
        if let match = Self.sectionHeading.firstMatch(in: text, options: [.anchored], range: ns),
           let word = Range(match.range(at: 1), in: text) {
            let lowered = text[word].lowercased()
            let rest = Range(match.range, in: text).map { $0.upperBound..<line.upperBound } ?? line
            let restText = text[rest].trimmingCharacters(in: .whitespaces)
            // "Eligibility" alone does not switch sections; "inclusion"/"exclusion" do.
            let isHeadingLike = restText.isEmpty || text[line].contains(":")
            if isHeadingLike {
                if lowered == "exclusion" || lowered == "ineligibility" { kind = .exclusion }
                if lowered == "inclusion" { kind = .inclusion }
                heading = nil
                indentStack = []
                lastAtDepth = []
                previousLineItem = nil
                if !restText.isEmpty { addParagraph(trim(rest)) }
                return
            }
        }
        if Self.oldStyleHeading.firstMatch(in: text, options: [.anchored], range: ns) != nil {
            kind = .inclusion
            heading = content.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ":")))
            indentStack = []
            lastAtDepth = []
            previousLineItem = nil
            return
        }
        if let match = Self.bullet.firstMatch(in: text, options: [.anchored], range: ns),
           let whole = Range(match.range, in: text), whole.upperBound < line.upperBound {
            let indent = text[line.lowerBound..<whole.lowerBound].count
                + (Range(match.range(at: 1), in: text).map { text[$0].reduce(0) { $0 + ($1 == "\t" ? 4 : 1) } } ?? 0)
            addBullet(trim(whole.upperBound..<line.upperBound), indent: indent)
            return
        }
        let trimmed = content.trimmingCharacters(in: .whitespaces)
        // A short line ending with a colon, or a short title-like line, is a heading
        // ("Hepatic:", "Performance status"); a long one ending with a colon is a preamble
        // ("… must meet all of the following criteria:").
        if trimmed.hasSuffix(":") {
            if trimmed.count <= 60 || trimmed.lowercased().contains("following") {
                if trimmed.count <= 60 { heading = String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) }
                previousLineItem = nil
                indentStack = []
                lastAtDepth = []
                return
            }
        }
        if let previous = previousLineItem {
            // Continuation of the previous item's text.
            let start = items[previous].range.lowerBound
            let end = trim(line).upperBound
            items[previous].range = start..<end
            items[previous].text = String(text[start..<end])
            items[previous].characterOffsets = offset(of: start)..<offset(of: end)
            return
        }
        if trimmed.count <= 40, !trimmed.contains("."), !trimmed.contains(where: \.isNumber), trimmed.first?.isUppercase == true,
           trimmed.split(separator: " ").count <= 4 {
            heading = trimmed
            return
        }
        addParagraph(trim(line))
    }

    func trim(_ range: Range<String.Index>) -> Range<String.Index> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, text[lower].isWhitespace { lower = text.index(after: lower) }
        while upper > lower, text[text.index(before: upper)].isWhitespace { upper = text.index(before: upper) }
        return lower..<upper
    }

    mutating func offset(of index: String.Index) -> Int {
        if index >= offsetCache.index {
            let o = offsetCache.offset + text.distance(from: offsetCache.index, to: index)
            offsetCache = (index, o)
            return o
        }
        return text.distance(from: text.startIndex, to: index)
    }

    mutating func append(_ range: Range<String.Index>, depth: Int) -> Int {
        let parent = depth > 0 && lastAtDepth.count >= depth ? lastAtDepth[depth - 1] : nil
        let criterion = Criterion(kind: kind, text: String(text[range]), range: range,
                                  characterOffsets: offset(of: range.lowerBound)..<offset(of: range.upperBound),
                                  depth: depth, parent: parent, heading: heading, constraints: [])
        items.append(criterion)
        let index = items.count - 1
        if lastAtDepth.count > depth { lastAtDepth.removeSubrange((depth + 1)...) ; lastAtDepth[depth] = index } else {
            while lastAtDepth.count < depth { lastAtDepth.append(index) }
            lastAtDepth.append(index)
        }
        return index
    }

    mutating func addBullet(_ range: Range<String.Index>, indent: Int) {
        while let last = indentStack.last, last > indent { indentStack.removeLast() }
        if indentStack.last != indent { indentStack.append(indent) }
        let depth = indentStack.count - 1
        guard !range.isEmpty else { return }
        previousLineItem = append(range, depth: depth)
    }

    /// A paragraph without bullets: split run-on text into parts ("…; …", "1) … 2) …",
    /// sentences) and switch section where "Exclusion Criteria:" appears inline.
    mutating func addParagraph(_ range: Range<String.Index>) {
        guard !range.isEmpty else { return }
        var pieces: [(Range<String.Index>, Criterion.Kind?)] = []
        var cursor = range.lowerBound
        for match in Self.inlineHeading.matches(in: text, range: nsRange(range)) {
            guard let r = Range(match.range, in: text), let word = Range(match.range(at: 1), in: text) else { continue }
            if cursor < r.lowerBound { pieces.append((cursor..<r.lowerBound, nil)) }
            pieces.append((r.upperBound..<r.upperBound, text[word].lowercased() == "exclusion" ? .exclusion : .inclusion))
            cursor = r.upperBound
        }
        if cursor < range.upperBound { pieces.append((cursor..<range.upperBound, nil)) }
        var lastIndex: Int?
        for (piece, switchTo) in pieces {
            if let switchTo { kind = switchTo; continue }
            let long = text.distance(from: piece.lowerBound, to: piece.upperBound) > 160
            var start = piece.lowerBound
            do {
                for match in Self.runOnSplit.matches(in: text, range: nsRange(piece)) {
                    guard let r = Range(match.range, in: text) else { continue }
                    // Semicolons and inline numbering always split; sentences only in long paragraphs.
                    if !long, text[r].contains(".") { continue }
                    let part = trim(start..<r.lowerBound)
                    if text.distance(from: part.lowerBound, to: part.upperBound) >= 3 {
                        lastIndex = append(stripEnumeration(part), depth: 0)
                    }
                    start = r.upperBound
                }
            }
            let part = trim(start..<piece.upperBound)
            if !part.isEmpty { lastIndex = append(stripEnumeration(part), depth: 0) }
        }
        previousLineItem = pieces.count == 1 && lastIndex != nil ? lastIndex : nil
    }

    func stripEnumeration(_ range: Range<String.Index>) -> Range<String.Index> {
        if let match = Self.bullet.firstMatch(in: text, options: [.anchored], range: nsRange(range)),
           let r = Range(match.range, in: text), r.upperBound < range.upperBound {
            return r.upperBound..<range.upperBound
        }
        return range
    }
}
