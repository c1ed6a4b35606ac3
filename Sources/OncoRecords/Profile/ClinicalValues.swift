import Foundation

/// A cancer diagnosis (primary or secondary), mCODE `PrimaryCancerCondition` shaped.
public struct Diagnosis: Codable, Sendable, Hashable, ProfileValue {
    public var cancer: CodedText
    public var diagnosisDate: ClinicalDate?
    /// Body site, when stated ("left upper lobe").
    public var bodySite: String?

    public init(cancer: CodedText, diagnosisDate: ClinicalDate? = nil, bodySite: String? = nil) {
        self.cancer = cancer
        self.diagnosisDate = diagnosisDate
        self.bodySite = bodySite
    }

    public var displayText: String {
        var text = cancer.text
        if let bodySite { text += " (\(bodySite))" }
        if let diagnosisDate { text += ", diagnosed \(diagnosisDate)" }
        return text
    }
    public var conflictKey: String? { "diagnosis" }
    public var comparisonValue: String { cancer.comparisonValue }
}

/// A stage in the system the source used.
public struct Stage: Codable, Sendable, Hashable, ProfileValue {
    public enum System: String, Codable, Sendable, Hashable {
        case tnm = "TNM"
        case annArbor = "Ann Arbor"
        case riss = "R-ISS"
        case iss = "ISS"
        case figo = "FIGO"
        case other
    }

    public var system: System
    /// The stage group as written ("IIIA", "IV", "II").
    public var group: String?
    /// TNM categories when given ("cT2a", "N2", "M0").
    public var t: String?
    public var n: String?
    public var m: String?
    /// Clinical ("c") or pathological ("p") staging, when known.
    public var basis: String?
    public var date: ClinicalDate?
    public var text: String

    public init(system: System, group: String? = nil, t: String? = nil, n: String? = nil, m: String? = nil,
                basis: String? = nil, date: ClinicalDate? = nil, text: String) {
        self.system = system
        self.group = group
        self.t = t
        self.n = n
        self.m = m
        self.basis = basis
        self.date = date
        self.text = text
    }

    public var displayText: String {
        var parts: [String] = []
        if let group { parts.append("\(system.rawValue) stage \(group)") }
        let tnm = [t, n, m].compactMap { $0 }.joined(separator: " ")
        if !tnm.isEmpty { parts.append(tnm) }
        if parts.isEmpty { parts.append(text) }
        if let date { parts.append("(\(date))") }
        return parts.joined(separator: " ")
    }
    public var conflictKey: String? { "stage-\(system.rawValue)" }
    public var comparisonValue: String { (group ?? [t, n, m].compactMap { $0 }.joined(separator: " ")).uppercased() }
}

/// A biomarker result: gene or protein, optional alteration, and the result.
public struct BiomarkerResult: Codable, Sendable, Hashable, ProfileValue {
    public enum Interpretation: String, Codable, Sendable, Hashable {
        case positive, negative, indeterminate, value
    }

    /// Gene or protein name as normalised by the lexicon ("EGFR", "CD19", "PD-L1", "HLA-A").
    public var marker: String
    /// Lexicon concept id when known.
    public var conceptID: String?
    /// "exon 19 deletion", "L858R", "V600E", "*02:01", "t(11;14)".
    public var alteration: String?
    public var interpretation: Interpretation
    /// Quantitative result ("80%", "TPS 50%").
    public var value: String?
    public var date: ClinicalDate?

    public init(marker: String, conceptID: String? = nil, alteration: String? = nil,
                interpretation: Interpretation, value: String? = nil, date: ClinicalDate? = nil) {
        self.marker = marker
        self.conceptID = conceptID
        self.alteration = alteration
        self.interpretation = interpretation
        self.value = value
        self.date = date
    }

    public var displayText: String {
        var text = marker
        if let alteration { text += " \(alteration)" }
        text += ": \(interpretation.rawValue)"
        if let value { text += " (\(value))" }
        return text
    }
    public var conflictKey: String? { "biomarker-\(marker.uppercased())-\((alteration ?? "").lowercased())" }
    public var comparisonValue: String { interpretation == .value ? (value ?? "") : interpretation.rawValue }
}

/// Why a line of therapy was given.
public enum TreatmentIntent: String, Codable, Sendable, Hashable {
    case induction, bridging, maintenance, consolidation, salvage, conditioning, palliative, adjuvant, neoadjuvant
}

/// Best response to a line (Lugano / RECIST / IMWG wording reduced to the common set).
public enum TreatmentResponse: String, Codable, Sendable, Hashable {
    case completeResponse = "CR"
    case partialResponse = "PR"
    case veryGoodPartialResponse = "VGPR"
    case stableDisease = "SD"
    case progressiveDisease = "PD"
}

/// One line of systemic therapy (or radiotherapy / surgery imported from FHIR).
public struct TreatmentLine: Codable, Sendable, Hashable, ProfileValue {
    public enum Kind: String, Codable, Sendable, Hashable {
        case systemic, radiation, surgery
    }

    public var kind: Kind
    /// Line number when stated ("second-line").
    public var lineNumber: Int?
    /// Regimen name ("R-CHOP") with its concept id when known.
    public var regimen: CodedText?
    /// Individual drugs (from the regimen, a FHIR medication, or a list in the text).
    public var drugs: [CodedText]
    public var startDate: ClinicalDate?
    public var endDate: ClinicalDate?
    public var intent: TreatmentIntent?
    public var bestResponse: TreatmentResponse?
    /// `true` refractory, `false` explicitly not refractory, `nil` unknown.
    public var refractory: Bool?
    public var relapseDate: ClinicalDate?
    /// `true` when the document gives these dates against another one it names ("started 04/11/2022
    /// (the CT reports say 04/18/2022, which was cycle 1 day 8)"): the writer weighed both, so across
    /// documents these dates win.
    public var datesWeighed: Bool?

    public init(kind: Kind = .systemic, lineNumber: Int? = nil, regimen: CodedText? = nil, drugs: [CodedText] = [],
                startDate: ClinicalDate? = nil, endDate: ClinicalDate? = nil, intent: TreatmentIntent? = nil,
                bestResponse: TreatmentResponse? = nil, refractory: Bool? = nil, relapseDate: ClinicalDate? = nil) {
        self.kind = kind
        self.lineNumber = lineNumber
        self.regimen = regimen
        self.drugs = drugs
        self.startDate = startDate
        self.endDate = endDate
        self.intent = intent
        self.bestResponse = bestResponse
        self.refractory = refractory
        self.relapseDate = relapseDate
    }

    public var displayText: String {
        var text = regimen?.text ?? drugs.map(\.text).joined(separator: " + ")
        if text.isEmpty { text = kind.rawValue }
        if let lineNumber { text = "line \(lineNumber): " + text }
        if let intent { text += " [\(intent.rawValue)]" }
        if startDate != nil || endDate != nil {
            text += " \(startDate?.description ?? "?")–\(endDate?.description ?? "?")"
        }
        if let bestResponse { text += ", best response \(bestResponse.rawValue)" }
        if refractory == true { text += ", refractory" }
        if let relapseDate { text += ", relapsed \(relapseDate)" }
        return text
    }
    public var conflictKey: String? { nil }
}

/// A haematopoietic stem-cell transplant.
public struct Transplant: Codable, Sendable, Hashable, ProfileValue {
    public enum Kind: String, Codable, Sendable, Hashable {
        case autologous, allogeneic, unspecified
    }

    public var kind: Kind
    public var date: ClinicalDate?

    public init(kind: Kind, date: ClinicalDate? = nil) {
        self.kind = kind
        self.date = date
    }

    public var displayText: String { "\(kind.rawValue) stem-cell transplant" + (date.map { " (\($0))" } ?? "") }
    public var conflictKey: String? { nil }
}

/// A prior CAR-T (or other engineered cell) therapy.
public struct PriorCellTherapy: Codable, Sendable, Hashable, ProfileValue {
    /// Product name with concept id when known ("axicabtagene ciloleucel").
    public var product: CodedText?
    /// Antigen target when stated ("CD19", "BCMA").
    public var target: String?
    public var date: ClinicalDate?
    public var bestResponse: TreatmentResponse?

    public init(product: CodedText? = nil, target: String? = nil, date: ClinicalDate? = nil, bestResponse: TreatmentResponse? = nil) {
        self.product = product
        self.target = target
        self.date = date
        self.bestResponse = bestResponse
    }

    public var displayText: String {
        var text = "CAR-T"
        if let product { text += ": \(product.text)" }
        if let target { text += " (\(target)-directed)" }
        if let date { text += ", \(date)" }
        return text
    }
    public var conflictKey: String? { nil }
}

/// ECOG (0–5) or Karnofsky (0–100) performance status.
public struct PerformanceStatus: Codable, Sendable, Hashable, ProfileValue {
    public enum Scale: String, Codable, Sendable, Hashable {
        case ecog = "ECOG"
        case karnofsky = "Karnofsky"
    }

    public var scale: Scale
    public var score: Int
    public var date: ClinicalDate?

    public init(scale: Scale, score: Int, date: ClinicalDate? = nil) {
        self.scale = scale
        self.score = score
        self.date = date
    }

    public var displayText: String {
        "\(scale.rawValue) \(score)" + (scale == .karnofsky ? "%" : "") + (date.map { " (\($0))" } ?? "")
    }
    /// Scores on different dates may differ legitimately; on the same (or an unknown) date they must agree.
    public var conflictKey: String? { "\(scale.rawValue)-\(date?.description ?? "undated")" }
    public var comparisonValue: String { "\(score)" }
}

/// A quantitative measurement: a lab value or LVEF.
public struct LabResult: Codable, Sendable, Hashable, ProfileValue {
    /// Normalised analyte name ("creatinine", "ANC", "LVEF").
    public var name: String
    /// LOINC code when known (from FHIR).
    public var loinc: String?
    public var value: Double
    /// Unit as written ("mg/dL", "x10^9/L", "%").
    public var unit: String?
    public var date: ClinicalDate?

    public init(name: String, loinc: String? = nil, value: Double, unit: String? = nil, date: ClinicalDate? = nil) {
        self.name = name
        self.loinc = loinc
        self.value = value
        self.unit = unit
        self.date = date
    }

    public var displayText: String {
        let number = value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
        return "\(name) \(number)" + (unit.map { $0 == "%" ? $0 : " \($0)" } ?? "") + (date.map { " (\($0))" } ?? "")
    }
    public var conflictKey: String? { "\(name.lowercased())-\(date?.description ?? "undated")" }
    public var comparisonValue: String { "\(value) \(unit?.lowercased() ?? "")" }
}

/// HIV / HBV / HCV status.
public struct InfectionStatus: Codable, Sendable, Hashable, ProfileValue {
    public enum Agent: String, Codable, Sendable, Hashable, CaseIterable {
        case hiv = "HIV"
        case hbv = "HBV"
        case hcv = "HCV"
    }
    public enum Result: String, Codable, Sendable, Hashable {
        case positive, negative
    }

    public var agent: Agent
    public var result: Result
    /// The test when stated ("HBsAg", "HCV RNA").
    public var test: String?
    public var date: ClinicalDate?

    public init(agent: Agent, result: Result, test: String? = nil, date: ClinicalDate? = nil) {
        self.agent = agent
        self.result = result
        self.test = test
        self.date = date
    }

    public var displayText: String { "\(test ?? agent.rawValue): \(result.rawValue)" }
    public var conflictKey: String? { "\(agent.rawValue)-\(test ?? "")" }
    public var comparisonValue: String { result.rawValue }
}
