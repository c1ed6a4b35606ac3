import Foundation

/// Rewrites a regular-expression alternation of words so ICU tries far fewer branches at
/// each position, without changing what it matches.
///
/// ICU tries the branches of `(?:≥|>=|greater\s+than|…|at\s+least|…)` one by one at every
/// position of the text. Grouped by first character — `(?:≥|>(?:=|)|g(?:reater\s+than)|a(?:t\s+least)…)`
/// — a position fails after one comparison per group. The result is the same: branches
/// with different first characters can never match at the same position, and within a
/// group the branches keep their order, so the first branch that matches is the same one.
enum RegexAlternation {
    /// `(?:a|b|…)` with its branches grouped by first character; the input unchanged when a
    /// branch does not start with a plain character (a class, a quantified first character,
    /// a letter that has other case forms than ASCII's).
    static func factored(_ group: String) -> String {
        guard let branches = branches(of: group) else { return group }
        return factored(branches: branches) ?? group
    }

    /// `(?:` + branches grouped by first character + `)`, or nil when that is not exact.
    static func factored(branches: [String]) -> String? {
        var order: [String] = []
        var groups: [String: [String]] = [:]
        for branch in branches.flatMap(distributed) {
            guard let (head, rest) = split(branch) else { return nil }
            if groups[head] == nil { order.append(head) }
            groups[head, default: []].append(rest)
        }
        // A digit class and a literal digit could both match at one position.
        if groups[digitClass] != nil, order.contains(where: { $0.unicodeScalars.count == 1 && $0.unicodeScalars.first!.properties.numericType != nil }) { return nil }
        let parts = order.map { head -> String in
            let rests = groups[head]!
            // Branches starting with a digit class are kept whole.
            if head == digitClass { return rests.joined(separator: "|") }
            return rests.count == 1 ? head + rests[0] : head + "(?:" + rests.joined(separator: "|") + ")"
        }
        return "(?:" + parts.joined(separator: "|") + ")"
    }

    static let digitClass = "\\d"

    /// `(?:a|b)rest` as `arest`, `brest` (the same alternatives in the same order); other
    /// branches as they are.
    static func distributed(_ branch: String) -> [String] {
        guard branch.hasPrefix("(?:") else { return [branch] }
        // Find the group's closing parenthesis.
        let scalars = Array(branch.unicodeScalars)
        var depth = 0
        var inClass = false
        var index = 0
        var close: Int?
        while index < scalars.count {
            let c = scalars[index]
            if c == "\\" { index += 2; continue }
            if inClass { if c == "]" { inClass = false } }
            else if c == "[" { inClass = true }
            else if c == "(" { depth += 1 }
            else if c == ")" { depth -= 1; if depth == 0 { close = index; break } }
            index += 1
        }
        guard let close, close + 1 <= scalars.count else { return [branch] }
        let rest = String(String.UnicodeScalarView(scalars[(close + 1)...]))
        if let next = rest.unicodeScalars.first, "*+?{".unicodeScalars.contains(next) { return [branch] }
        guard let inner = branches(of: String(String.UnicodeScalarView(scalars[0...close]))) else { return [branch] }
        return inner.map { $0 + rest }
    }

    /// The top-level branches of `(?:…)`, or nil when `group` is not one group.
    static func branches(of group: String) -> [String]? {
        let scalars = Array(group.unicodeScalars)
        guard scalars.count >= 4, scalars[0] == "(", scalars[1] == "?", scalars[2] == ":", scalars.last == ")" else { return nil }
        var branches: [String] = []
        var current = String.UnicodeScalarView()
        var depth = 0
        var inClass = false
        var index = 3
        while index < scalars.count - 1 {
            let c = scalars[index]
            if c == "\\" {
                current.append(c)
                index += 1
                if index < scalars.count - 1 { current.append(scalars[index]) }
                index += 1
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth < 0 { return nil }   // the first group closes before the end
            } else if c == "|", depth == 0 {
                branches.append(String(current))
                current = String.UnicodeScalarView()
                index += 1
                continue
            }
            current.append(c)
            index += 1
        }
        guard depth == 0, !inClass else { return nil }
        branches.append(String(current))
        return branches
    }

    /// A branch's first character (as a pattern piece, lower-cased) and the rest; nil when
    /// the first piece is not one plain character matched on its own.
    static func split(_ branch: String) -> (String, String)? {
        let scalars = Array(branch.unicodeScalars)
        guard let first = scalars.first else { return nil }
        var headLength = 1
        if first == "\\" {
            guard scalars.count >= 2 else { return nil }
            // A branch that starts with a digit class is kept whole, under its own key.
            if scalars[1] == "d" { return (digitClass, branch) }
            // An escaped punctuation character is a plain character; \s, \b, \w … are not.
            guard !scalars[1].properties.isAlphabetic, scalars[1].properties.numericType == nil else { return nil }
            headLength = 2
        } else if "[(.^$|)*+?{".unicodeScalars.contains(first) {
            return nil
        } else if first.isASCII ? first.properties.isUppercase : (first.properties.changesWhenCaseFolded || first.properties.changesWhenCaseMapped) {
            // Case variants would fall into separate groups that could both match.
            return nil
        }
        if scalars.count > headLength, "*+?{".unicodeScalars.contains(scalars[headLength]) { return nil }
        let head = String(String.UnicodeScalarView(scalars[0..<headLength]))
        return (head, String(String.UnicodeScalarView(scalars[headLength...])))
    }
}
