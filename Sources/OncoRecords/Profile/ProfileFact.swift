import Foundation

/// The fields of a `PatientProfile`, with stable raw values for storage and the API.
public enum ProfileField: String, Codable, Sendable, Hashable, CaseIterable {
    case birthDate = "birth-date"
    case age
    case sex
    case primaryCancer = "primary-cancer"
    case secondaryCancer = "secondary-cancer"
    case histology
    case stage
    case biomarker
    case treatmentLine = "treatment-line"
    case transplant
    case priorCellTherapy = "prior-cell-therapy"
    case performanceStatus = "performance-status"
    case lab
    case lvef
    case cnsInvolvement = "cns-involvement"
    case infection
    case pregnancy

    public var displayName: String {
        switch self {
        case .birthDate: "Birth date"
        case .age: "Age"
        case .sex: "Sex"
        case .primaryCancer: "Primary cancer"
        case .secondaryCancer: "Secondary cancer"
        case .histology: "Histology / subtype"
        case .stage: "Stage"
        case .biomarker: "Biomarker"
        case .treatmentLine: "Treatment line"
        case .transplant: "Transplant"
        case .priorCellTherapy: "Prior CAR-T / cell therapy"
        case .performanceStatus: "Performance status"
        case .lab: "Laboratory value"
        case .lvef: "LVEF"
        case .cnsInvolvement: "CNS involvement"
        case .infection: "Infection (HIV/HBV/HCV)"
        case .pregnancy: "Pregnancy"
        }
    }
}

/// One fact destined for one field of the profile: what extractors and importers return
/// and what `PatientProfile.add(_:)` accepts.
public enum ProfileFact: Codable, Sendable, Hashable {
    case birthDate(Fact<ClinicalDate>)
    case age(Fact<Years>)
    case sex(Fact<AdministrativeSex>)
    case primaryCancer(Fact<Diagnosis>)
    case secondaryCancer(Fact<Diagnosis>)
    case histology(Fact<CodedText>)
    case stage(Fact<Stage>)
    case biomarker(Fact<BiomarkerResult>)
    case treatmentLine(Fact<TreatmentLine>)
    case transplant(Fact<Transplant>)
    case priorCellTherapy(Fact<PriorCellTherapy>)
    case performanceStatus(Fact<PerformanceStatus>)
    case lab(Fact<LabResult>)
    case lvef(Fact<LabResult>)
    case cnsInvolvement(Fact<ClinicalFinding>)
    case infection(Fact<InfectionStatus>)
    case pregnancy(Fact<ClinicalFinding>)

    public var field: ProfileField {
        switch self {
        case .birthDate: .birthDate
        case .age: .age
        case .sex: .sex
        case .primaryCancer: .primaryCancer
        case .secondaryCancer: .secondaryCancer
        case .histology: .histology
        case .stage: .stage
        case .biomarker: .biomarker
        case .treatmentLine: .treatmentLine
        case .transplant: .transplant
        case .priorCellTherapy: .priorCellTherapy
        case .performanceStatus: .performanceStatus
        case .lab: .lab
        case .lvef: .lvef
        case .cnsInvolvement: .cnsInvolvement
        case .infection: .infection
        case .pregnancy: .pregnancy
        }
    }

    /// The fact without its value type, for listing, review queues and summaries.
    public var summary: FactSummary {
        switch self {
        case .birthDate(let f): FactSummary(field: field, f)
        case .age(let f): FactSummary(field: field, f)
        case .sex(let f): FactSummary(field: field, f)
        case .primaryCancer(let f): FactSummary(field: field, f)
        case .secondaryCancer(let f): FactSummary(field: field, f)
        case .histology(let f): FactSummary(field: field, f)
        case .stage(let f): FactSummary(field: field, f)
        case .biomarker(let f): FactSummary(field: field, f)
        case .treatmentLine(let f): FactSummary(field: field, f)
        case .transplant(let f): FactSummary(field: field, f)
        case .priorCellTherapy(let f): FactSummary(field: field, f)
        case .performanceStatus(let f): FactSummary(field: field, f)
        case .lab(let f): FactSummary(field: field, f)
        case .lvef(let f): FactSummary(field: field, f)
        case .cnsInvolvement(let f): FactSummary(field: field, f)
        case .infection(let f): FactSummary(field: field, f)
        case .pregnancy(let f): FactSummary(field: field, f)
        }
    }
}

/// A type-erased view of a fact: enough to list, review and detect conflicts.
public struct FactSummary: Codable, Sendable, Hashable, Identifiable {
    public var id: UUID
    public var field: ProfileField
    public var displayText: String
    public var conflictKey: String?
    public var comparisonValue: String
    public var provenance: Provenance
    public var confidence: Double
    public var status: FactStatus
    public var isNegated: Bool
    public var isUncertain: Bool

    public init<V: ProfileValue>(field: ProfileField, _ fact: Fact<V>) {
        self.id = fact.id
        self.field = field
        self.displayText = fact.value.displayText
        self.conflictKey = fact.value.conflictKey
        self.comparisonValue = fact.value.comparisonValue
        self.provenance = fact.provenance
        self.confidence = fact.confidence
        self.status = fact.status
        self.isNegated = fact.isNegated
        self.isUncertain = fact.isUncertain
    }

    /// "no CNS involvement (uncertain)", as a reviewer should read it.
    public var assertionText: String {
        (isNegated ? "NOT " : "") + displayText + (isUncertain ? " (uncertain)" : "")
    }

    var isActive: Bool {
        if case .rejected = status { return false }
        return true
    }
}
