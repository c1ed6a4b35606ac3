import Foundation

/// One eligibility criterion, cut from a study's criteria text, with what could be
/// understood of it as structured constraints.
public struct Criterion: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case inclusion, exclusion
    }

    public var kind: Kind
    /// The criterion as written (bullet or number removed, otherwise verbatim).
    public var text: String
    /// Where `text` sits in the parsed criteria string.
    public var range: Range<String.Index>
    /// The same position as character offsets (for storage and JSON).
    public var characterOffsets: Range<Int>
    /// Nesting level: 0 for a top-level item, 1 for a sub-item …
    public var depth: Int
    /// Index (in the parser's result) of the item this one is nested under.
    public var parent: Int?
    /// The nearest heading above the item ("Hepatic", "Prior concurrent therapy"), if any.
    public var heading: String?
    /// Everything recognised; `.needsReview` when nothing was.
    public var constraints: [CriterionConstraint]
    /// The criterion states the absence of what its constraints describe ("No active
    /// infection", "Not pregnant or nursing").
    public var negated: Bool = false

    /// Constraints describe a condition ("HIV", "pregnant or breastfeeding", "ECOG 0–2").
    /// Whether meeting that condition makes the person eligible or not follows from the
    /// section and the wording: an inclusion criterion that is not negated requires it;
    /// an exclusion criterion, or a negated inclusion one ("No prior CAR-T"), excludes.
    public var conditionExcludes: Bool { (kind == .exclusion) != negated }
}

/// A number with whether the bound itself is allowed ("≥ 18" inclusive, "> 18" not).
public struct NumericBound: Sendable, Hashable, Codable {
    public var value: Double
    public var inclusive: Bool
    public init(_ value: Double, inclusive: Bool = true) {
        self.value = value
        self.inclusive = inclusive
    }
}

/// Lower and/or upper bound on a quantity.
public struct Bounds: Sendable, Hashable, Codable {
    public var lower: NumericBound?
    public var upper: NumericBound?
    public init(lower: NumericBound? = nil, upper: NumericBound? = nil) {
        self.lower = lower
        self.upper = upper
    }
    public var isEmpty: Bool { lower == nil && upper == nil }
}

/// A span of time ("4 weeks", "6 months"), kept in the text's unit.
public struct TimeSpan: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Hashable, Codable { case hours, days, weeks, months, years }
    public var value: Double
    public var unit: Unit
    public init(_ value: Double, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }
    /// The span in days (months 30.44, years 365.25).
    public var days: Double {
        switch unit {
        case .hours: value / 24
        case .days: value
        case .weeks: value * 7
        case .months: value * 30.4375
        case .years: value * 365.25
        }
    }
}

public enum DiseaseStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case relapsed, refractory, measurableDisease = "measurable-disease", evaluableDisease = "evaluable-disease"
    case newlyDiagnosed = "newly-diagnosed", metastatic, locallyAdvanced = "locally-advanced", unresectable
    case progressive, remission = "complete-remission", minimalResidualDisease = "minimal-residual-disease"
}

/// A biomarker requirement: "CD19-positive", "EGFR exon 19 deletion or L858R", "HLA-A*02:01".
public struct BiomarkerRequirement: Sendable, Hashable, Codable {
    public enum Result: String, Sendable, Hashable, Codable {
        case positive, negative, mutated, wildType = "wild-type", amplified, fusion, expressed, deleted, present
    }
    /// Gene or protein as named by the lexicon (concept ID without the `biomarker:` prefix), e.g. "EGFR".
    public var marker: String
    /// Specific alterations named ("exon 19 deletion", "L858R", "V600E", "*02:01").
    public var alterations: [String]
    public var result: Result
    /// Expression threshold when given ("PD-L1 TPS ≥ 50%").
    public var threshold: Bounds?
    public init(marker: String, alterations: [String] = [], result: Result, threshold: Bounds? = nil) {
        self.marker = marker
        self.alterations = alterations
        self.result = result
        self.threshold = threshold
    }
}

/// Prior treatment named by a criterion.
public struct PriorTherapyRequirement: Sendable, Hashable, Codable {
    public enum Subject: Sendable, Hashable, Codable {
        /// Lines of systemic therapy, with bounds ("at least 2 prior lines").
        case lines(Bounds)
        /// A named drug (lexicon concept ID).
        case drug(conceptID: String, name: String)
        /// A class of drugs (lexicon concept ID, e.g. `class:anti-cd20`).
        case drugClass(conceptID: String, name: String)
        case carT
        case bcmaDirected
        case cd19Directed
        case autologousTransplant
        case allogeneicTransplant
        case transplant
        case radiotherapy
        case surgery
        case chemotherapy
        case geneTherapy
        case anyAnticancerTherapy
    }
    public var subject: Subject
    /// How recent the therapy must be / must not be ("within 12 weeks", "at least 4 weeks ago").
    public var window: Bounds?
    /// Unit of the window's numbers.
    public var windowUnit: TimeSpan.Unit?
    public init(subject: Subject, window: Bounds? = nil, windowUnit: TimeSpan.Unit? = nil) {
        self.subject = subject
        self.window = window
        self.windowUnit = windowUnit
    }
}

public enum PerformanceScale: String, Sendable, Hashable, Codable {
    case ecog = "ECOG", karnofsky = "Karnofsky", lansky = "Lansky", who = "WHO"
}

public enum CNSRule: String, Sendable, Hashable, Codable {
    /// Active / untreated / symptomatic brain metastases or CNS disease are not allowed.
    case activeCNSDiseaseExcluded = "active-cns-disease-excluded"
    /// Treated, stable brain metastases are allowed.
    case treatedStableAllowed = "treated-stable-allowed"
    /// Any CNS involvement or brain metastases (the criterion's kind says whether required or excluded).
    case cnsInvolvement = "cns-involvement"
}

/// A laboratory or organ-function threshold.
public struct LabThreshold: Sendable, Hashable, Codable {
    public enum Analyte: String, Sendable, Hashable, Codable, CaseIterable {
        case creatinine, creatinineClearance = "creatinine-clearance", egfr = "egfr", bilirubin, ast, alt
        case astAlt = "ast-alt", anc, platelets, haemoglobin, lvef, oxygenSaturation = "oxygen-saturation"
        case wbc, lymphocytes = "alc", albumin, inr, alkalinePhosphatase = "alkaline-phosphatase"
    }
    public var analyte: Analyte
    public var bounds: Bounds
    /// "mg/dL", "mL/min", "%", "/µL", "×10⁹/L", "g/dL" …; nil with `timesULN`.
    public var unit: String?
    /// The bound is a multiple of the upper limit of normal.
    public var timesULN: Bool
    public init(analyte: Analyte, bounds: Bounds, unit: String? = nil, timesULN: Bool = false) {
        self.analyte = analyte
        self.bounds = bounds
        self.unit = unit
        self.timesULN = timesULN
    }
}

public enum InfectionKind: String, Sendable, Hashable, Codable {
    case hiv = "HIV", hbv = "HBV", hcv = "HCV", activeInfection = "active-infection", tuberculosis = "TB", covid19 = "COVID-19"
}

public enum PregnancyRule: String, Sendable, Hashable, Codable {
    /// The condition "pregnant or breastfeeding" (usually excluding).
    case pregnantOrBreastfeeding = "pregnant-or-breastfeeding"
    case negativePregnancyTest = "negative-pregnancy-test"
    case contraceptionRequired = "contraception-required"
}

public enum Sex: String, Sendable, Hashable, Codable {
    case female, male
}

/// What a criterion requires, in a form the matcher can check. One criterion may carry
/// several; anything not understood is `.needsReview` with the concepts spotted in it.
public enum CriterionConstraint: Sendable, Hashable, Codable {
    /// Age in years.
    case age(Bounds)
    case sex(Sex)
    /// Diagnosis concept IDs from the lexicon (groups such as `group:solid-tumour` included).
    case diagnosis(conceptIDs: [String])
    case diseaseStatus([DiseaseStatus])
    /// Stages as written in Roman numerals ("III", "IV"), optionally with sub-stages ("IIIB").
    case stage([String])
    case biomarker(BiomarkerRequirement)
    case priorTherapy(PriorTherapyRequirement)
    case performanceStatus(scale: PerformanceScale, bounds: Bounds)
    case cns(CNSRule)
    case organFunction(LabThreshold)
    case infection(InfectionKind)
    case pregnancy(PregnancyRule)
    case lifeExpectancy(minimum: TimeSpan)
    /// Time since a therapy must have passed ("no chemotherapy within 14 days").
    case washout(therapy: String, minimum: TimeSpan)
    /// Not understood: keep the criterion's verbatim text for a person.
    case needsReview(conceptsDetected: [String])
}
