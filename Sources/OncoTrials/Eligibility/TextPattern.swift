import Foundation

/// A regular expression compiled once, with the literal text every match must contain.
///
/// Most of the parser's rules name words that a given criterion does not contain ("HIV",
/// "karnofsky", "stem cell transplant"); running the regular expression engine for each is
/// what made parsing slow. `literals` are worked out from the pattern itself (see
/// `LiteralGate`): when none of them occurs in the text, the pattern cannot match and the
/// engine is not run. The answer is always the engine's when it is run, so the gate never
/// changes a result, only skips work that would find nothing.
final class TextPattern: @unchecked Sendable {
    let regex: NSRegularExpression
    /// For a case-insensitive pattern, the same pattern matched case-sensitively: on text
    /// that case folding leaves unchanged (lower-cased text without "ß", "µ" and the like)
    /// it finds exactly the same matches, without ICU's slower case-folding comparisons.
    let caseSensitiveTwin: NSRegularExpression?
    /// At least one of these (lower-cased for case-insensitive patterns) occurs in every
    /// match; nil when no such literal could be derived.
    let literals: [Literal]?
    let caseInsensitive: Bool

    struct Literal: Sendable {
        let bytes: [UInt8]
        /// `GateText.bigram` of each pair of adjacent bytes: all must be present before the
        /// bytes are searched for.
        let bigrams: [Int]
    }

    init(_ pattern: String, options: NSRegularExpression.Options = []) {
        regex = try! NSRegularExpression(pattern: pattern, options: options)
        caseInsensitive = options.contains(.caseInsensitive)
        literals = options.contains(.allowCommentsAndWhitespace) ? nil
            : LiteralGate.literals(of: pattern, caseInsensitive: caseInsensitive)?.map { literal in
                let bytes = Array(literal.utf8)
                return Literal(bytes: bytes, bigrams: zip(bytes, bytes.dropFirst()).map(GateText.bigram))
            }
        if caseInsensitive, !options.contains(.allowCommentsAndWhitespace), let twin = Self.foldedPattern(pattern) {
            caseSensitiveTwin = try? NSRegularExpression(pattern: twin, options: options.subtracting(.caseInsensitive))
        } else {
            caseSensitiveTwin = nil
        }
    }

    /// The pattern with every literal replaced by its case folding, when that is a plain
    /// substitution: no upper-case ASCII letter (other than an escape such as `\S`), no
    /// property class, and letters that fold to something else only outside brackets.
    static func foldedPattern(_ pattern: String) -> String? {
        var out = String.UnicodeScalarView()
        var escaped = false
        var classDepth = 0
        for scalar in pattern.unicodeScalars {
            if escaped {
                if scalar == "p" || scalar == "P" || scalar == "N" || scalar == "x" || scalar == "u" || scalar == "U" || scalar == "Q" { return nil }
                escaped = false
                out.append(scalar)
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case "[": classDepth += 1
            case "]": classDepth = max(0, classDepth - 1)
            default: break
            }
            if scalar.isASCII {
                if scalar.properties.isUppercase { return nil }
                out.append(scalar)
                continue
            }
            guard scalar.properties.changesWhenCaseFolded else { out.append(scalar); continue }
            // "µ" (micro sign) folds to "μ" (Greek mu), CaseFolding.txt 00B5; C; 03BC. Other
            // letters that fold to something else do not occur in the rules.
            guard classDepth == 0, scalar == "\u{00B5}" else { return nil }
            out.append("\u{03BC}")
        }
        return String(out)
    }

    /// The compiled form to run on `gate`'s text.
    func regex(for gate: GateText) -> NSRegularExpression {
        if let caseSensitiveTwin, gate.foldStable { return caseSensitiveTwin }
        return regex
    }

    /// False only when no match is possible in `text`.
    func mayMatch(_ text: GateText) -> Bool {
        guard let literals else { return true }
        guard let haystack = caseInsensitive ? text.folded : text.exact else { return true }
        let bits = caseInsensitive ? text.foldedBigrams : text.exactBigrams
        return literals.contains { literal in
            literal.bigrams.allSatisfy { bits[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 } && LiteralGate.contains(haystack, literal.bytes)
        }
    }

    func firstMatch(in string: String, _ gate: GateText, range: NSRange? = nil, options: NSRegularExpression.MatchingOptions = []) -> NSTextCheckingResult? {
        guard mayMatch(gate) else { return nil }
        return regex(for: gate).firstMatch(in: string, options: options, range: range ?? NSRange(location: 0, length: string.utf16.count))
    }

    func matches(in string: String, _ gate: GateText, range: NSRange? = nil) -> [NSTextCheckingResult] {
        guard mayMatch(gate) else { return [] }
        return regex(for: gate).matches(in: string, range: range ?? NSRange(location: 0, length: string.utf16.count))
    }

    func has(_ string: String, _ gate: GateText) -> Bool { firstMatch(in: string, gate) != nil }

    /// Whether the pattern matches anywhere in `string` (no gate: for short, derived strings).
    func occurs(in string: String) -> Bool {
        regex.firstMatch(in: string, range: NSRange(location: 0, length: string.utf16.count)) != nil
    }
}

/// A text prepared for `TextPattern.mayMatch`: its UTF-8 bytes as written and lower-cased,
/// and which pairs of adjacent bytes occur (hashed into 4,096 bits).
struct GateText: Sendable {
    /// The text's bytes, for case-sensitive patterns.
    let exact: [UInt8]?
    /// The lower-cased bytes, for case-insensitive ones; nil when the text holds a letter
    /// whose case folding is not its lower case ("ß" folds to "ss"), so no gate applies.
    let folded: [UInt8]?
    let exactBigrams: [UInt64]
    let foldedBigrams: [UInt64]
    /// The text is lower-cased and case folding changes none of its characters, so a
    /// case-insensitive pattern may run as its case-sensitive twin.
    let foldStable: Bool

    init(_ text: String) {
        let exact = Array(text.utf8)
        self.exact = exact
        exactBigrams = Self.bigrams(exact)
        let lower = text.lowercased()
        if lower == text {
            folded = Self.foldsLikeLowercase(lower) ? exact : nil
            foldedBigrams = exactBigrams
        } else {
            let bytes = Array(lower.utf8)
            folded = Self.foldsLikeLowercase(lower) ? bytes : nil
            foldedBigrams = Self.bigrams(bytes)
        }
        foldStable = false
    }

    /// For a text that is already lower-cased.
    init(lowercased text: String) {
        let bytes = Array(text.utf8)
        exact = bytes
        folded = Self.foldsLikeLowercase(text) ? bytes : nil
        exactBigrams = Self.bigrams(bytes)
        foldedBigrams = exactBigrams
        foldStable = !bytes.contains { $0 >= 0x41 && $0 <= 0x5A }
            && (!bytes.contains { $0 >= 0x80 } || !text.unicodeScalars.contains { $0.properties.changesWhenCaseFolded })
    }

    static func bigram(_ a: UInt8, _ b: UInt8) -> Int { (Int(a) << 6 ^ Int(b)) & 4095 }

    static func bigrams(_ bytes: [UInt8]) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: 64)
        var previous: UInt8?
        for byte in bytes {
            if let previous {
                let b = bigram(previous, byte)
                bits[b >> 6] |= 1 << UInt64(b & 63)
            }
            previous = byte
        }
        return bits
    }

    /// Whether full case folding of every letter equals its lower case as far as ASCII
    /// literals are concerned (sharp s, long s and the Latin ligatures fold to ASCII letters).
    static func foldsLikeLowercase(_ text: String) -> Bool {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return true }
        return !text.unicodeScalars.contains { s in
            s == "\u{00DF}" || s == "\u{1E9E}" || s == "\u{017F}" || (s.value >= 0xFB00 && s.value <= 0xFB06)
        }
    }
}

/// Works out literal strings of which at least one must occur in any match of a regular
/// expression (ICU syntax, the subset the parser's rules use). Unknown constructs give no
/// gate (nil), never a wrong one: only text that must be matched verbatim counts, anything
/// optional, repeated from zero, a class or a look-around breaks a literal run.
enum LiteralGate {
    static func literals(of pattern: String, caseInsensitive: Bool) -> [String]? {
        var parser = Parser(scalars: Array(pattern.unicodeScalars), caseInsensitive: caseInsensitive)
        let result = parser.alternation()
        guard !parser.failed, parser.index == parser.scalars.count, let result, !result.isEmpty,
              !result.contains(where: \.isEmpty) else { return nil }
        return Array(Set(result)).sorted()
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.count > haystack.count { return false }
        guard let first = needle.first else { return true }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// Prefers the requirement whose shortest literal is longest (fewest false alarms).
    static func better(_ a: [String]?, _ b: [String]?) -> [String]? {
        guard let a else { return b }
        guard let b else { return a }
        let ma = a.map(\.utf8.count).min() ?? 0, mb = b.map(\.utf8.count).min() ?? 0
        if ma != mb { return ma > mb ? a : b }
        return a.count <= b.count ? a : b
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        let caseInsensitive: Bool
        var index = 0
        var failed = false

        init(scalars: [Unicode.Scalar], caseInsensitive: Bool) {
            self.scalars = scalars
            self.caseInsensitive = caseInsensitive
        }

        enum Atom {
            case literal(Unicode.Scalar)
            case group([String]?)
            /// A class, an anchor, a look-around, a back-reference: matches something unknown.
            case other
        }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func alternation() -> [String]? {
            var union: [String] = []
            var known = true
            while true {
                let branch = sequence()
                if let branch { union += branch } else { known = false }
                if current == "|" { index += 1; continue }
                break
            }
            return known ? union : nil
        }

        mutating func sequence() -> [String]? {
            var best: [String]?
            var run = ""
            func flush() {
                if !run.isEmpty { best = LiteralGate.better(best, [run]); run = "" }
            }
            while let c = current, c != "|", c != ")", !failed {
                let atom = self.atom()
                let (minimum, maximum) = quantifier()
                switch atom {
                case .literal(let scalar):
                    if minimum == 1, maximum == 1 {
                        run.unicodeScalars.append(scalar)
                    } else {
                        flush()
                        if minimum >= 1 { best = LiteralGate.better(best, [String(scalar)]) }
                    }
                case .group(let required):
                    flush()
                    if minimum >= 1 { best = LiteralGate.better(best, required) }
                case .other:
                    flush()
                }
            }
            flush()
            return best
        }

        /// (minimum, maximum; nil = unbounded) repetitions of the atom just read.
        mutating func quantifier() -> (Int, Int?) {
            var result: (Int, Int?) = (1, 1)
            switch current {
            case "?": index += 1; result = (0, 1)
            case "*": index += 1; result = (0, nil)
            case "+": index += 1; result = (1, nil)
            case "{":
                index += 1
                var digits = ""
                while let c = current, c.properties.numericType == .decimal, c.isASCII { digits.unicodeScalars.append(c); index += 1 }
                guard let low = Int(digits) else { failed = true; return (0, nil) }
                var high: Int? = low
                if current == "," {
                    index += 1
                    var more = ""
                    while let c = current, c.properties.numericType == .decimal, c.isASCII { more.unicodeScalars.append(c); index += 1 }
                    high = Int(more)
                }
                guard current == "}" else { failed = true; return (0, nil) }
                index += 1
                result = (low, high)
            default:
                return result
            }
            // Lazy or possessive forms.
            if current == "?" || current == "+" { index += 1 }
            if current == "?" || current == "*" || current == "+" || current == "{" { failed = true }
            return result
        }

        mutating func atom() -> Atom {
            guard let c = current else { failed = true; return .other }
            index += 1
            switch c {
            case "\\":
                guard let e = current else { failed = true; return .other }
                index += 1
                if "bBAZzGsSdDwWhHvVRXN".unicodeScalars.contains(e) { return .other }
                if e == "p" || e == "P" {
                    if current == "{" { while let x = current, x != "}" { index += 1 }; index += 1 }
                    return .other
                }
                if e.properties.isAlphabetic || e.properties.numericType != nil {
                    // \t, \n, \uhhhh, \x…, back-references, \Q: not worth reading.
                    if e == "Q" || e == "E" || e == "x" || e == "u" || e == "U" || e == "N" { failed = true }
                    return .other
                }
                return literal(e)
            case "[":
                skipClass()
                return .other
            case "(":
                if current == "?" {
                    index += 1
                    switch current {
                    case ":": index += 1
                    case "=", "!":
                        index += 1
                        _ = alternation()
                        closeGroup()
                        return .other
                    case "<":
                        index += 1
                        if current == "=" || current == "!" {
                            index += 1
                            _ = alternation()
                            closeGroup()
                            return .other
                        }
                        // Named group: skip the name.
                        while let x = current, x != ">" { index += 1 }
                        index += 1
                    default:
                        // Inline flags, comments, atomic groups: give up.
                        failed = true
                        return .other
                    }
                }
                let inner = alternation()
                closeGroup()
                return .group(inner)
            case ".", "^", "$":
                return .other
            case "*", "+", "?", "{", ")", "|":
                failed = true
                return .other
            default:
                return literal(c)
            }
        }

        func literal(_ scalar: Unicode.Scalar) -> Atom {
            guard caseInsensitive else { return .literal(scalar) }
            // Case-insensitive: only ASCII is compared, lower-cased.
            guard scalar.isASCII else { return .other }
            return .literal(scalar.properties.isUppercase ? Unicode.Scalar(UInt8(scalar.value) + 32) : scalar)
        }

        mutating func closeGroup() {
            guard current == ")" else { failed = true; return }
            index += 1
        }

        mutating func skipClass() {
            var depth = 1
            if current == "^" { index += 1 }
            if current == "]" { index += 1 }
            while let c = current, depth > 0 {
                index += 1
                switch c {
                case "\\": index += 1
                case "[": depth += 1
                case "]": depth -= 1
                default: break
                }
            }
            if depth > 0 { failed = true }
        }
    }
}

/// Patterns used inline by the rules (`Clause.has`), compiled on first use and kept, keyed
/// by the address of their literal so a lookup costs no hashing of the pattern text.
enum PatternCache {
    private static let compiled = LockedValue<[UInt: TextPattern]>([:])

    static func pattern(_ source: StaticString, options: NSRegularExpression.Options = []) -> TextPattern {
        let key = UInt(bitPattern: source.utf8Start) &+ UInt(options.rawValue) << 56
        return compiled.withLock { compiled in
            if let known = compiled[key] { return known }
            let pattern = TextPattern(source.description, options: options)
            compiled[key] = pattern
            return pattern
        }
    }
}

/// A value behind a lock, for small caches shared by parsers on several threads.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
