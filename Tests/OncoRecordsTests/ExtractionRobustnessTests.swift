import Foundation
import Testing
@testable import OncoRecords

/// Behaviours the evaluation set showed were needed, one by one.
@Suite("Clinical text extraction: layout, OCR and treatment histories")
struct ExtractionRobustnessTests {
    private func profile(_ text: String, method: ExtractionMethod = .textRules) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor(lexicon: .builtIn).extract(text: text, documentID: "d", method: method))
    }

    @Test func aDocumentWritingDayFirstDatesReadsItsAmbiguousOnesDayFirst() {
        let lines = profile("First-line R-CHOP x 6 cycles, 23/03/2023 to 06/07/2023.").treatmentLines
        #expect(lines.first?.value.startDate == ClinicalDate(year: 2023, month: 3, day: 23))
        #expect(lines.first?.value.endDate == ClinicalDate(year: 2023, month: 7, day: 6))
    }

    @Test func ambiguousDatesStayYearOnlyWithoutEvidence() {
        let parser = ClinicalDateParser().inferringNumericOrder(from: "seen 10/03/2025 and 02/04/2024")
        #expect(parser.numericOrder == nil)
        #expect(parser.firstDate(in: "10/03/2025") == ClinicalDate(year: 2025))
    }

    @Test func aListItemsFollowingSentencesCompleteItsLine() {
        let text = """
        Treatment history:
        1. First-line R-CHOP x 6 cycles, 03/2023 to 07/2023. Best response: complete
        metabolic response (Deauville 2). Relapse documented in January 2024.
        2. Second-line R-ICE x 3 cycles from 02/2024 to 04/2024, partial response.
        """
        let lines = profile(text).treatmentLines.map(\.value)
        #expect(lines.count == 2)
        #expect(lines.first?.bestResponse == .completeResponse)
        #expect(lines.first?.relapseDate == ClinicalDate(year: 2024, month: 1))
        #expect(lines.last?.lineNumber == 2)
        #expect(lines.last?.bestResponse == .partialResponse)
    }

    @Test func maintenanceBelongsToTheLineOfItsItem() {
        let text = "Line 1 (2019-2020): VRd induction x 4 cycles, then autologous SCT (melphalan 200 mg/m2) in 11/2019, followed by lenalidomide maintenance until progression in 03/2022."
        let result = profile(text)
        let maintenance = result.treatmentLines.first { $0.value.intent == .maintenance }
        #expect(maintenance?.value.lineNumber == 1)
        #expect(!result.treatmentLines.contains { $0.value.drugs.contains { $0.conceptID == "melphalan" } })
        #expect(result.transplants.first?.value.date == ClinicalDate(year: 2019, month: 11))
    }

    @Test func conditioningAndPlansAreNotLines() {
        let text = """
        BEAM-conditioned autologous stem cell transplant on 18/06/2024.

        Plan: referral for CAR-T; bridging with polatuzumab vedotin considered.
        """
        let result = profile(text)
        #expect(result.treatmentLines.isEmpty)
        #expect(result.transplants.first?.value.date == ClinicalDate(year: 2024, month: 6, day: 18))
    }

    @Test func aLaterMentionOfTheSameDrugCompletesItsLine() {
        let text = "2L: ibrutinib 560 mg daily from 04/2023; best response PR. She progressed on ibrutinib in 09/2024."
        let lines = profile(text).treatmentLines.map(\.value)
        #expect(lines.count == 1)
        #expect(lines.first?.refractory == true)
        #expect(lines.first?.bestResponse == .partialResponse)
    }

    @Test func aLineWrappedBeforeACapitalisedWordStillOneSentence() {
        let text = "Stage IVB lung adenocarcinoma with liver and bone metastases, diagnosed\nJanuary 2024 after a cough."
        #expect(profile(text).primaryCancers.first?.value.diagnosisDate == ClinicalDate(year: 2024, month: 1))
    }

    @Test func ocrMisreadUnitsAndFlagsAreRead() {
        let text = """
        Creatinine _1.31H mg/dl — 0.70-1.28
        Bilirubin (total) 9 — pmol/L
        Platelet count _. 96 x10°9/L L
        ANC © 1.4 x1079/L L
        Hemoglobin 9.6 g/dt
        Albumin 33 g/L 1.
        eGFR | 38 mL/min/1.73m2
        Platelets 231 x1l0%9/L 150 -.400
        """
        // Every analyte also carries its LOINC code now; compare what was read.
        let labs = profile(text, method: .ocrTextRules).labs.map { LabResult(name: $0.value.name, value: $0.value.value, unit: $0.value.unit, date: $0.value.date) }
        #expect(labs.contains(LabResult(name: "creatinine", value: 1.31, unit: "mg/dL")))
        #expect(labs.contains(LabResult(name: "bilirubin", value: 9, unit: "µmol/L")))
        #expect(labs.contains(LabResult(name: "platelets", value: 96, unit: "x10^9/L")))
        #expect(labs.contains(LabResult(name: "ANC", value: 1.4, unit: "x10^9/L")))
        #expect(labs.contains(LabResult(name: "hemoglobin", value: 9.6, unit: "g/dL")))
        #expect(labs.contains(LabResult(name: "albumin", value: 33, unit: "g/L")))
        #expect(labs.contains(LabResult(name: "eGFR", value: 38, unit: "mL/min/1.73m2")))
        #expect(labs.contains(LabResult(name: "platelets", value: 231, unit: "x10^9/L")))
        let creatinine = profile("Creatinine 132 yumol/L H", method: .ocrTextRules).labs.first?.value
        #expect(creatinine?.unit == "µmol/L")
    }

    @Test func repairsKeepOffsetsAndQuotesKeepTheOriginalWords() {
        let text = "Haemoglobin 1O.4 g/dL after autologous transplan-\ntation."
        let repaired = TextRepair.repair(text)
        #expect(repaired.utf16.count == text.utf16.count)
        #expect(repaired.contains("10.4") && repaired.contains("transplantation"))
        let lab = profile(text).labs.first
        #expect(lab?.value.value == 10.4)
        #expect(lab?.provenance.quote?.contains("1O.4") == true)
    }

    @Test func biomarkerPercentagesFusionsAndBurden() {
        let text = """
        PD-L1 (22C3): tumour proportion score (TPS) 30%.
        FISH: CCND1::IGH rearrangement present. ALK / ROS1 / RET fusions not detected.
        Tumour mutational burden: 4 mut/Mb (low). Microsatellite status: MSS.
        BCR::ABL1 (p190 and p210) RT-PCR: negative.
        """
        let markers = profile(text).biomarkers.map(\.value)
        #expect(markers.contains { $0.marker == "PD-L1" && $0.value == "30%" })
        #expect(markers.contains { $0.marker == "CCND1" && $0.alteration == "rearrangement" && $0.interpretation == .positive })
        for gene in ["ALK", "ROS1", "RET"] {
            #expect(markers.contains { $0.marker == gene && $0.alteration == "fusion" && $0.interpretation == .negative })
        }
        #expect(markers.contains { $0.marker == "TMB" && $0.value == "4 mut/Mb" })
        #expect(markers.contains { $0.marker == "MSI" && $0.interpretation == .negative })
        #expect(markers.contains { $0.marker == "BCR-ABL1" && $0.interpretation == .negative })
    }

    @Test func aCellDoseIsNotAnImmunophenotype() {
        #expect(profile("Stem cells (CD34+ 4.1 x10^6/kg) infused on 18 June 2024 (day 0).").biomarkers.isEmpty)
    }

    @Test func infectionListsShareTheirResult() {
        let infections = profile("HIV, hepatitis B and hepatitis C serology negative.").infections.map(\.value)
        #expect(Set(infections.map(\.agent)) == [.hiv, .hbv, .hcv])
        #expect(infections.allSatisfy { $0.result == .negative })
    }

    @Test func aGenericCancerWordUnderASpecificOneIsNotASecondDiagnosis() {
        let lexicon = ClinicalLexicon(entries: [
            .init(term: "lymphoma", conceptID: "lymphoma", kind: .cancer),
            .init(term: "mantle cell lymphoma", conceptID: "mcl", kind: .cancer, broaderConceptIDs: ["lymphoma"]),
        ])
        let facts = ProfileExtractor(lexicon: lexicon).extract(text: "Lymphoma clinic. Relapsed mantle cell lymphoma.", documentID: "d")
        #expect(PatientProfile(facts: facts).primaryCancers.map(\.value.cancer.conceptID) == ["mcl"])
    }

    @Test func aSpanIsCitedWithItsPage() {
        let text = ExtractedText(kind: .pdf, pages: [ExtractedPage(number: 1, text: "abc", source: .textLayer),
                                                     ExtractedPage(number: 2, text: "defgh", source: .ocr)])
        #expect(text.pageNumber(atUTF16Offset: 1) == 1)
        #expect(text.pageNumber(atUTF16Offset: 5) == 2)
    }
}
