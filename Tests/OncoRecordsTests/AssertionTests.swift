import Foundation
import Testing
@testable import OncoRecords

/// The ConText assertion component on every fact type: negated, possible, hypothetical
/// (requested, pending, planned, discussed, referred for), historical and family facts,
/// in prose and in result tables. Every text here is synthetic and written for these tests.
@Suite("Assertion (ConText)")
struct AssertionTests {
    private func profile(_ text: String, date: ClinicalDate? = nil) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "doc", documentDate: date))
    }

    @Test func theBundledLexiconLoadsWithItsSources() throws {
        let context = ConText.standard
        #expect(context.rules.count > 400)
        #expect(context.rules.contains { $0.source == "medspacy-en-context-rules.json" && $0.literal == "no evidence" })
        #expect(context.rules.contains { $0.source == "onconav-context-rules.json" && $0.category == .hypothetical })
        #expect(context.sections.contains { $0.heading == "family history" && $0.category == .family })
    }

    @Test func aBrokenRuleFileIsRejectedWithTheReason() {
        let data = Data(#"{"context_rules":[{"literal":"no","category":"NEGATED","direction":"FORWARD"}]}"#.utf8)
        #expect(throws: ConText.LoadError.self) { try ConText.parse(data, file: "bad.json") }
        let missing = Data(#"{"rules":[]}"#.utf8)
        #expect(throws: ConText.LoadError.self) { try ConText.parse(missing, file: "bad.json") }
    }

    @Test func scopeStopsAtATerminatorAndAtTheNextTriggerOfItsCategory() {
        let text = "No evidence of CNS involvement, but there is a brain metastasis in the left frontal lobe."
        let sentence = text.startIndex..<text.endIndex
        let modifiers = ConText.standard.modifiers(in: text, sentence: sentence)
        let negation = modifiers.first { $0.category == .negated }
        #expect(negation != nil)
        let brain = text.range(of: "brain metastasis")!
        #expect(negation.map { !$0.scope.overlaps(brain) } == true, "\"but\" ends the negation's scope")
    }

    @Test func negatedResultsInATableAreNegative() {
        let text = """
        A. SEQUENCE VARIANTS
        Gene     Variant (HGVS)                          VAF
        TP53     c.818G>A p.(Arg273His)                  38%    Tier I - pathogenic
        EGFR T790M ..................................... NOT DETECTED
        ALK ............................................ Not detected
        BRAF V600 ...................................... NOT DETECTED
        """
        let markers = profile(text).biomarkers
        #expect(markers.first { $0.value.marker == "EGFR" }?.value.interpretation == .negative)
        #expect(markers.first { $0.value.marker == "ALK" }?.value.interpretation == .negative)
        #expect(markers.first { $0.value.marker == "BRAF" }?.value.interpretation == .negative)
        let tp53 = markers.first { $0.value.marker == "TP53" }
        #expect(tp53?.value.interpretation == .positive)
        #expect(tp53?.value.alteration == "p.R273H", "three-letter HGVS is read as the one-letter variant")
    }

    @Test func negationInProseGivesANegativeResultNotAPositiveOne() {
        let markers = profile("Sequencing found no TP53 alteration. KRAS was wild-type.").biomarkers
        #expect(markers.first { $0.value.marker == "TP53" }?.value.interpretation == .negative)
        #expect(markers.allSatisfy { $0.value.interpretation != .positive })
    }

    @Test func aRequestedOrPendingTestIsNotAResult() {
        let markers = profile("""
        FISH for MYC rearrangement has been requested.
        BCL2 break-apart: result pending.
        """).biomarkers
        #expect(!markers.contains { $0.value.marker == "MYC" })
        #expect(!markers.contains { $0.value.marker == "BCL2" })
    }

    @Test func aReferralOrAPlanIsNotAPriorTherapy() {
        let text = """
        He has not received any CAR-T cell therapy.
        He is referred to assess for CD19-directed CAR-T.
        Pirtobrutinib was discussed as a bridging option; it has not been started.
        """
        let facts = profile(text)
        #expect(facts.priorCellTherapies.allSatisfy { $0.isNegated }, "only the stated absence of CAR-T is kept")
        #expect(facts.priorCellTherapies.isEmpty == false)
        let given = facts.treatmentLines.filter { !$0.isNegated }.flatMap { $0.value.drugs.map { $0.text.lowercased() } }
        #expect(!given.contains("pirtobrutinib"))
    }

    @Test func aRuledOutTransformationIsNotADiagnosis() {
        let facts = profile("Follicular lymphoma, grade 2. There is no evidence of transformation to DLBCL.")
        #expect(facts.primaryCancers.filter { !$0.isNegated }.allSatisfy { $0.value.cancer.conceptID != "dlbcl-nos" })
    }

    @Test func anEvaluationForBrainMetastasesIsNotCNSInvolvement() {
        let facts = profile("MRI brain requested to evaluate for brain metastases.")
        #expect(facts.hasCNSInvolvement != true)
    }

    @Test func aRelativesCancerAndAgeAreNotThePatients() {
        let text = """
        72-year-old man with mantle cell lymphoma.
        Family history: his sister was treated for breast cancer at 68; his father had prostate cancer.
        """
        let facts = profile(text)
        #expect(facts.primaryCancers.allSatisfy { !["breast-cancer", "prostate-cancer"].contains($0.value.cancer.conceptID) })
        #expect(facts.ages.map(\.value.value) == [72])
    }

    @Test func theAgeIsComputedFromTheBirthDateAndTheDocumentsDate() {
        let text = "DOB: 14/09/1954. Diagnosed at age 65 in 2020. Seen today."
        let facts = profile(text, date: ClinicalDate(year: 2026, month: 5, day: 19))
        #expect(facts.ages.map(\.value.value) == [71])
    }

    @Test func aStageAtDiagnosisIsDatedByTheDiagnosis() {
        let text = "Mantle cell lymphoma diagnosed 03/2020, Ann Arbor stage IVA at diagnosis. Now Lugano stage IV on PET 16/04/2026."
        let stages = profile(text).stages
        let historical = stages.first { $0.value.group == "IVA" }
        #expect(historical?.value.date == ClinicalDate(year: 2020, month: 3))
    }

    @Test func proseSerologyIsRead() {
        let facts = profile("Virology screen: HBsAg neg, anti-HBc neg, HCV Ab neg, HIV 1/2 Ag/Ab nonreactive.")
        #expect(facts.infections.count >= 3)
        #expect(facts.infections.allSatisfy { $0.value.result == .negative })
        #expect(facts.infections.contains { $0.value.agent == .hiv })
    }

    @Test func aCumulativeTableGivesEachValueItsColumnsDate() {
        let text = """
        Test                        02/04/2026   14/05/2026   Units        Ref. range
        Haemoglobin                 118 L        112 L        g/L          130 - 170
        Platelets                   121 L        96 L         x10^9/L      150 - 400
        eGFR (CKD-EPI 2021)         59 L         54 L         mL/min/1.73m2  > 60
        """
        let labs = profile(text).labs
        let hb = labs.filter { $0.value.name == "hemoglobin" }
        #expect(hb.first { $0.value.date == ClinicalDate(year: 2026, month: 5, day: 14) }?.value.value == 112)
        #expect(hb.first { $0.value.date == ClinicalDate(year: 2026, month: 4, day: 2) }?.value.value == 118)
        #expect(labs.first { $0.value.name == "platelets" && $0.value.date?.month == 5 }?.value.value == 96)
        #expect(labs.first { $0.value.name == "eGFR" && $0.value.date?.month == 5 }?.value.value == 54)
        #expect(hb.first?.value.loinc == "718-7")
    }

    @Test func decimalCommasAndGermanNamesAreRead() {
        let text = """
        Parameter                   05.08.2026   29.09.2026   Einheit     Referenz
        Kreatinin                   1,18         1,32 +       mg/dl       0,70 - 1,20
        Freie Lambda-Leichtketten   286 +        412 +        mg/l        5,7 - 26,3
        Quotient kappa/lambda       0,025 -      0,015 -                  0,26 - 1,65
        """
        let labs = profile(text).labs
        #expect(labs.first { $0.value.name == "creatinine" && $0.value.date?.month == 9 }?.value.value == 1.32)
        #expect(labs.first { $0.value.name == "lambda free light chain" && $0.value.date?.month == 9 }?.value.value == 412)
        #expect(labs.first { $0.value.name == "kappa/lambda ratio" && $0.value.date?.month == 9 }?.value.value == 0.015)
    }

    @Test func linesToldInSeveralDocumentsAreOneLine() {
        let letter = ProfileExtractor().extract(text: "Second line: ibrutinib 560 mg once daily from 15/03/2024.", documentID: "letter",
                                                documentDate: ClinicalDate(year: 2026, month: 5, day: 19))
        let scan = ProfileExtractor().extract(text: "He has been on ibrutinib since 22/03/2024.", documentID: "pet",
                                              documentDate: ClinicalDate(year: 2026, month: 4, day: 17))
        let (facts, lines) = TreatmentTimeline.reconcile(letter + scan, documentDates: [
            "letter": ClinicalDate(year: 2026, month: 5, day: 19), "pet": ClinicalDate(year: 2026, month: 4, day: 17),
        ])
        #expect(lines.count == 1)
        #expect(lines.first?.line.lineNumber == 2)
        #expect(lines.first?.line.startDate == ClinicalDate(year: 2024, month: 3, day: 15), "the later letter's date wins")
        #expect(lines.first?.conflicts.isEmpty == false, "the disagreement is reported")
        let dated = facts.compactMap { fact -> TreatmentLine? in
            if case .treatmentLine(let line) = fact { return line.value }
            return nil
        }
        #expect(dated.count == 2)
        #expect(dated.allSatisfy { $0.startDate == ClinicalDate(year: 2024, month: 3, day: 15) && $0.lineNumber == 2 })
    }
}
