import Foundation

/// Undoes common OCR and layout damage before the rules read a text, without moving any
/// character: every repair keeps the UTF-16 length of the text and of each line, so fact
/// spans still index the text the reviewer sees (quotes are taken from the original).
///
/// - letters read inside numbers: "1O.4" → "10.4", "l2" → "12", "O.9" → "0.9";
/// - a word broken by a hyphen at a line end ("transplan-\ntation") is joined, its
///   tail moved up and the freed characters put where the break was.
enum TextRepair {
    static func repair(_ text: String) -> String {
        var repaired = dottedLeaders(in: text)
        repaired = straySpecks(in: repaired)
        repaired = digitsRead(in: repaired)
        repaired = romanStages(in: repaired)
        repaired = joinHyphenation(in: repaired)
        assert(repaired.utf16.count == text.utf16.count, "repairs must not change offsets")
        return repaired
    }

    /// Dotted leaders in result tables ("BTK ........ NOT DETECTED", "CD20 ···· Positive") are
    /// column separators: they become spaces, so the row reads as cells with a wide gap.
    private static let leader = try! NSRegularExpression(pattern: #"(?:[ \t]?[.·…_]){3,}[ \t]?"#)

    private static func dottedLeaders(in text: String) -> String {
        replacing(leader, in: text) { match, _ in String(repeating: " ", count: match.range.length) }
    }

    /// Specks read as punctuation standing alone at a line's start or end ("_ CAR-T cell",
    /// ". metabolic response", "IPI 3. a ;") become spaces.
    private static let speck = try! NSRegularExpression(
        pattern: #"(?m)^[ \t]*[.,;:_=~—|'‘’°©®]+(?=[ \t])|(?<=[ \t])[.,;:_=~—|'‘’°©®]+[ \t]*$|(?<=[ \t])[;:_=~—|'‘’°©®](?=[ \t])"#)

    private static func straySpecks(in text: String) -> String {
        replacing(speck, in: text) { match, _ in String(repeating: " ", count: match.range.length) }
    }

    /// Replaces every match of `pattern`, last first, with what `replacement` makes of it
    /// (given the match and the text being changed, for its groups).
    private static func replacing(_ pattern: NSRegularExpression, in text: String,
                                  _ replacement: (NSTextCheckingResult, NSMutableString) -> String) -> String {
        let ns = NSMutableString(string: text)
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).reversed() {
            ns.replaceCharacters(in: match.range, with: replacement(match, ns))
        }
        return ns as String
    }

    /// "O"/"o" next to digits → "0"; "l"/"I"/"|" between digits or after a decimal point → "1".
    private static let letterInNumber = try! NSRegularExpression(
        pattern: #"(?<=\d)[Oo](?=[\d.,]|\s?%)|(?<=[\d][.,])[Oo]|(?<![A-Za-z])[Oo](?=[.,]\d)|(?<=\d)[lI|](?=\d)|(?<=\d[.,])[lI|](?=\d|\b)|(?<![A-Za-z\d])[lI](?=\d{1,2}[.,]\d)"#)

    private static func digitsRead(in text: String) -> String {
        replacing(letterInNumber, in: text) { match, ns in "oO".contains(ns.substring(with: match.range)) ? "0" : "1" }
    }

    /// "stage Il" → "stage II"; "lq gain", "del(l7p)" keep their 1s.
    private static let misreadNumeral = try! NSRegularExpression(
        pattern: #"(?<=\bstage\s)(?=[IVl]*l)[IVl]{1,4}(?=[A-Ea-e]?\b)|(?<![A-Za-z])l(?=[pq](?:\d|\b))|(?<=\()l(?=\d)|(?<=\bt\()l(?=;)|(?<=;)l(?=\d?\))"#)

    private static func romanStages(in text: String) -> String {
        replacing(misreadNumeral, in: text) { match, ns in
            let token = ns.substring(with: match.range)
            let isRoman = match.range.location >= 6
                && ns.substring(with: NSRange(location: match.range.location - 6, length: 6)).lowercased() == "stage "
            return isRoman ? token.replacingOccurrences(of: "l", with: "I") : "1"
        }
    }

    /// "transplan-\n  tation rest" → "transplantation\n   rest": lower-case word parts only,
    /// so "R-\nCHOP" or "CD19-\nnegative" lists are left alone when the tail is capitalised.
    private static let brokenWord = try! NSRegularExpression(pattern: #"(?<=[a-z]{2})-\n([ \t]*)([a-z]{2,})"#)

    private static func joinHyphenation(in text: String) -> String {
        // Same length: tail + "\n" + the indent + one space for the hyphen.
        replacing(brokenWord, in: text) { match, ns in
            ns.substring(with: match.range(at: 2)) + "\n" + ns.substring(with: match.range(at: 1)) + " "
        }
    }
}
