import Foundation

/// The structured case of one person, mCODE-shaped. Every field is a list of facts from
/// documents, FHIR imports or people — several sources may speak about one field, and
/// when they disagree `conflicts` says so instead of one silently winning.
///
/// Unknown stays unknown: an empty list means nothing is known, never "normal" or "absent".
/// Absence must be stated by a source and is then a fact with `isNegated == true`.
public struct PatientProfile: Codable, Sendable, Hashable {
    /// The server's case or patient identifier, if any (not a medical record number).
    public var caseID: String?

    public var birthDates: [Fact<ClinicalDate>] = []
    public var ages: [Fact<Years>] = []
    public var sexes: [Fact<AdministrativeSex>] = []
    public var primaryCancers: [Fact<Diagnosis>] = []
    public var secondaryCancers: [Fact<Diagnosis>] = []
    public var histologies: [Fact<CodedText>] = []
    public var stages: [Fact<Stage>] = []
    public var biomarkers: [Fact<BiomarkerResult>] = []
    public var treatmentLines: [Fact<TreatmentLine>] = []
    public var transplants: [Fact<Transplant>] = []
    public var priorCellTherapies: [Fact<PriorCellTherapy>] = []
    public var performanceStatuses: [Fact<PerformanceStatus>] = []
    public var labs: [Fact<LabResult>] = []
    public var lvefs: [Fact<LabResult>] = []
    public var cnsInvolvement: [Fact<ClinicalFinding>] = []
    public var infections: [Fact<InfectionStatus>] = []
    public var pregnancy: [Fact<ClinicalFinding>] = []

    public init(caseID: String? = nil) {
        self.caseID = caseID
    }

    /// A profile holding `facts`.
    public init(caseID: String? = nil, facts: [ProfileFact]) {
        self.caseID = caseID
        add(facts)
    }

    public mutating func add(_ facts: [ProfileFact]) {
        for fact in facts { add(fact) }
    }

    public mutating func add(_ fact: ProfileFact) {
        switch fact {
        case .birthDate(let f): birthDates.append(f)
        case .age(let f): ages.append(f)
        case .sex(let f): sexes.append(f)
        case .primaryCancer(let f): primaryCancers.append(f)
        case .secondaryCancer(let f): secondaryCancers.append(f)
        case .histology(let f): histologies.append(f)
        case .stage(let f): stages.append(f)
        case .biomarker(let f): biomarkers.append(f)
        case .treatmentLine(let f): treatmentLines.append(f)
        case .transplant(let f): transplants.append(f)
        case .priorCellTherapy(let f): priorCellTherapies.append(f)
        case .performanceStatus(let f): performanceStatuses.append(f)
        case .lab(let f): labs.append(f)
        case .lvef(let f): lvefs.append(f)
        case .cnsInvolvement(let f): cnsInvolvement.append(f)
        case .infection(let f): infections.append(f)
        case .pregnancy(let f): pregnancy.append(f)
        }
    }

    /// Every fact, field by field, in insertion order.
    public var facts: [ProfileFact] {
        birthDates.map(ProfileFact.birthDate) + ages.map(ProfileFact.age) + sexes.map(ProfileFact.sex)
            + primaryCancers.map(ProfileFact.primaryCancer) + secondaryCancers.map(ProfileFact.secondaryCancer)
            + histologies.map(ProfileFact.histology) + stages.map(ProfileFact.stage)
            + biomarkers.map(ProfileFact.biomarker) + treatmentLines.map(ProfileFact.treatmentLine)
            + transplants.map(ProfileFact.transplant) + priorCellTherapies.map(ProfileFact.priorCellTherapy)
            + performanceStatuses.map(ProfileFact.performanceStatus) + labs.map(ProfileFact.lab)
            + lvefs.map(ProfileFact.lvef) + cnsInvolvement.map(ProfileFact.cnsInvolvement)
            + infections.map(ProfileFact.infection) + pregnancy.map(ProfileFact.pregnancy)
    }

    /// Changes the status of the fact with `id` wherever it is (confirm / reject by a person).
    /// Returns false when no fact has that id.
    @discardableResult
    public mutating func setStatus(_ status: FactStatus, forFact id: UUID) -> Bool {
        func update<V>(_ list: inout [Fact<V>]) -> Bool {
            guard let index = list.firstIndex(where: { $0.id == id }) else { return false }
            list[index].status = status
            return true
        }
        return update(&birthDates) || update(&ages) || update(&sexes) || update(&primaryCancers)
            || update(&secondaryCancers) || update(&histologies) || update(&stages) || update(&biomarkers)
            || update(&treatmentLines) || update(&transplants) || update(&priorCellTherapies)
            || update(&performanceStatuses) || update(&labs) || update(&lvefs) || update(&cnsInvolvement)
            || update(&infections) || update(&pregnancy)
    }

    /// The fact to show for a single-valued field: a human-reviewed fact first, then the
    /// most confident; rejected facts never. `nil` means unknown.
    public static func preferred<V>(_ facts: [Fact<V>]) -> Fact<V>? {
        facts.filter(\.isActive).max { lhs, rhs in
            (lhs.status.isHumanReviewed ? 1 : 0, lhs.isUncertain ? 0 : 1, lhs.confidence)
                < (rhs.status.isHumanReviewed ? 1 : 0, rhs.isUncertain ? 0 : 1, rhs.confidence)
        }
    }

    /// `true` / `false` when a source says so, `nil` when unknown (never assumed absent).
    public static func findingPresent(_ facts: [Fact<ClinicalFinding>]) -> Bool? {
        preferred(facts).map { !$0.isNegated }
    }

    public var primaryCancer: Fact<Diagnosis>? { Self.preferred(primaryCancers) }
    public var latestECOG: Fact<PerformanceStatus>? {
        Self.latest(performanceStatuses.filter { $0.value.scale == .ecog }, date: \.date)
    }
    public var latestLVEF: Fact<LabResult>? { Self.latest(lvefs, date: \.date) }
    public var hasCNSInvolvement: Bool? { Self.findingPresent(cnsInvolvement) }
    public var isPregnant: Bool? { Self.findingPresent(pregnancy) }

    /// The most recent active, non-negated fact by the value's date (undated ones last resort).
    public static func latest<V>(_ facts: [Fact<V>], date: (V) -> ClinicalDate?) -> Fact<V>? {
        let active = facts.filter { $0.isActive && !$0.isNegated }
        let dated = active.filter { date($0.value) != nil }
        if let newest = dated.max(by: { date($0.value)! < date($1.value)! }) { return newest }
        return preferred(active)
    }
}
