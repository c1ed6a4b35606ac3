import Foundation

/// Finds dates in clinical text: ISO ("2025-03-14"), written ("14 March 2025",
/// "March 14, 2025", "Mar 2025", "March 2021"), numeric ("14/03/2025", "03/14/2025",
/// "14.03.2025", "03/2021").
///
/// Numeric dates whose day and month could be swapped (both ≤ 12) are ambiguous between
/// US and European writing. Unless the caller says which order the source uses, they are
/// kept with year precision only — guessing would be a silent default.
public struct ClinicalDateParser: Sendable {
    public enum NumericOrder: String, Sendable {
        case dayFirst, monthFirst
    }

    public struct Found: Sendable, Hashable {
        public var date: ClinicalDate
        public var range: Range<String.Index>
    }

    /// The order of ambiguous numeric dates, if known for the source.
    public var numericOrder: NumericOrder?
    /// The date the text was written, for months named without a year ("ECOG 2 in April"):
    /// the latest such month not after it.
    public var referenceDate: ClinicalDate?

    public init(numericOrder: NumericOrder? = nil, referenceDate: ClinicalDate? = nil) {
        self.numericOrder = numericOrder
        self.referenceDate = referenceDate
    }

    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
        "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
        "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]
    private static let monthPattern = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?"
    private static let patterns: [(NSRegularExpression, String)] = [
        (#"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"#, "ymd"),
        (#"\b(\d{1,2})(?:st|nd|rd|th)?[ -]"# + monthPattern + #"[ \-,]+(\d{4})\b"#, "dMy"),
        (#"\b"# + monthPattern + #" (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b"#, "Mdy"),
        (#"\b"# + monthPattern + #"[ -](\d{4})\b"#, "My"),
        // "May to September 2022": the first month takes the year written once for both.
        (#"\b"# + monthPattern + #"(?=\s*(?:to|-|–|until|through|till)\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ -](\d{4})\b)"#, "My"),
        (#"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"#, "dmy."),
        (#"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"#, "nn/y"),
        (#"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{4})\b"#, "nn/y"),
        (#"(?<=\b(?:in|since|from|during|until|till|by|early|late|mid|of|on|end of|beginning of) )"# + monthPattern + #"(?![ -]?\d)(?![a-z])"#, "M"),
        // A year alone where a report dates something by it: "in 2022", "NGS 2019:", "(2019)".
        (#"(?<=\b(?:in|since|from|during|until|till|by|early|late|mid|NGS|FISH|IHC|PET|CT|MRI|PCR|biopsy|karyotype|test|testing|report) )((?:19|20)\d{2})\b(?![/.,-]?\d)|(?<=\()((?:19|20)\d{2})(?=\))|\b((?:19|20)\d{2})(?=:\s)"#, "Y"),
        (#"\b(\d{1,2})/(\d{4})\b"#, "my/"),
        (#"\b(\d{4})-(\d{1,2})\b(?!-)"#, "ym"),
    ].map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1) }

    /// All dates in `text`, in text order, without overlaps (the more specific pattern wins).
    public func dates(in text: String) -> [Found] {
        let whole = NSRange(text.startIndex..., in: text)
        var found: [Found] = []
        for (regex, kind) in Self.patterns {
            for match in regex.matches(in: text, range: whole) {
                guard let range = Range(match.range, in: text) else { continue }
                if found.contains(where: { $0.range.overlaps(range) }) { continue }
                let groups = (1..<match.numberOfRanges).map { index -> String in
                    Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
                }
                if let date = makeDate(kind: kind, groups) { found.append(Found(date: date, range: range)) }
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// This parser, with the numeric order set from `text` itself when the caller did not
    /// say: a document that writes "23/03/2023" writes day first, so its "06/07/2023" is
    /// 6 July. Only unanimous evidence counts; a text with both orders (or none) stays as is.
    public func inferringNumericOrder(from text: String) -> ClinicalDateParser {
        guard numericOrder == nil else { return self }
        var dayFirst = false, monthFirst = false
        let whole = NSRange(text.startIndex..., in: text)
        for match in Self.slashDate.matches(in: text, range: whole) {
            guard let a = Range(match.range(at: 1), in: text).flatMap({ Int(text[$0]) }),
                  let b = Range(match.range(at: 2), in: text).flatMap({ Int(text[$0]) }) else { continue }
            if a > 12, b <= 12 { dayFirst = true }
            if b > 12, a <= 12 { monthFirst = true }
        }
        guard dayFirst != monthFirst else { return self }
        return ClinicalDateParser(numericOrder: dayFirst ? .dayFirst : .monthFirst, referenceDate: referenceDate)
    }

    /// This parser, resolving year-less months against `date`.
    public func relative(to date: ClinicalDate?) -> ClinicalDateParser {
        ClinicalDateParser(numericOrder: numericOrder, referenceDate: date ?? referenceDate)
    }

    private static let slashDate = try! NSRegularExpression(pattern: #"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b"#)

    /// The first date in `text`.
    public func firstDate(in text: String) -> ClinicalDate? { dates(in: text).first?.date }

    private func makeDate(kind: String, _ g: [String]) -> ClinicalDate? {
        func month(_ name: String) -> Int? { Self.months[name.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))] }
        func valid(_ y: Int?, _ m: Int?, _ d: Int?) -> ClinicalDate? {
            guard let y, (1900...2100).contains(y) else { return nil }
            if let m, !(1...12).contains(m) { return nil }
            if let d, !(1...31).contains(d) { return nil }
            return ClinicalDate(year: y, month: m, day: d)
        }
        switch kind {
        case "ymd": return valid(Int(g[0]), Int(g[1]), Int(g[2]))
        case "dMy": return valid(Int(g[2]), month(g[1]), Int(g[0]))
        case "Mdy": return valid(Int(g[2]), month(g[0]), Int(g[1]))
        case "My": return valid(Int(g[1]), month(g[0]), nil)
        case "Y": return valid(Int(g.first { !$0.isEmpty } ?? ""), nil, nil)
        case "M":
            // "may" is a verb unless capitalised; a year-less month needs the document's date.
            guard let reference = referenceDate, let m = month(g[0]), g[0] != "may" else { return nil }
            let year = m <= (reference.month ?? 12) ? reference.year : reference.year - 1
            return valid(year, m, nil)
        case "dmy.": return valid(Int(g[2]), Int(g[1]), Int(g[0]))
        case "my/": return valid(Int(g[1]), Int(g[0]), nil)
        case "ym": return valid(Int(g[0]), Int(g[1]), nil)
        case "nn/y":
            guard let a = Int(g[0]), let b = Int(g[1]), let y = Int(g[2]) else { return nil }
            if a > 12 { return valid(y, b, a) }
            if b > 12 { return valid(y, a, b) }
            switch numericOrder {
            case .dayFirst: return valid(y, b, a)
            case .monthFirst: return valid(y, a, b)
            case nil: return a == b ? valid(y, a, b) : valid(y, nil, nil)
            }
        default: return nil
        }
    }
}
