import Foundation

/// A bound written in criteria text: "≥ 18 years", "no greater than 2.5 × ULN",
/// "1.5 x 10^9/L or more", "aged 18–75" (two bounds).
struct QuantityExpression: Sendable, Hashable {
    enum Side: Sendable, Hashable { case lower, upper }
    var side: Side
    var value: Double?
    var inclusive: Bool
    /// The unit as written, lower-cased and without spaces ("mg/dl", "x uln", "%", "years").
    var unit: String?
    /// Number and unit.
    var range: NSRange
    /// The comparator words (may be empty for a range).
    var comparatorRange: NSRange?

    var isTimesULN: Bool { unit.map { $0.contains("uln") || $0.contains("upperlimit") || $0.contains("normal") || $0 == "xn" } ?? false }

    var timeUnit: TimeSpan.Unit? {
        guard let unit else { return nil }
        if unit.hasPrefix("year") || unit.hasPrefix("yr") { return .years }
        if unit.hasPrefix("month") || unit == "mo" || unit == "mos" { return .months }
        if unit.hasPrefix("week") || unit == "wk" || unit == "wks" { return .weeks }
        if unit.hasPrefix("day") { return .days }
        if unit.hasPrefix("hour") || unit == "h" || unit == "hrs" { return .hours }
        return nil
    }
}

/// Finds bound expressions in (lower-cased or not) criteria text.
enum QuantityFinder {
    static let numberWords: [String: Double] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90, "zero": 0,
    ]

    /// Number words and numerals, grouped by first character for speed (`RegexAlternation`).
    static let number = RegexAlternation.factored(numberAlternatives)
    static let numberAlternatives = #"(?:@number|\d+(?:,\d{3})*(?:\.\d+)?|\.\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety|zero)"#
    static let power = #"(?:\s*(?:x|×|\*)\s*(?:10|@number)\s*(?:\^|\*\*|e)?\s*(?:\d+|@number|[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"#
    static let perDenominator = #"(?:\s*/\s*(?:dl|l|µl|μl|ul|mm3|mm\^?3|mm³|cumm|cu\s*mm|min|m2|m²|kg|day|hpf|ml|mcl|lt|liter|litre)(?:\s*/\s*(?:@number|\d+(?:\.\d+)?)?\s*(?:m2|m²|bsa))?(?:\s*/\s*(?:min|day))?(?:\s*/\s*(?:@number|\d+(?:\.\d+)?)?\s*(?:m2|m²))?)"#
    static let uln = #"(?:\s*(?:x|×|times|fold)\s*(?:of\s+)?(?:the\s+)?(?:institutional\s+|local\s+|laboratory\s+)?(?:upper\s+limits?\s+of\s+(?:the\s+)?normal(?:\s+(?:range|value|limit))?|uln|normal\s+(?:value|range|limit)?|the\s+normal\s+value|n\b)(?:\s*\(\s*uln\s*\))?(?:\s+\(?uln\)?)?|\s*uln)"#
    static let unitWords = #"(?:%|percent|mg|g|gm|gr|µg|μg|ug|mcg|ng|pg|mmol|µmol|μmol|umol|mol|meq|iu|u|cells?|k|kg|ml|l|mm|cm|mmhg|mm\s*hg|bpm|msec|ms|sec|seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|years?|yrs?|cycles?|doses?|lines?|regimens?|points?|kg/m2|kg/m²|g/l|lakh)"#
    static var unit: String {
        #"(?:\#(uln)|\#(power)?\s*(?:\#(unitWords)\#(perDenominator)?|\#(perDenominator))(?:\s*(?:\#(power)))?(?:\s*/\s*(?:l|µl|ul|mm3))?|\#(power)\#(perDenominator)?)"#
    }
    static let lowerWords = #"(?:≥|>=|=>|=\s*>|≧|⩾|>|greater\s+than\s+or\s+equal\s+(?:to\s+)?|equal\s+to\s+or\s+greater\s+than|more\s+than\s+or\s+equal\s+(?:to\s+)?|greater\s+than|more\s+than|higher\s+than|larger\s+than|at\s+least|over|above|exceeding|exceeds?|in\s+excess\s+of|no\s+less\s+than|not\s+less\s+than|no\s+fewer\s+than|minimum\s+(?:of\s+)?|min\.?\s+|older\s+than|longer\s+than|≥\s*=)"#
    /// `lowerWords` and `upperWords` as one alternation grouped by first character.
    static let comparatorWords = RegexAlternation.factored(branches: (RegexAlternation.branches(of: lowerWords) ?? [lowerWords])
        + (RegexAlternation.branches(of: upperWords) ?? [upperWords])) ?? "(?:\(lowerWords)|\(upperWords))"
    static let upperWords = #"(?:≤|<=|=<|=\s*<|≦|⩽|<|less\s+than\s+or\s+equal\s+(?:to\s+)?|equal\s+to\s+or\s+less\s+than|no\s+greater\s+than|not\s+greater\s+than|no\s+more\s+than|not\s+more\s+than|not\s+higher\s+than|no\s+higher\s+than|not\s+(?:to\s+)?exceed(?:ing)?|does\s+not\s+exceed|less\s+than|fewer\s+than|lower\s+than|shorter\s+than|below|under|at\s+most|up\s+to|maximum\s+(?:of\s+)?|max\.?\s+|younger\s+than|within(?:\s+the)?(?:\s+(?:past|last|previous|prior|preceding))?|(?:in|during)\s+the\s+(?:past|last|previous|preceding)|past|previous|last|preceding)"#

    /// Lower bounds written with a trailing comparator ("18 years or older").
    static let trailingLower = #"(?:\s*(?:or|and)\s+(?:more|greater|higher|above|older|over|longer|later)|\s+(?:and|or)\s+(?:over|above|older)|\s+or\s+more)"#
    static let trailingUpper = #"(?:\s*(?:or|and)\s+(?:less|fewer|lower|below|younger|under|smaller|earlier))"#

    static let rangePattern = TextPattern(
        "(?<![\\w.*:/^-])(?:between\\s+)?(\(number))(\\s*\(unit))?\\s*(?:-|–|—|to|and|through)\\s*(?:≤|<=|<|less\\s+than\\s+)?\\s*(\(number))(\\s*\(unit))?(?![\\w:*]|\\.\\d)",
        options: [.caseInsensitive])
    static let comparatorPattern = TextPattern(
        "(?<![\\w])(\(comparatorWords))\\s*(?:\\(\\s*[≥≤<>=]+\\s*\\)\\s*)?(?:a\\s+|an\\s+|of\\s+|the\\s+|than\\s+|grade\\s+|class\\s+|type\\s+|age\\s+|day\\s+)?(\(number))(\\s*\(unit))?",
        options: [.caseInsensitive])
    static let symbolComparatorPattern = TextPattern(
        "(≥|>=|=>|≧|⩾|>|≤|<=|=<|≦|⩽|<)\\s*(\(number))(\\s*\(unit))?", options: [.caseInsensitive])
    static let trailingPattern = TextPattern(
        "(?<![\\w.])(\(number))(\\s*\(unit))?(?:\\s+of\\s+age)?(\(trailingLower)|\(trailingUpper))(?![\\w])", options: [.caseInsensitive])
    static let lowerRegex = try! NSRegularExpression(pattern: "^\(lowerWords)\\s*$", options: [.caseInsensitive])

    /// `lowerRegex` on a comparator as written, remembered: criteria use a few dozen.
    static func isLowerComparator(_ probe: String) -> Bool {
        if let known = lowerComparators.withLock({ $0[probe] }) { return known }
        let isLower = lowerRegex.firstMatch(in: probe, range: NSRange(location: 0, length: (probe as NSString).length)) != nil
        lowerComparators.withLock { if $0.count < 4096 { $0[probe] = isLower } }
        return isLower
    }

    static let lowerComparators = LockedValue<[String: Bool]>([:])

    static func value(_ text: String) -> Double? {
        let lowered = text.lowercased()
        if let word = numberWords[lowered] { return word }
        if lowered == "@number" { return nil }
        return Double(lowered.replacingOccurrences(of: ",", with: ""))
    }

    static func compactUnit(_ text: String?) -> String? {
        guard let text else { return nil }
        let compact = text.lowercased().filter { !$0.isWhitespace }
        return compact.isEmpty ? nil : compact
    }

    /// All bound expressions, without overlaps (ranges first, then comparators, then trailing forms).
    static func find(in text: String, gate: GateText? = nil) -> [QuantityExpression] {
        let gate = gate ?? GateText(text)
        // Every form but the lists needs a number, in digits or in words.
        let numbered = hasNumber(text, gate)
        guard numbered || listPattern.mayMatch(gate) else { return [] }
        let ns = text as NSString
        let full = NSRange(location: 0, length: ns.length)
        var taken: [NSRange] = []
        var result: [QuantityExpression] = []
        func free(_ r: NSRange) -> Bool { !taken.contains { NSIntersectionRange($0, r).length > 0 } }
        func str(_ r: NSRange) -> String? { r.location == NSNotFound ? nil : ns.substring(with: r) }

        // A range holds two numbers.
        let ranged = numbered && atLeastTwoNumbers(text, gate)
        for m in (ranged ? rangePattern.matches(in: text, gate) : []) where free(m.range) {
            let low = m.range(at: 1), lowUnit = m.range(at: 2), high = m.range(at: 3), highUnit = m.range(at: 4)
            let unit = compactUnit(str(highUnit) ?? str(lowUnit))
            let lowSpan = lowUnit.location == NSNotFound ? low : NSUnionRange(low, lowUnit)
            let highSpan = highUnit.location == NSNotFound ? high : NSUnionRange(high, highUnit)
            result.append(QuantityExpression(side: .lower, value: str(low).flatMap(value), inclusive: true, unit: unit,
                                             range: lowSpan, comparatorRange: nil))
            result.append(QuantityExpression(side: .upper, value: str(high).flatMap(value), inclusive: true, unit: unit,
                                             range: highSpan, comparatorRange: nil))
            taken.append(m.range)
        }
        for m in (numbered ? comparatorPattern.matches(in: text, gate) : []) where free(m.range) {
            let comparator = str(m.range(at: 1)) ?? ""
            let cmp = comparator.lowercased().trimmingCharacters(in: .whitespaces)
            let probe = cmp + " "
            let isLower = isLowerComparator(probe)
            let inclusive = cmp.contains("≥") || cmp.contains("≤") || cmp.contains("=") || cmp.contains("least")
                || cmp.contains("most") || cmp.contains("no ") || cmp.contains("not ") || cmp.contains("up to")
                || cmp.contains("within") || cmp.contains("minimum") || cmp.contains("maximum") || cmp.contains("≧") || cmp.contains("≦")
            let numberRange = m.range(at: 2)
            let unitRange = m.range(at: 3)
            let span = unitRange.location == NSNotFound ? numberRange : NSUnionRange(numberRange, unitRange)
            // A range right after the comparator ("between" handled by rangePattern).
            result.append(QuantityExpression(side: isLower ? .lower : .upper, value: str(numberRange).flatMap(value),
                                             inclusive: inclusive, unit: compactUnit(str(unitRange)), range: span,
                                             comparatorRange: m.range(at: 1)))
            taken.append(m.range)
        }
        for m in (numbered ? trailingPattern.matches(in: text, gate) : []) where free(m.range) {
            let trailing = (str(m.range(at: 3)) ?? "").lowercased()
            let isUpper = ["less", "fewer", "lower", "below", "younger", "under", "smaller", "earlier"].contains { trailing.contains($0) }
            let numberRange = m.range(at: 1)
            let unitRange = m.range(at: 2)
            let span = unitRange.location == NSNotFound ? numberRange : NSUnionRange(numberRange, unitRange)
            result.append(QuantityExpression(side: isUpper ? .upper : .lower, value: str(numberRange).flatMap(value),
                                             inclusive: true, unit: compactUnit(str(unitRange)), range: span,
                                             comparatorRange: m.range(at: 3)))
            taken.append(m.range)
        }
        // "≤ 3 x ULN or ≤ 5 x ULN", "up to 28 days or 5 half-lives": a further number right
        // after a bound, joined by "or"/"and"/"(", takes the same side.
        var index = 0
        while index < result.count {
            let q = result[index]
            index += 1
            guard q.comparatorRange != nil else { continue }
            let after = q.range.location + q.range.length
            guard after < ns.length,
                  let m = continuationPattern.regex(for: gate).firstMatch(in: text, options: [.anchored], range: NSRange(location: after, length: ns.length - after)),
                  free(m.range) else { continue }
            let numberRange = m.range(at: 1)
            let unitRange = m.range(at: 2)
            let span = unitRange.location == NSNotFound ? numberRange : NSUnionRange(numberRange, unitRange)
            result.append(QuantityExpression(side: q.side, value: str(numberRange).flatMap(value), inclusive: q.inclusive,
                                             unit: compactUnit(str(unitRange)) ?? q.unit, range: span, comparatorRange: q.comparatorRange))
            taken.append(m.range)
        }
        // "in the 3 months prior to", "for 90 days after", "within the first 72 hours": time windows.
        for m in (numbered ? timeWindowPattern.matches(in: text, gate) : []) where free(m.range) {
            let second = m.range(at: 1).location == NSNotFound
            let numberRange = m.range(at: second ? 3 : 1)
            let unitRange = m.range(at: second ? 4 : 2)
            guard numberRange.location != NSNotFound, unitRange.location != NSNotFound else { continue }
            result.append(QuantityExpression(side: .upper, value: str(numberRange).flatMap(value), inclusive: true,
                                             unit: compactUnit(str(unitRange)), range: NSUnionRange(numberRange, unitRange), comparatorRange: nil))
            taken.append(m.range)
        }
        // Lists of allowed values: "ECOG 0, 1 or 2", "grade 3 or 4", "NYHA III or IV".
        for m in listPattern.matches(in: text, gate) where free(m.range) {
            let first = m.range(at: 1), last = m.range(at: 2)
            result.append(QuantityExpression(side: .lower, value: str(first).flatMap(value), inclusive: true, unit: nil,
                                             range: first, comparatorRange: nil))
            result.append(QuantityExpression(side: .upper, value: str(last).flatMap(value), inclusive: true, unit: nil,
                                             range: last, comparatorRange: nil))
            taken.append(m.range)
        }
        return result.sorted { $0.range.location < $1.range.location }
    }

    /// Whether `text` holds a number as `number` reads them: a decimal digit (any script, as
    /// ICU's `\d`), "@number" or a number word.
    static func hasNumber(_ text: String, _ gate: GateText) -> Bool {
        if text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return true }
        if text.utf8.contains(where: { $0 >= 0x80 }), text.unicodeScalars.contains(where: { $0.properties.numericType == .decimal }) { return true }
        guard let folded = gate.folded else { return true }
        return numberLiterals.contains { LiteralGate.contains(folded, $0) }
    }

    /// Whether `text` may hold two numbers as `number` reads them: counts runs of digits and
    /// every occurrence of "@number" and of a number word (possibly more than there are
    /// numbers, never fewer).
    static func atLeastTwoNumbers(_ text: String, _ gate: GateText) -> Bool {
        var count = 0
        var inDigits = false
        if text.utf8.contains(where: { $0 >= 0x80 }) {
            for scalar in text.unicodeScalars {
                let digit = scalar.properties.numericType == .decimal
                if digit, !inDigits { count += 1 }
                inDigits = digit
            }
        } else {
            for byte in text.utf8 {
                let digit = byte >= 0x30 && byte <= 0x39
                if digit, !inDigits { count += 1 }
                inDigits = digit
            }
        }
        if count >= 2 { return true }
        guard let folded = gate.folded else { return true }
        for literal in numberLiterals where literal.count <= folded.count {
            var i = 0
            while i <= folded.count - literal.count {
                if folded[i] == literal[0], folded[i..<(i + literal.count)].elementsEqual(literal) {
                    count += 1
                    if count >= 2 { return true }
                }
                i += 1
            }
        }
        return false
    }

    static let numberLiterals: [[UInt8]] = (["@number"] + numberWords.keys.sorted()).map { Array($0.utf8) }

    static let continuationPattern = TextPattern(
        #"\s*(?:\(\s*)?(?:or|and|,|/)?\s*(?:≤|<=|<|≥|>=|>)?\s*(\#(number))(\s*\#(unit))(?![\w])"#, options: [.caseInsensitive])
    static let timeUnitWords = #"(?:years?|months?|weeks?|days?|hours?|hrs?|h|minutes?)"#
    static let timeWindowPattern = TextPattern(
        #"(?:\b(?:next|first|past|last|previous|preceding|prior)\s+)?(\#(number))[- ]?(\s*\#(timeUnitWords))\s+(?:prior|before|after|following|preceding|of\s+(?:life|starting|start|the\s+start|randomi|enrol|registration))\b|\b(?:next|first)\s+(\#(number))[- ]?(\s*\#(timeUnitWords))"#,
        options: [.caseInsensitive])
    static let romanOrNumber = #"(?:@number|\d+|iv|i{1,3})"#
    static let listPattern = TextPattern(
        #"(?<![\w.])(?:(?:grade|class|type|category|stage|nyha|ecog|of|status|score)\s+)(\#(romanOrNumber))(?:\s*,\s*(?:(?:grade|class|type|category)\s+)?\#(romanOrNumber))*\s*,?\s*(?:or|and)\s+(?:(?:grade|class|type|category)\s+)?(\#(romanOrNumber))(?![\w])"#,
        options: [.caseInsensitive])
}
