import Foundation

// Helpers for the records scorer: regular expressions with Python `re` semantics (search,
// match at the start, findall, sub, split), Python's str() and truthiness of JSON values,
// the scorer's text normalisation and partial dates. They keep the port of
// ../shared/tools/score_records.py line-for-line comparable with the original.

/// Compiled patterns, shared by every scoring call (the tables are fixed strings).
private final class PatternCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [String: NSRegularExpression] = [:]

    func regex(_ pattern: String, caseInsensitive: Bool) -> NSRegularExpression {
        let key = (caseInsensitive ? "i:" : "c:") + pattern
        lock.lock()
        defer { lock.unlock() }
        if let regex = cache[key] { return regex }
        do {
            let regex = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
            cache[key] = regex
            return regex
        } catch {
            preconditionFailure("records scorer: invalid pattern \(pattern): \(error)")
        }
    }

    static let shared = PatternCache()
}

/// One regular-expression match: its groups as strings (nil for a group that did not take part).
struct RxMatch {
    var groups: [String?]
    var start: Int
    subscript(index: Int) -> String? { index < groups.count ? groups[index] : nil }
}

enum Rx {
    static func regex(_ pattern: String, _ ci: Bool = false) -> NSRegularExpression {
        PatternCache.shared.regex(pattern, caseInsensitive: ci)
    }

    private static func convert(_ match: NSTextCheckingResult, in text: NSString) -> RxMatch {
        var groups: [String?] = []
        for index in 0..<match.numberOfRanges {
            let range = match.range(at: index)
            groups.append(range.location == NSNotFound ? nil : text.substring(with: range))
        }
        return RxMatch(groups: groups, start: match.range.location)
    }

    /// Python `re.search`: the first match anywhere.
    static func search(_ pattern: String, _ text: String, ci: Bool = false) -> RxMatch? {
        let ns = text as NSString
        guard let match = regex(pattern, ci).firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return convert(match, in: ns)
    }

    static func test(_ pattern: String, _ text: String, ci: Bool = false) -> Bool { search(pattern, text, ci: ci) != nil }

    /// Python `re.match`: a match that starts at the beginning of the text.
    static func match(_ pattern: String, _ text: String, ci: Bool = false) -> RxMatch? {
        let ns = text as NSString
        guard let match = regex(pattern, ci).firstMatch(in: text, options: [.anchored],
                                                        range: NSRange(location: 0, length: ns.length)) else { return nil }
        return convert(match, in: ns)
    }

    /// Python `re.finditer`.
    static func all(_ pattern: String, _ text: String, ci: Bool = false) -> [RxMatch] {
        let ns = text as NSString
        return regex(pattern, ci).matches(in: text, range: NSRange(location: 0, length: ns.length)).map { convert($0, in: ns) }
    }

    /// Python `re.sub`; the template uses `$1` for groups.
    static func sub(_ pattern: String, _ template: String, _ text: String, ci: Bool = false) -> String {
        let ns = text as NSString
        return regex(pattern, ci).stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: template)
    }

    /// Python `re.split` for patterns without capturing groups (maxsplit 0 = all).
    static func split(_ pattern: String, _ text: String, maxSplit: Int = 0) -> [String] {
        let ns = text as NSString
        var pieces: [String] = []
        var last = 0
        for match in regex(pattern).matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if maxSplit > 0 && pieces.count == maxSplit { break }
            pieces.append(ns.substring(with: NSRange(location: last, length: match.range.location - last)))
            last = match.range.location + match.range.length
        }
        pieces.append(ns.substring(from: last))
        return pieces
    }

    static func escape(_ text: String) -> String { NSRegularExpression.escapedPattern(for: text) }
}

// MARK: - Python values

enum Py {
    /// Python's `str()` of a JSON / YAML value (None, True, integral numbers without ".0").
    static func str(_ value: JSONValue?) -> String {
        guard let value else { return "None" }
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .number(let number): return numberText(number)
        case .string(let text): return text
        case .array(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.keys.sorted().map { "'\($0)': \(repr(object[$0]))" }.joined(separator: ", ") + "}"
        }
    }

    private static func repr(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { return "'\(text)'" }
        return str(value)
    }

    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    /// Python truthiness.
    static func truthy(_ value: JSONValue?) -> Bool {
        guard let value else { return false }
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        case .number(let number): return number != 0
        case .string(let text): return !text.isEmpty
        case .array(let items): return !items.isEmpty
        case .object(let object): return !object.isEmpty
        }
    }

    /// `str(x or "")`.
    static func orEmpty(_ value: JSONValue?) -> String { truthy(value) ? str(value) : "" }

    /// Python `==` between two values (numbers and booleans compare numerically).
    static func equal(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a ?? .null, b ?? .null) {
        case (.null, .null): return true
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .bool(let y)), (.bool(let y), .number(let x)): return x == (y ? 1 : 0)
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    /// Python `float(x)`: numbers, and strings that spell a number.
    static func float(_ value: JSONValue?) -> Double? {
        switch value {
        case .number(let number)?: return number
        case .bool(let flag)?: return flag ? 1 : 0
        case .string(let text)?: return Double(text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// `repr(float(v))` as Python prints it: "5.0", "0.62", "1e-05".
    static func floatRepr(_ number: Double) -> String { "\(number)" }
}

extension JSONValue {
    /// `x or {}` for a mapping.
    var dict: [String: JSONValue] {
        if case .object(let object) = self { return object }
        return [:]
    }

    /// `x or []` for a list.
    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    var isDict: Bool {
        if case .object = self { return true }
        return false
    }

    var isList: Bool {
        if case .array = self { return true }
        return false
    }
}

extension Optional where Wrapped == JSONValue {
    var dict: [String: JSONValue] { self?.dict ?? [:] }
    var items: [JSONValue] { self?.items ?? [] }
}

// MARK: - The scorer's normalisation and dates

enum ScorerText {
    /// `norm`: lower case, runs of anything but a-z, 0-9, µ to one space.
    static func norm(_ text: String) -> String {
        let lowered = text.lowercased().replacingOccurrences(of: "μ", with: "µ")
        return Rx.sub("[^a-z0-9µ]+", " ", lowered).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func norm(_ value: JSONValue?) -> String { norm(Py.orEmpty(value)) }

    static func compact(_ text: String) -> String { norm(text).replacingOccurrences(of: " ", with: "") }
    static func compact(_ value: JSONValue?) -> String { compact(Py.orEmpty(value)) }
}

/// A partial date (year, month?, day?) as the scorer's `pdate` reads it.
struct PartialDate: Hashable {
    var year: Int
    var month: Int?
    var day: Int?

    var sortable: [Int] { [year, month ?? 0, day ?? 0] }

    static func parse(_ value: JSONValue?) -> PartialDate? {
        guard let value, value != .null else { return nil }
        return parse(Py.str(value))
    }

    static func parse(_ text: String) -> PartialDate? {
        guard let match = Rx.match(#"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?"#, text), let year = match[1].flatMap({ Int($0) }) else {
            return nil
        }
        return PartialDate(year: year, month: match[2].flatMap { Int($0) }, day: match[3].flatMap { Int($0) })
    }

    /// `date_matches`: the claim agrees with the key at the key's precision (and is at least that precise).
    static func matches(_ claim: PartialDate?, _ key: PartialDate?) -> Bool {
        guard let claim, let key else { return false }
        let claimParts: [Int?] = [claim.year, claim.month, claim.day]
        let keyParts: [Int?] = [key.year, key.month, key.day]
        for index in 0..<3 {
            guard let part = keyParts[index] else { return true }
            guard let claimPart = claimParts[index], claimPart == part else { return false }
        }
        return true
    }

    /// `date_before`: a lies wholly before b.
    static func before(_ a: PartialDate?, _ b: PartialDate?) -> Bool {
        guard let a, let b else { return false }
        return [a.year, a.month ?? 12, a.day ?? 31].lexicographicallyPrecedes([b.year, b.month ?? 1, b.day ?? 1])
    }

    static func text(_ date: PartialDate?) -> String {
        guard let date else { return "undated" }
        var parts = [String(date.year)]
        if let month = date.month { parts.append(String(format: "%02d", month)) }
        if let day = date.day { parts.append(String(format: "%02d", day)) }
        return parts.joined(separator: "-")
    }

    static func later(_ a: PartialDate, than b: PartialDate) -> Bool { b.sortable.lexicographicallyPrecedes(a.sortable) }

    /// `max(dates, key=sortable)` (the first of equal maxima).
    static func latest(_ dates: [PartialDate]) -> PartialDate? {
        var best: PartialDate?
        for date in dates where best == nil || later(date, than: best!) { best = date }
        return best
    }

    /// `first_iso_date`: the first YYYY-MM(-DD) in free text.
    static func firstISO(_ text: String) -> PartialDate? {
        guard let match = Rx.search(#"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b"#, text), let year = match[1].flatMap({ Int($0) }) else { return nil }
        return PartialDate(year: year, month: match[2].flatMap { Int($0) }, day: match[3].flatMap { Int($0) })
    }
}

/// Insertion-ordered grouping, like a Python dict of lists.
struct OrderedGroups<Key: Hashable, Value> {
    private(set) var keys: [Key] = []
    private var values: [Key: [Value]] = [:]

    mutating func append(_ value: Value, to key: Key) {
        if values[key] == nil { keys.append(key) }
        values[key, default: []].append(value)
    }

    subscript(key: Key) -> [Value]? { values[key] }
    var entries: [(key: Key, values: [Value])] { keys.map { ($0, values[$0] ?? []) } }
}

extension Array where Element: Hashable {
    /// `list(dict.fromkeys(xs))`: unique, first occurrence order.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
