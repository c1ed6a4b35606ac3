import Foundation
import OncoKnowledge
import Testing
@testable import OncoRecords

/// The synthetic evaluation set (Fixtures/evaluation) scored with the real tools and the
/// knowledge base's lexicon, as the server runs it. Floors sit just under today's figures,
/// so a change that makes extraction worse fails here; raise them when it gets better.
/// The full set, scans included, is `onconav eval extraction Tests/OncoRecordsTests/Fixtures/evaluation/dev`.
@Suite("Extraction evaluation on the synthetic set", .enabled(if: TestPaths.toolsAvailableOrRequired))
struct ExtractionEvaluationTests {
    static let evaluationDirectory = TestPaths.testsDirectory.appendingPathComponent("Fixtures/evaluation")
    static let lexicon: ClinicalLexicon = {
        let directory = TestPaths.repositoryRoot.appendingPathComponent("knowledge")
        return (try? KnowledgeBase.load(directory: directory)).map(ClinicalLexicon.init(knowledgeBase:)) ?? .builtIn
    }()

    typealias Floors = [FieldGroup: (precision: Double, recall: Double)]

    /// Checks every field group of `format` against `floors` (a group without a floor must be perfect).
    private func expect(_ report: EvaluationReport, _ format: EvaluationFormat, meet floors: Floors,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(report.documents.allSatisfy { $0.error == nil }, "unreadable: \(report.documents.compactMap(\.error))",
                sourceLocation: sourceLocation)
        for group in FieldGroup.allCases {
            let score = report.score(format, group)
            let floor = floors[group] ?? (1, 1)
            #expect(score.precision >= floor.precision, "\(format) \(group.rawValue) precision \(score.precision) < \(floor.precision)\n\(report.table)",
                    sourceLocation: sourceLocation)
            #expect(score.recall >= floor.recall, "\(format) \(group.rawValue) recall \(score.recall) < \(floor.recall)\n\(report.table)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func textAndPDFRenderingsMeetTheirFloors() async throws {
        let report = try await ExtractionEvaluation(lexicon: Self.lexicon, formats: [.text, .pdf])
            .run(directory: Self.evaluationDirectory.appendingPathComponent("dev"))
        #expect(report.documents.count == 50)
        // The expected facts of this set predate the LOINC lab vocabulary (β2-microglobulin, M-protein
        // are found now but not listed) and ages computed from the birth date: those read as "wrong".
        let floors: Floors = [.labs: (0.94, 0.95), .demographics: (0.85, 1.0), .diagnosis: (0.95, 0.95), .negation: (0.95, 1.0)]
        expect(report, .text, meet: floors)
        expect(report, .pdf, meet: floors)
    }

    /// OCR is slow: the suite reads the lab tables and letters of three patients (the
    /// hardest scans); the command reads them all.
    @Test func scannedLabTablesAndLettersMeetTheirFloors() async throws {
        let chosen: Set<String> = ["p01-dlbcl", "p02-myeloma", "p05-mcl"]
        let report = try await ExtractionEvaluation(lexicon: Self.lexicon, formats: [.scan]) { patient, document, _ in
            chosen.contains(patient) && ["labs", "clinic-letter"].contains(document)
        }.run(directory: Self.evaluationDirectory.appendingPathComponent("dev"))
        #expect(report.documents.count == 6)
        expect(report, .scan, meet: ScanFloors.floors)
    }

    @Test func theHeldOutPatientMeetsItsFloors() async throws {
        let report = try await ExtractionEvaluation(lexicon: Self.lexicon, formats: [.text, .pdf])
            .run(directory: Self.evaluationDirectory.appendingPathComponent("heldout"))
        expect(report, .text, meet: HeldOutFloors.floors)
        expect(report, .pdf, meet: HeldOutFloors.floors)
    }
}

/// Floors measured on the scan subset (see the test): 0.75 / 1.00 biomarkers, 0.89 / 0.89
/// treatment lines, 1.00 / 0.97 labs, everything else 1.00 (tesseract 5.3, 300 dpi).
enum ScanFloors {
    static let floors: ExtractionEvaluationTests.Floors = [
        .biomarkers: (0.7, 0.95), .treatmentLines: (0.85, 0.85), .labs: (0.9, 0.93),
    ]
}

/// Floors on the held-out patient (text and PDF: 1.00 everywhere today). Its first,
/// untuned evaluation scored 0.63 / 0.63 over all fields; the rules were then made more
/// general where it failed, so it is a regression check now, not an unseen test.
enum HeldOutFloors {
    static let floors: ExtractionEvaluationTests.Floors = [.demographics: (0.8, 1.0), .labs: (0.9, 1.0)]
}

@Suite("Extraction evaluation: scoring")
struct EvaluationScoringTests {
    let normalizer = FactNormalizer(lexicon: .builtIn)

    private func produced(_ text: String) -> [ComparableFact] {
        ProfileExtractor(lexicon: .builtIn).extract(text: text, documentID: "d").map(normalizer.comparable)
    }

    @Test func aRegimenMatchesItsDrugsSpelledOut() {
        let expected = normalizer.comparable(ExpectedFact(field: .treatmentLine, value: "rituximab + bendamustine"))
        let found = produced("She received BR x 6 cycles.")
        #expect(found.contains { $0.satisfies(expected) })
    }

    @Test func everyNamedAttributeMustMatchButExtraOnesDoNot() {
        let fact = ComparableFact(field: .lab, value: "creatinine 97", negated: false, uncertain: false,
                                  attributes: ["unit": "umol/l", "date": "2025-02-17"])
        let loose = ComparableFact(field: .lab, value: "creatinine 97", negated: false, uncertain: false, attributes: ["unit": "umol/l"])
        let wrongDate = ComparableFact(field: .lab, value: "creatinine 97", negated: false, uncertain: false, attributes: ["date": "2025-02-18"])
        #expect(fact.satisfies(loose))
        #expect(!fact.satisfies(wrongDate))
    }

    @Test func duplicatesAreNeitherRightNorWrongAndAbsentRulesCount() {
        let lab = ComparableFact(field: .lab, value: "ldh 486", negated: false, uncertain: false, attributes: [:])
        let family = ComparableFact(field: .primaryCancer, value: "breast-cancer", negated: false, uncertain: false, attributes: [:])
        let (scores, missed, wrong) = DocumentEvaluation.score(produced: [lab, lab, family], expected: [lab], absent: [family])
        #expect(scores[.labs] == Score(truePositives: 1))
        #expect(scores[.diagnosis] == Score(falsePositives: 1))
        #expect(scores[.negation] == Score(falsePositives: 1, falseNegatives: 1))
        #expect(missed.isEmpty)
        #expect(wrong == [family, family])
    }

    @Test func expectationFilesDecodeAttributesOfAnyJSONType() throws {
        let json = #"{"patient": "p", "document": "d", "facts": [{"field": "treatment-line", "value": "R-CHOP", "line": 1, "refractory": true}]}"#
        let document = try JSONDecoder().decode(ExpectedDocument.self, from: Data(json.utf8))
        #expect(document.facts.first?.attributes == ["line": "1", "refractory": "true"])
        #expect(document.absent.isEmpty)
    }

    @Test func renderingsAreFoundNextToTheirExpectations() throws {
        let jobs = try ExtractionEvaluation.jobs(in: ExtractionEvaluationTests.evaluationDirectory.appendingPathComponent("heldout"))
        #expect(Set(jobs.map(\.format)) == Set(EvaluationFormat.allCases))
        #expect(jobs.allSatisfy { $0.file.lastPathComponent.hasPrefix($0.expected.document + ".") })
    }
}
