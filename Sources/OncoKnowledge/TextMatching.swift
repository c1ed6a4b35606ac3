import Foundation

/// Normalisation and edit distance shared by every name lookup, so that "Non-Small Cell",
/// "non small-cell" and "NON SMALL CELL" are one term.
public enum TextMatching {
    /// Lower-cased, accents folded, every run of non-alphanumerics turned into one space.
    public static func normalize(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    /// `normalize` with the spaces removed: "R-CHOP", "r chop" and "RCHOP" agree.
    public static func compact(_ text: String) -> String {
        normalize(text).replacingOccurrences(of: " ", with: "")
    }

    /// Words of `normalize(text)`.
    public static func tokens(_ text: String) -> [String] {
        normalize(text).split(separator: " ").map(String.init)
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and
    /// swaps of two neighbouring letters each cost 1 ("myleoma" is 1 from "myeloma").
    public static func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let s = Array(a), t = Array(b)
        if abs(s.count - t.count) > limit { return limit + 1 }
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }

    /// Whether a term is written as an abbreviation: no lower-case letters ("DLBCL",
    /// "B-ALL", "CLL/SLL"). Abbreviations are matched exactly, never by misspelling.
    public static func isAcronym(_ term: String) -> Bool {
        !term.contains { $0.isLowercase } && term.contains { $0.isLetter }
    }

    /// How many edits a misspelling of a term this long may contain. Short terms (most
    /// abbreviations: CLL, SLL, MCL, ALL, AML) get none, since one letter turns one
    /// disease into another.
    public static func allowedEdits(forLength length: Int) -> Int {
        switch length {
        case ..<5: 0
        case 5...8: 1
        default: 2
        }
    }
}
