import Foundation

/// Reads one criterion's text and returns the constraints it states. Rule-based and
/// conservative: what it cannot read with confidence becomes `.needsReview`, never a guess.
public struct ConstraintExtractor: Sendable {
    public var lexicon: ConceptLexicon

    public init(lexicon: ConceptLexicon = .oncologyDefault) {
        self.lexicon = lexicon
    }

    /// The text a rule looks at: markdown escapes removed ("\\>" → ">"), lower-cased.
    struct Clause {
        let original: String
        let lower: String
        let heading: String
        let kind: Criterion.Kind
        let quantities: [QuantityExpression]
        let ns: NSString
        /// `lower` prepared for the rules' literal gates.
        let gate: GateText
        /// `original` cut into words for the lexicon look-ups.
        let words: ConceptLexicon.Words

        static let markdownEscape = try! NSRegularExpression(pattern: #"\\([<>^*_~\[\]()#+\-.!=])"#)

        init(_ text: String, heading: String?, kind: Criterion.Kind = .inclusion) {
            self.kind = kind
            var clean = text
            if text.utf8.contains(UInt8(ascii: "\\")) {
                clean = Self.markdownEscape.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: text.utf16.count), withTemplate: "$1")
            }
            if clean.utf8.contains(0xC2) { clean = clean.replacingOccurrences(of: "\u{00A0}", with: " ") }
            original = clean
            lower = clean.lowercased()
            ns = lower as NSString
            gate = GateText(lowercased: lower)
            words = ConceptLexicon.Words(clean)
            self.heading = heading?.lowercased() ?? ""
            quantities = QuantityFinder.find(in: lower, gate: gate)
        }

        /// Whether the (case-sensitive) pattern matches the lower-cased text; compiled once.
        func has(_ pattern: StaticString) -> Bool { PatternCache.pattern(pattern).has(lower, gate) }

        func has(_ pattern: TextPattern) -> Bool { pattern.has(lower, gate) }

        func firstRange(_ pattern: StaticString) -> NSRange? { firstRange(PatternCache.pattern(pattern)) }

        func firstRange(_ pattern: TextPattern) -> NSRange? { pattern.firstMatch(in: lower, gate)?.range }

        func text(_ range: NSRange) -> String { ns.substring(with: range) }
    }

    /// Whether a criterion states an absence ("No …", "Not …", "Must not …", "Without …").
    public func isNegated(_ text: String) -> Bool {
        // Every negation word starts with one of these letters: any other first character
        // after the leading spaces cannot match (a shortcut, the same answer).
        if let first = text.unicodeScalars.first(where: { !CharacterSet.whitespaces.contains($0) }), first.isASCII,
           !"nwafmscNWAFMSC".unicodeScalars.contains(first) {
            return false
        }
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        return Self.negation.regex.firstMatch(in: lower, range: NSRange(location: 0, length: lower.utf16.count)) != nil
    }

    static let negation = TextPattern(#"^(?:no|not|none|without|absence of|free of|must not|should not|cannot|non-?pregnant|negative for)\b"#)

    public func constraints(for text: String, heading: String?, kind: Criterion.Kind) -> [CriterionConstraint] {
        let clause = Clause(text, heading: heading, kind: kind)
        var result: [CriterionConstraint] = []
        result += age(clause)
        result += sex(clause)
        result += performanceStatus(clause)
        result += lifeExpectancy(clause)
        result += organFunction(clause)
        result += infections(clause)
        result += pregnancy(clause)
        result += cns(clause)
        result += priorTherapy(clause)
        result += biomarkers(clause)
        result += stage(clause)
        result += diseaseStatus(clause)
        result += diagnosis(clause)
        var unique: [CriterionConstraint] = []
        for constraint in result where !unique.contains(constraint) { unique.append(constraint) }
        if unique.isEmpty {
            var concepts: [String] = []
            for match in lexicon.matches(in: clause.words) where !concepts.contains(match.entry.conceptID) {
                concepts.append(match.entry.conceptID)
            }
            return [.needsReview(conceptsDetected: concepts)]
        }
        return unique
    }

    static func bounds(_ quantities: [QuantityExpression]) -> Bounds {
        var bounds = Bounds()
        for q in quantities {
            guard let value = q.value else { continue }
            switch q.side {
            case .lower: if bounds.lower == nil { bounds.lower = NumericBound(value, inclusive: q.inclusive) }
            case .upper: if bounds.upper == nil { bounds.upper = NumericBound(value, inclusive: q.inclusive) }
            }
        }
        return bounds
    }

    // MARK: Age and sex

    func age(_ c: Clause) -> [CriterionConstraint] {
        let mentionsAge = c.heading == "age" || c.has(#"\bage[ds]?\b|years? old|\byrs? old|years of age|\badults?\b|\bolder\b|\byounger\b"#)
        guard mentionsAge, !c.has(#"(?:child[- ]?bearing|reproductive|gestational) (?:age|potential)"#) || c.has(#"\baged?\s*(?:≥|>|between|\d)"#) else { return [] }
        var qs = c.quantities.filter { q in
            guard let v = q.value else { return false }
            if let t = q.timeUnit { return t == .years || t == .months } else { return q.unit == nil && v >= 0 && v <= 120 }
        }
        if qs.isEmpty { return [] }
        // With a unit of age present, unit-less numbers are something else ("Lansky ≥ 50 … younger than 16 years").
        if qs.contains(where: { $0.timeUnit != nil }) { qs = qs.filter { $0.timeUnit != nil } }
        // Use only the bounds near the age words when the criterion also has other numbers.
        if let agePos = c.firstRange(#"\bage[ds]?\b|years? old|years of age"#), qs.count > 2 {
            qs = qs.filter { abs($0.range.location - agePos.location) < 60 }
        }
        var bounds = Bounds()
        for q in qs {
            guard var v = q.value else { continue }
            if q.timeUnit == .months { v /= 12 }
            switch q.side {
            case .lower: if bounds.lower == nil { bounds.lower = NumericBound(v, inclusive: q.inclusive) }
            case .upper: if bounds.upper == nil { bounds.upper = NumericBound(v, inclusive: q.inclusive) }
            }
        }
        return bounds.isEmpty ? [] : [.age(bounds)]
    }

    func sex(_ c: Clause) -> [CriterionConstraint] {
        if c.has(#"\b(?:male|men)\s+(?:and|or|&|/)\s+(?:female|women)\b|\b(?:female|women)\s+(?:and|or|&|/)\s+(?:male|men)\b|\bboth sexes\b"#) { return [] }
        if c.has(#"pregnan|contracep|child[- ]?bearing|breast[- ]?feeding|nursing|lactat|partner"#) { return [] }
        if c.has(#"^(?:(?:patients?|subjects?|participants?)\s+must\s+be\s+)?(?:female|women|woman|postmenopausal women|pre-?menopausal women)\b"#)
            || c.has(#"\bfemales?\s+only\b|\bonly\s+(?:female|women)\b"#) {
            return [.sex(.female)]
        }
        if c.has(#"^(?:(?:patients?|subjects?|participants?)\s+must\s+be\s+)?(?:male|men|man)\b"#) || c.has(#"\bmales?\s+only\b|\bonly\s+(?:male|men)\b"#) {
            return [.sex(.male)]
        }
        return []
    }

    // MARK: Performance status and life expectancy

    func performanceStatus(_ c: Clause) -> [CriterionConstraint] {
        var result: [CriterionConstraint] = []
        let scales = Self.performanceScales
        let isHeadingPS = c.heading.contains("performance status")
        for (number, (scale, pattern, validRange)) in scales.enumerated() {
            guard let position = c.firstRange(pattern) ?? (isHeadingPS && scale == .ecog && c.has(#"^\s*\d"#) ? NSRange(location: 0, length: 0) : nil) else { continue }
            // Only numbers after the scale name, and before another scale is named.
            let tailStart = position.location + position.length
            var tailEnd = c.ns.length
            for (otherNumber, (_, other, _)) in scales.enumerated() where otherNumber != number && other.mayMatch(c.gate) {
                let r = other.regex.rangeOfFirstMatch(in: c.lower, range: NSRange(location: tailStart, length: c.ns.length - tailStart))
                if r.location != NSNotFound { tailEnd = min(tailEnd, r.location) }
            }
            let tail = NSRange(location: tailStart, length: max(0, min(tailEnd, tailStart + 90) - tailStart))
            let qs = c.quantities.filter {
                NSIntersectionRange($0.range, tail).length > 0 && ($0.value.map(validRange.contains) ?? false) && $0.timeUnit == nil
            }
            var bounds = Self.bounds(qs)
            if bounds.isEmpty {
                // Lists: "0, 1 or 2", "0 or 1", "of 0-1".
                let tailText = c.text(tail)
                let numbers = tailText.matches(of: /\d{1,3}/).compactMap { Double($0.output) }.filter(validRange.contains)
                if let lo = numbers.min(), let hi = numbers.max() {
                    bounds = numbers.count == 1 ? Bounds(upper: NumericBound(hi)) : Bounds(lower: NumericBound(lo), upper: NumericBound(hi))
                    if scale != .ecog, numbers.count == 1 { bounds = Bounds(lower: NumericBound(lo)) }
                }
            }
            if !bounds.isEmpty { result.append(.performanceStatus(scale: scale, bounds: bounds)) }
        }
        return result
    }

    static let performanceScales: [(PerformanceScale, TextPattern, ClosedRange<Double>)] = [
        (.ecog, TextPattern(#"\becog\b|eastern cooperative oncology group|\bzubrod\b|\bwho performance|\bwho ps\b"#), 0...5),
        (.karnofsky, TextPattern(#"karnofsky|\bkps\b"#), 0...100),
        (.lansky, TextPattern(#"\blansky\b"#), 0...100),
    ]

    func lifeExpectancy(_ c: Clause) -> [CriterionConstraint] {
        guard c.heading.contains("life expectancy") || c.has(#"life expectancy|expected survival|expected to survive|estimated survival"#) else { return [] }
        let qs = c.quantities.filter { $0.timeUnit != nil && $0.value != nil }
        guard let q = qs.first(where: { $0.side == .lower }) ?? qs.first, let value = q.value, let unit = q.timeUnit else { return [] }
        return [.lifeExpectancy(minimum: TimeSpan(value, unit))]
    }
}
