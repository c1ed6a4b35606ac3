import Foundation

/// What a `Fact` can hold: a value with a one-line text for reviewers and a key saying
/// which other facts it must agree with.
public protocol ProfileValue: Codable, Sendable, Hashable {
    /// A short human-readable rendering ("EGFR exon 19 deletion: positive").
    var displayText: String { get }
    /// Facts whose values share a key describe the same thing and must agree; differing
    /// values are a conflict. `nil` means the value may legitimately occur many times
    /// (e.g. treatment lines) and never conflicts.
    var conflictKey: String? { get }
    /// What must be equal for two facts with the same key to agree. Defaults to the
    /// lower-cased display text; coded values compare by concept id.
    var comparisonValue: String { get }
}

extension ProfileValue {
    public var comparisonValue: String { displayText.lowercased() }
}

/// A date as precise as the source gave it: "2021", "2021-03" or "2021-03-14".
/// Clinical documents often say "03/2021" and inventing a day would be a silent default.
public struct ClinicalDate: Codable, Sendable, Hashable, Comparable, CustomStringConvertible, ProfileValue {
    public var year: Int
    public var month: Int?
    public var day: Int?

    public init(year: Int, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = month == nil ? nil : day
    }

    /// Parses "YYYY", "YYYY-MM", "YYYY-MM-DD" and FHIR dateTimes ("2019-04-01T10:00:00Z").
    public init?(iso: String) {
        let datePart = iso.split(separator: "T", maxSplits: 1).first.map(String.init) ?? iso
        let parts = datePart.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        let numbers = parts.compactMap { $0 }
        guard (1800...2200).contains(numbers[0]) else { return nil }
        if numbers.count > 1, !(1...12).contains(numbers[1]) { return nil }
        if numbers.count > 2, !(1...31).contains(numbers[2]) { return nil }
        self.init(year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
    }

    public var description: String {
        var text = String(format: "%04d", year)
        if let month { text += String(format: "-%02d", month) }
        if let day { text += String(format: "-%02d", day) }
        return text
    }

    public var displayText: String { description }
    public var conflictKey: String? { "date" }

    public static func < (lhs: ClinicalDate, rhs: ClinicalDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = ClinicalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a YYYY[-MM[-DD]] date: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A concept as the source named it, with the ontology id when the lexicon knew it.
public struct CodedText: Codable, Sendable, Hashable, ProfileValue {
    /// OncoKnowledge concept id (e.g. "dlbcl-nos"), when resolved.
    public var conceptID: String?
    /// The words of the source ("diffuse large B-cell lymphoma").
    public var text: String
    /// External codes carried from FHIR, as "system|code" (SNOMED CT, ICD-10, LOINC …).
    public var codes: [String]

    public init(conceptID: String? = nil, text: String, codes: [String] = []) {
        self.conceptID = conceptID
        self.text = text
        self.codes = codes
    }

    public var displayText: String { text }
    public var conflictKey: String? { "value" }
    public var comparisonValue: String { conceptID ?? text.lowercased() }
}

/// A finding that is either present or, when its fact `isNegated`, absent
/// (CNS involvement, pregnancy). The text is what the source said.
public struct ClinicalFinding: Codable, Sendable, Hashable, ProfileValue {
    public var text: String
    public var date: ClinicalDate?

    public init(text: String, date: ClinicalDate? = nil) {
        self.text = text
        self.date = date
    }

    public var displayText: String { text }
    public var conflictKey: String? { "finding" }
}

/// An integer value with no further structure (age in years).
public struct Years: Codable, Sendable, Hashable, ProfileValue {
    public var value: Int
    public init(_ value: Int) { self.value = value }
    public var displayText: String { "\(value) years" }
    public var conflictKey: String? { "value" }
}

public enum AdministrativeSex: String, Codable, Sendable, Hashable, ProfileValue {
    case female, male, other, unknown
    public var displayText: String { rawValue }
    public var conflictKey: String? { "sex" }
}

extension ClinicalDate {
    /// Completed years from `birth` to `date` (both full dates): the age on that day.
    public static func wholeYears(from birth: ClinicalDate, to date: ClinicalDate) -> Int {
        var years = date.year - birth.year
        if (date.month ?? 1, date.day ?? 1) < (birth.month ?? 1, birth.day ?? 1) { years -= 1 }
        return years
    }
}
