import Foundation

/// Flat read access to the fields the index, the server and the matcher use most, so they
/// need not walk the module nesting.
extension Study {
    public var nctID: String { protocolSection.identificationModule.nctId }
    public var briefTitle: String? { protocolSection.identificationModule.briefTitle }
    public var officialTitle: String? { protocolSection.identificationModule.officialTitle }
    public var acronym: String? { protocolSection.identificationModule.acronym }
    public var overallStatus: String? { protocolSection.statusModule?.overallStatus }
    public var conditions: [String] { protocolSection.conditionsModule?.conditions ?? [] }
    public var keywords: [String] { protocolSection.conditionsModule?.keywords ?? [] }
    public var interventions: [Intervention] { protocolSection.armsInterventionsModule?.interventions ?? [] }
    public var phases: [String] { protocolSection.designModule?.phases ?? [] }
    public var briefSummary: String? { protocolSection.descriptionModule?.briefSummary }
    public var eligibility: Eligibility? { protocolSection.eligibilityModule }
    public var eligibilityCriteria: String? { protocolSection.eligibilityModule?.eligibilityCriteria }
    public var locations: [Location] { protocolSection.contactsLocationsModule?.locations ?? [] }
    public var centralContacts: [Contact] { protocolSection.contactsLocationsModule?.centralContacts ?? [] }
    /// MeSH terms for the conditions (`derivedSection.conditionBrowseModule.meshes`).
    public var conditionMeshTerms: [MeshTerm] { derivedSection?.conditionBrowseModule?.meshes ?? [] }
    /// MeSH terms for the interventions (`derivedSection.interventionBrowseModule.meshes`).
    public var interventionMeshTerms: [MeshTerm] { derivedSection?.interventionBrowseModule?.meshes ?? [] }

    /// When the registry record last changed: the last update post date, else the submit date.
    public var lastUpdate: RegistryDate? {
        let status = protocolSection.statusModule
        return status?.lastUpdatePostDateStruct?.parsed ?? status?.lastUpdateSubmitDate.flatMap(RegistryDate.init(_:))
    }

    public var startDate: RegistryDate? { protocolSection.statusModule?.startDateStruct?.parsed }
}

/// A registry date: `yyyy-MM-dd` or `yyyy-MM` (then `day` is nil).
public struct RegistryDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int?

    public init(year: Int, month: Int, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2024-03-05` or `2024-03`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        var day: Int?
        if parts.count == 3 {
            guard let d = Int(parts[2]), (1...31).contains(d) else { return nil }
            day = d
        }
        self.init(year: year, month: month, day: day)
    }

    /// Midnight UTC of the day (the first of the month when the day is unknown).
    public var date: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day ?? 1)) ?? Date(timeIntervalSince1970: 0)
    }

    public static func < (lhs: RegistryDate, rhs: RegistryDate) -> Bool {
        (lhs.year, lhs.month, lhs.day ?? 0) < (rhs.year, rhs.month, rhs.day ?? 0)
    }

    public var description: String {
        day.map { String(format: "%04d-%02d-%02d", year, month, $0) } ?? String(format: "%04d-%02d", year, month)
    }
}

/// A registry age limit such as "18 Years" or "6 Months".
public struct AgeLimit: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, Codable {
        case years, months, weeks, days, hours, minutes
    }

    public var value: Double
    public var unit: Unit

    public init(value: Double, unit: Unit) {
        self.value = value
        self.unit = unit
    }

    /// Parses "18 Years", "6 Months", "12 Weeks", "1 Day"; nil for "N/A" or unreadable text.
    public init?(_ text: String) {
        let parts = text.lowercased().split(whereSeparator: { $0 == " " })
        guard parts.count == 2, let value = Double(parts[0]) else { return nil }
        let word = parts[1].hasSuffix("s") ? String(parts[1].dropLast()) : String(parts[1])
        guard let unit = Unit(rawValue: word + "s") else { return nil }
        self.init(value: value, unit: unit)
    }

    /// The limit in years (months / 12, weeks / 52.1775 …).
    public var years: Double {
        switch unit {
        case .years: value
        case .months: value / 12
        case .weeks: value / 52.1775
        case .days: value / 365.25
        case .hours: value / 8766
        case .minutes: value / 525_960
        }
    }

    /// The limit in whole months, rounded down.
    public var months: Double { years * 12 }

    public var description: String {
        let number = value == value.rounded() ? String(Int(value)) : String(value)
        return "\(number) \(value == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue)"
    }
}
