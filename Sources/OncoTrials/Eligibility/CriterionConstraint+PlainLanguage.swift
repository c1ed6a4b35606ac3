import Foundation

extension CriterionConstraint {
    /// One line a patient can read, describing the condition (not whether it includes or
    /// excludes: see `Criterion.plainLanguage`).
    public var plainLanguage: String {
        switch self {
        case .age(let bounds):
            return "Age \(bounds.phrase(unit: "years"))"
        case .sex(let sex):
            return sex == .female ? "Women only" : "Men only"
        case .diagnosis(let ids):
            if ids == [ConceptLexicon.otherMalignancy] { return "Another cancer (besides the one being studied)" }
            return "Diagnosis: " + ids.map(Self.readable).joined(separator: " or ")
        case .diseaseStatus(let statuses):
            return "Disease status: " + statuses.map(Self.describe).joined(separator: ", ")
        case .stage(let stages):
            return "Stage " + stages.joined(separator: ", ")
        case .biomarker(let b):
            var text = "\(b.marker)"
            if !b.alterations.isEmpty { text += " " + b.alterations.joined(separator: " or ") }
            text += " " + b.result.rawValue.replacingOccurrences(of: "-", with: " ")
            if let t = b.threshold { text += " (\(t.phrase(unit: nil)))" }
            return "Tumour test: " + text
        case .priorTherapy(let p):
            var text = "Earlier treatment: " + Self.describe(p.subject)
            if let window = p.window, let unit = p.windowUnit { text += " (\(window.phrase(unit: unit.rawValue)))" }
            return text
        case .performanceStatus(let scale, let bounds):
            return "\(scale.rawValue) performance status \(bounds.phrase(unit: scale == .ecog ? nil : "%"))"
        case .cns(let rule):
            switch rule {
            case .activeCNSDiseaseExcluded: return "Active cancer in the brain or spinal cord"
            case .treatedStableAllowed: return "Treated, stable brain metastases are allowed"
            case .cnsInvolvement: return "Cancer in the brain or spinal cord"
            }
        case .organFunction(let lab):
            let unit = lab.timesULN ? "× the upper limit of normal" : lab.unit
            return "\(Self.describe(lab.analyte)) \(lab.bounds.phrase(unit: unit))"
        case .infection(let kind):
            switch kind {
            case .hiv: return "HIV infection"
            case .hbv: return "Hepatitis B infection"
            case .hcv: return "Hepatitis C infection"
            case .activeInfection: return "An active, uncontrolled infection"
            case .tuberculosis: return "Tuberculosis"
            case .covid19: return "COVID-19"
            }
        case .pregnancy(let rule):
            switch rule {
            case .pregnantOrBreastfeeding: return "Pregnant or breastfeeding"
            case .negativePregnancyTest: return "A negative pregnancy test (if you could become pregnant)"
            case .contraceptionRequired: return "Use of effective contraception"
            }
        case .lifeExpectancy(let minimum):
            return "Expected to live at least \(Self.number(minimum.value)) \(minimum.unit.rawValue)"
        case .washout(let therapy, let minimum):
            return "No \(therapy) in the last \(Self.number(minimum.value)) \(minimum.unit.rawValue)"
        case .needsReview:
            return "Needs review by a person"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int(value)) : String(value)
    }

    static func readable(_ conceptID: String) -> String {
        switch conceptID {
        case ConceptLexicon.solidTumourGroup: return "any solid tumour"
        case ConceptLexicon.haematologicGroup: return "any blood cancer"
        default:
            let slug = conceptID.split(separator: ":").last.map(String.init) ?? conceptID
            return slug.count <= 5 ? slug.uppercased() : slug.replacingOccurrences(of: "-", with: " ")
        }
    }

    static func describe(_ status: DiseaseStatus) -> String {
        switch status {
        case .relapsed: "relapsed (came back)"
        case .refractory: "refractory (did not respond)"
        case .measurableDisease: "measurable on scans"
        case .evaluableDisease: "evaluable disease"
        case .newlyDiagnosed: "newly diagnosed / untreated"
        case .metastatic: "metastatic (spread)"
        case .locallyAdvanced: "locally advanced"
        case .unresectable: "cannot be removed by surgery"
        case .progressive: "progressing"
        case .remission: "in complete remission"
        case .minimalResidualDisease: "minimal residual disease"
        }
    }

    static func describe(_ subject: PriorTherapyRequirement.Subject) -> String {
        switch subject {
        case .lines(let bounds): "lines of treatment \(bounds.phrase(unit: nil))"
        case .drug(_, let name): name
        case .drugClass(_, let name): name
        case .carT: "CAR-T cell therapy"
        case .bcmaDirected: "BCMA-directed therapy"
        case .cd19Directed: "CD19-directed therapy"
        case .autologousTransplant: "a transplant of your own stem cells (autologous)"
        case .allogeneicTransplant: "a donor stem cell transplant (allogeneic)"
        case .transplant: "a stem cell transplant"
        case .radiotherapy: "radiotherapy"
        case .surgery: "surgery"
        case .chemotherapy: "chemotherapy"
        case .geneTherapy: "gene therapy"
        case .anyAnticancerTherapy: "any cancer treatment"
        }
    }

    static func describe(_ analyte: LabThreshold.Analyte) -> String {
        switch analyte {
        case .creatinine: "Creatinine (kidney)"
        case .creatinineClearance: "Creatinine clearance (kidney)"
        case .egfr: "eGFR (kidney filtration)"
        case .bilirubin: "Bilirubin (liver)"
        case .ast: "AST (liver)"
        case .alt: "ALT (liver)"
        case .astAlt: "AST/ALT (liver)"
        case .anc: "Neutrophils (ANC)"
        case .platelets: "Platelets"
        case .haemoglobin: "Haemoglobin"
        case .lvef: "Heart pumping (LVEF)"
        case .oxygenSaturation: "Oxygen saturation"
        case .wbc: "White blood cells"
        case .lymphocytes: "Lymphocytes (ALC)"
        case .albumin: "Albumin"
        case .inr: "INR (clotting)"
        case .alkalinePhosphatase: "Alkaline phosphatase"
        }
    }
}

extension Bounds {
    /// "18 to 75 years", "at least 60 %", "at most 1.5 × the upper limit of normal".
    func phrase(unit: String?) -> String {
        let u = unit.map { $0 == "%" ? "%" : " " + $0 } ?? ""
        func n(_ b: NumericBound) -> String { CriterionConstraint.number(b.value) }
        switch (lower, upper) {
        case let (l?, h?): return "\(n(l)) to \(n(h))\(u)"
        case let (l?, nil): return "\(l.inclusive ? "at least" : "more than") \(n(l))\(u)"
        case let (nil, h?): return "\(h.inclusive ? "at most" : "less than") \(n(h))\(u)"
        case (nil, nil): return "(no limit stated)"
        }
    }
}

extension Criterion {
    /// "Required: …" or "Excludes: …", one line for each constraint.
    public var plainLanguage: [String] {
        constraints.map { constraint in
            if case .needsReview = constraint { return "To check with the trial team: \(text)" }
            return (conditionExcludes ? "Not eligible if: " : "Required: ") + constraint.plainLanguage
        }
    }
}
