import Foundation
import Testing
@testable import OncoTrials

@Suite("Eligibility parser: segmentation")
struct EligibilitySegmentationTests {
    let parser = EligibilityParser()

    @Test("a CAR-T trial's bullets split into inclusion and exclusion with exact ranges")
    func carTSections() throws {
        guard let text = SharedData.oncologyStudies["NCT03937544"]?.eligibilityCriteria else { return }
        let criteria = parser.parse(text)
        #expect(criteria.count == 20)
        #expect(criteria.prefix(10).allSatisfy { $0.kind == .inclusion })
        #expect(criteria.suffix(10).allSatisfy { $0.kind == .exclusion })
        for c in criteria {
            #expect(String(text[c.range]) == c.text)
            let chars = Array(text)
            #expect(String(chars[c.characterOffsets]) == c.text)
        }
        #expect(criteria[1].text == "Age between ≥13 to ≤ 65 years")
    }

    @Test("old NCI-style headings become context, nested bullets get a parent")
    func oldStyleHeadingsAndNesting() throws {
        guard let text = SharedData.oncologyStudies["NCT00003497"]?.eligibilityCriteria else { return }
        let criteria = parser.parse(text)
        let nested = try #require(criteria.first { $0.text.hasPrefix("Tumor must be at least 2 cm") })
        #expect(nested.depth == 1)
        #expect(nested.parent.map { criteria[$0].text.hasPrefix("Measurable disease") } == true)
        let age = try #require(criteria.first { $0.text == "18 and over" })
        #expect(age.heading == "Age")
        #expect(age.constraints.contains(.age(Bounds(lower: NumericBound(18)))))
        let hepatic = try #require(criteria.first { $0.text.hasPrefix("No hepatic insufficiency") })
        #expect(hepatic.negated)
        #expect(hepatic.conditionExcludes)
    }

    @Test("numbered lists skip the preamble sentence")
    func numberedList() throws {
        guard let text = SharedData.oncologyStudies["NCT04835519"]?.eligibilityCriteria else { return }
        let criteria = parser.parse(text)
        #expect(!criteria.contains { $0.text.contains("must meet all of the following") })
        #expect(criteria.first?.text.hasPrefix("Candidates with relapse or refractory CD33+") == true)
        #expect(criteria.contains { $0.kind == .exclusion && $0.text == "Symptomatic heart failure or severe arrhythmia" })
    }

    @Test("a run-on paragraph is split and an inline heading switches section")
    func runOnParagraph() {
        let text = "Inclusion Criteria: Age 18 years or older; ECOG performance status 0-1; adequate bone marrow function with platelets ≥ 75,000/µL and hemoglobin ≥ 8 g/dL. Exclusion Criteria: prior CAR-T cell therapy; active hepatitis B infection."
        let criteria = parser.parse(text)
        #expect(criteria.map(\.kind) == [.inclusion, .inclusion, .inclusion, .exclusion, .exclusion])
        #expect(criteria[0].constraints == [.age(Bounds(lower: NumericBound(18)))])
        #expect(criteria[3].constraints.contains(.priorTherapy(PriorTherapyRequirement(subject: .carT))))
    }

    @Test("every criteria text in the oncology JSONL parses; most criteria get a structured constraint")
    func wholeCorpus() {
        guard !SharedData.oncologyStudies.isEmpty else { return }
        var total = 0
        var structured = 0
        for study in SharedData.oncologyStudies.values {
            guard let text = study.eligibilityCriteria else { continue }
            for c in parser.parse(text) {
                total += 1
                #expect(!c.constraints.isEmpty)
                if !c.constraints.allSatisfy({ if case .needsReview = $0 { true } else { false } }) { structured += 1 }
            }
        }
        #expect(total > 10_000)
        #expect(Double(structured) / Double(total) > 0.45, "\(structured)/\(total)")
    }
}

@Suite("Eligibility parser: constraints")
struct EligibilityConstraintTests {
    let extractor = ConstraintExtractor()

    func constraints(_ text: String, kind: Criterion.Kind = .inclusion) -> [CriterionConstraint] {
        extractor.constraints(for: text, heading: nil, kind: kind)
    }

    @Test("organ function thresholds from a real CAR-T criterion")
    func organFunction() {
        let c = constraints(#"Adequate organ function as defined by a creatinine clearance \> 50 ml/min, serum total bilirubin \< 5 times the normal value, left ventricular ejection fraction \> 40%"#)
        #expect(c.contains(.organFunction(LabThreshold(analyte: .creatinineClearance, bounds: Bounds(lower: NumericBound(50, inclusive: false)), unit: "mL/min"))))
        #expect(c.contains(.organFunction(LabThreshold(analyte: .bilirubin, bounds: Bounds(upper: NumericBound(5, inclusive: false)), timesULN: true))))
        #expect(c.contains(.organFunction(LabThreshold(analyte: .lvef, bounds: Bounds(lower: NumericBound(40, inclusive: false)), unit: "%"))))
    }

    @Test("blood counts, kidney, liver, oxygen", arguments: [
        ("ANC ≥ 1.0 x 10^9/L", LabThreshold.Analyte.anc, 1.0),
        ("Platelets ≥ 75,000/µL", .platelets, 75_000),
        ("Hemoglobin ≥ 8 g/dL", .haemoglobin, 8),
        ("eGFR ≥ 60 mL/min/1.73 m2", .egfr, 60),
        ("Oxygen saturation ≥ 92% on room air", .oxygenSaturation, 92),
        ("AST and ALT ≤ 2.5 × ULN", .astAlt, 2.5),
        ("Serum creatinine ≤ 1.5 mg/dL", .creatinine, 1.5),
    ])
    func labs(text: String, analyte: LabThreshold.Analyte, value: Double) {
        let labs = constraints(text).compactMap { if case .organFunction(let l) = $0 { l } else { nil } }
        #expect(labs.first?.analyte == analyte, "\(labs)")
        #expect((labs.first?.bounds.lower?.value ?? labs.first?.bounds.upper?.value) == value)
    }

    @Test("performance status on three scales")
    func performance() {
        #expect(constraints("ECOG performance status of 0, 1 or 2") == [.performanceStatus(scale: .ecog, bounds: Bounds(lower: NumericBound(0), upper: NumericBound(2)))])
        #expect(constraints("Karnofsky ≥ 60%").contains(.performanceStatus(scale: .karnofsky, bounds: Bounds(lower: NumericBound(60)))))
        #expect(constraints("Lansky score ≥ 50 for patients younger than 16 years").contains(.performanceStatus(scale: .lansky, bounds: Bounds(lower: NumericBound(50)))))
    }

    @Test("biomarkers with alteration and result")
    func biomarkers() {
        let egfr = constraints("Documented EGFR exon 19 deletion or L858R mutation")
        #expect(egfr.contains(.biomarker(BiomarkerRequirement(marker: "EGFR", alterations: ["exon 19 deletion", "L858R"], result: .mutated))))
        #expect(constraints("CD19-positive disease").contains(.biomarker(BiomarkerRequirement(marker: "CD19", result: .positive))))
        #expect(constraints("HLA-A*02:01 positive").contains(.biomarker(BiomarkerRequirement(marker: "HLA-A*02:01", alterations: ["*02:01"], result: .positive))))
        #expect(constraints("PD-L1 expression ≥ 50%").contains(.biomarker(BiomarkerRequirement(marker: "PD-L1", result: .positive, threshold: Bounds(lower: NumericBound(50))))))
        // A drug target is not a tumour marker.
        #expect(!constraints("Prior anti-CD20 antibody").contains { if case .biomarker = $0 { true } else { false } })
    }

    @Test("prior therapy: lines, classes, CAR-T, BCMA, transplant with a window")
    func priorTherapy() {
        let lines = constraints("Received at least 2 prior lines of therapy including an anti-CD20 antibody and an anthracycline")
        #expect(lines.contains(.priorTherapy(PriorTherapyRequirement(subject: .lines(Bounds(lower: NumericBound(2)))))))
        #expect(lines.contains(.priorTherapy(PriorTherapyRequirement(subject: .drugClass(conceptID: "class:anti-cd20", name: "anti-cd20 antibody")))))
        #expect(lines.contains(.priorTherapy(PriorTherapyRequirement(subject: .drugClass(conceptID: "class:anthracycline", name: "anthracycline")))))
        #expect(constraints("Prior BCMA-directed therapy", kind: .exclusion).contains(.priorTherapy(PriorTherapyRequirement(subject: .bcmaDirected))))
        let allo = constraints("Allogeneic stem cell transplant within 6 months of enrollment", kind: .exclusion)
        #expect(allo.contains(.priorTherapy(PriorTherapyRequirement(subject: .allogeneicTransplant, window: Bounds(upper: NumericBound(6)), windowUnit: .months))))
        #expect(constraints("Prior autologous stem cell transplantation").contains(.priorTherapy(PriorTherapyRequirement(subject: .autologousTransplant))))
    }

    @Test("CNS rules")
    func cns() {
        #expect(constraints("Active CNS involvement by malignancy", kind: .exclusion).contains(.cns(.activeCNSDiseaseExcluded)))
        #expect(constraints("Patients with treated, stable brain metastases are eligible").contains(.cns(.treatedStableAllowed)))
    }

    @Test("infections, pregnancy, life expectancy, washout, stage, status, diagnosis")
    func others() {
        #expect(constraints("Active Hepatitis B or C infection", kind: .exclusion).contains(.infection(.hcv)))
        #expect(constraints("HIV seropositive", kind: .exclusion) == [.infection(.hiv)])
        #expect(constraints("Pregnant or breastfeeding women", kind: .exclusion) == [.pregnancy(.pregnantOrBreastfeeding)])
        #expect(constraints("Negative serum pregnancy test within 7 days").contains(.pregnancy(.negativePregnancyTest)))
        #expect(constraints("Life expectancy of at least 12 weeks") == [.lifeExpectancy(minimum: TimeSpan(12, .weeks))])
        #expect(constraints("Chemotherapy within 14 days before leukapheresis", kind: .exclusion).contains(.washout(therapy: "chemotherapy", minimum: TimeSpan(14, .days))))
        #expect(constraints("Stage IIIB-IV non-small cell lung cancer").contains(.stage(["IIIB", "IV"])))
        #expect(constraints("Relapsed or refractory diffuse large B-cell lymphoma").contains(.diseaseStatus([.relapsed, .refractory])))
        #expect(constraints("Relapsed or refractory diffuse large B-cell lymphoma").contains(.diagnosis(conceptIDs: ["dlbcl"])))
        #expect(constraints("Histologically confirmed advanced solid tumors").contains(.diagnosis(conceptIDs: [ConceptLexicon.solidTumourGroup])))
        #expect(constraints("Measurable disease per RECIST 1.1").contains(.diseaseStatus([.measurableDisease])))
        #expect(constraints("Women only") == [.sex(.female)])
    }

    @Test("unknown criteria keep their concepts for review")
    func needsReview() {
        let c = constraints("Willing to travel to the study site for follow-up visits")
        #expect(c == [.needsReview(conceptsDetected: [])])
    }

    @Test("every constraint renders as one plain line")
    func plainLanguage() {
        #expect(CriterionConstraint.age(Bounds(lower: NumericBound(18), upper: NumericBound(75))).plainLanguage == "Age 18 to 75 years")
        #expect(CriterionConstraint.organFunction(LabThreshold(analyte: .bilirubin, bounds: Bounds(upper: NumericBound(1.5)), timesULN: true)).plainLanguage
            == "Bilirubin (liver) at most 1.5 × the upper limit of normal")
        #expect(CriterionConstraint.performanceStatus(scale: .ecog, bounds: Bounds(lower: NumericBound(0), upper: NumericBound(1))).plainLanguage
            == "ECOG performance status 0 to 1")
        #expect(!CriterionConstraint.priorTherapy(PriorTherapyRequirement(subject: .carT)).plainLanguage.contains("\n"))
    }
}

@Suite("Eligibility parser: myeloma CAR-T wording")
struct MyelomaCriteriaTests {
    let extractor = ConstraintExtractor()

    @Test("triple-class exposure is three classes and a line count")
    func tripleClass() {
        let c = extractor.constraints(for: "Received at least 3 prior lines of therapy including a proteasome inhibitor, an immunomodulatory agent, and an anti-CD38 monoclonal antibody",
                                      heading: nil, kind: .inclusion)
        #expect(c.contains(.priorTherapy(PriorTherapyRequirement(subject: .lines(Bounds(lower: NumericBound(3)))))))
        let classes = c.compactMap { constraint -> String? in
            if case .priorTherapy(let p) = constraint, case .drugClass(let id, _) = p.subject { return id }
            return nil
        }
        #expect(Set(classes) == ["class:proteasome-inhibitor", "class:imid", "class:anti-cd38"], "\(c)")
    }

    @Test("prior CAR-T or BCMA-directed therapy excludes")
    func priorCARTExcluded() {
        let c = extractor.constraints(for: "Prior treatment with CAR-T therapy or any BCMA-targeted therapy", heading: nil, kind: .exclusion)
        #expect(c.contains(.priorTherapy(PriorTherapyRequirement(subject: .carT))))
        #expect(c.contains(.priorTherapy(PriorTherapyRequirement(subject: .bcmaDirected))))
    }
}
