import Foundation
import Testing
@testable import OncoRecords

/// All texts are synthetic.
@Suite("Document classification and dating")
struct DocumentClassifierTests {
    let classifier = DocumentClassifier()

    static let samples: [(DocumentCategory, String)] = [
        (.pathology, """
            SURGICAL PATHOLOGY REPORT
            Specimen: excisional biopsy, left cervical lymph node.
            Microscopic description: diffuse sheets of large atypical lymphoid cells.
            Immunohistochemistry: CD20 positive, CD10 positive, BCL6 positive.
            Final diagnosis: diffuse large B-cell lymphoma.
            """),
        (.boneMarrow, """
            BONE MARROW BIOPSY REPORT
            Aspirate and trephine. Cellularity 60%. Plasma cells 35% of nucleated cells.
            M:E ratio 2:1. Consistent with plasma cell myeloma.
            """),
        (.molecular, """
            Comprehensive genomic profiling (next-generation sequencing, NGS)
            EGFR p.E746_A750del (exon 19 deletion), variant allele fraction 32%.
            TP53 c.743G>A. Tumor mutational burden 4 mut/Mb.
            """),
        (.imaging, """
            PET/CT SKULL BASE TO MID-THIGH
            Technique: FDG 350 MBq. Findings: multiple FDG-avid nodes, SUVmax 14.2.
            Impression: Deauville 5, progressive disease.
            """),
        (.laboratory, """
            LABORATORY RESULTS  Reference range
            Creatinine 1.1 mg/dL (0.6-1.2)
            Bilirubin 0.8 mg/dL (0.1-1.2)
            Platelets 145 x10^9/L (150-400)
            """),
        (.clinicLetter, """
            Dear Dr Smith,
            Thank you for referring this 58-year-old man. History of present illness: ...
            Assessment and plan: refer for CAR-T evaluation.
            Yours sincerely,
            """),
        (.treatmentSummary, """
            TREATMENT SUMMARY
            First-line: R-CHOP x6 cycles, best response CR.
            Second-line: R-ICE, refractory.
            """),
    ]

    @Test(arguments: samples.map(\.0))
    func eachKindOfReportIsRecognised(expected: DocumentCategory) {
        let text = Self.samples.first { $0.0 == expected }!.1
        let result = classifier.classify(text: text)
        #expect(result.category == expected, "cues: \(result.cues)")
        #expect(!result.cues.isEmpty)
    }

    @Test func textWithoutCuesIsOther() {
        #expect(classifier.classify(text: "Shopping list: bread, milk.").category == .other)
    }

    @Test func aLabelledReportDateWinsOverTheBirthDateAndOtherDates() {
        let text = "Patient DOB: 02/03/1961\nCollected: 2025-01-02\nDate of report: 14 March 2025\nPrior CT 01/2024"
        let date = classifier.findDocumentDate(in: text)
        #expect(date?.date == ClinicalDate(year: 2025, month: 1, day: 2))
        #expect(date?.label == "Collected")
        #expect(date.map { (text as NSString).substring(with: NSRange(location: $0.span.start, length: $0.span.end - $0.span.start)) } == "2025-01-02")
    }

    @Test func withoutALabelTheFirstFullDateNearTheTopIsUsed() {
        let text = "Oncology clinic\n3rd April 2024\nDear colleague"
        #expect(classifier.findDocumentDate(in: text)?.date == ClinicalDate(year: 2024, month: 4, day: 3))
        #expect(classifier.findDocumentDate(in: "no date here") == nil)
    }

    @Test func ambiguousNumericDatesKeepOnlyTheYearUnlessTheOrderIsKnown() {
        #expect(ClinicalDateParser().firstDate(in: "seen 04/05/2023") == ClinicalDate(year: 2023))
        #expect(ClinicalDateParser(numericOrder: .dayFirst).firstDate(in: "seen 04/05/2023") == ClinicalDate(year: 2023, month: 5, day: 4))
        #expect(ClinicalDateParser().firstDate(in: "seen 04/25/2023") == ClinicalDate(year: 2023, month: 4, day: 25))
        #expect(ClinicalDateParser().firstDate(in: "seen 25.04.2023") == ClinicalDate(year: 2023, month: 4, day: 25))
        #expect(ClinicalDateParser().firstDate(in: "since March 2021") == ClinicalDate(year: 2021, month: 3))
        #expect(ClinicalDateParser().firstDate(in: "since 03/2021") == ClinicalDate(year: 2021, month: 3))
        #expect(ClinicalDateParser().firstDate(in: "on Jan 5, 2022") == ClinicalDate(year: 2022, month: 1, day: 5))
    }

    @Test(.enabled(if: TestPaths.toolsAvailableOrRequired))
    func theTextPDFFixtureIsAPathologyReportDatedByItsLabel() async throws {
        let text = try await TextExtractor().extract(data: TestPaths.fixture("text-report.pdf")).text
        let result = classifier.classify(text: text)
        #expect(result.category == .pathology)
        #expect(result.documentDate?.date == ClinicalDate(year: 2025, month: 3, day: 14))
    }
}
