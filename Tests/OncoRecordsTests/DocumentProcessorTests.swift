import Foundation
import Testing
@testable import OncoRecords

/// The whole path from an upload's bytes to facts, with the real tools.
@Suite("Upload to facts", .enabled(if: TestPaths.toolsAvailableOrRequired))
struct DocumentProcessorTests {
    let processor = DocumentProcessor()

    @Test func aPathologyPDFBecomesDatedFactsWithSpansIntoItsText() async throws {
        let result = try await processor.process(data: TestPaths.fixture("text-report.pdf"), documentID: "upload-1",
                                                 fileName: "path.pdf", mimeType: "application/pdf")
        #expect(result.kind == .pdf)
        #expect(result.typeMismatches.isEmpty)
        #expect(result.classification?.category == .pathology)
        let profile = PatientProfile(facts: result.facts)
        #expect(profile.primaryCancer?.value.cancer.conceptID == "dlbcl-nos")
        #expect(profile.biomarkers.contains { $0.value.marker == "CD19" && $0.value.interpretation == .positive })
        #expect(profile.stages.first?.value.system == .annArbor)
        #expect(profile.hasCNSInvolvement == false)
        let text = try #require(result.text?.text) as NSString
        for fact in result.facts.map(\.summary) {
            guard case .document(_, let span) = fact.provenance.source else { continue }
            #expect(text.substring(with: NSRange(location: span.start, length: span.end - span.start)) == span.text)
        }
    }

    @Test func aScannedLabPageIsReadByOCRAndItsFactsSaySo() async throws {
        let result = try await processor.process(data: TestPaths.fixture("mixed-scan.pdf"), documentID: "upload-2")
        let profile = PatientProfile(facts: result.facts)
        #expect(profile.labs.contains { $0.value.name == "creatinine" && $0.value.value == 1.1 })
        #expect(profile.latestLVEF?.value.value == 55)
        #expect(profile.labs.allSatisfy { $0.provenance.method == .ocrTextRules })
        #expect(result.warnings.contains { $0.contains("OCR") })
    }

    @Test func aPhotoUploadedAsPDFIsReadAsAPhotoWithAWarning() async throws {
        let result = try await processor.process(data: TestPaths.fixture("lab-photo.png"), documentID: "upload-3",
                                                 fileName: "labs.pdf", mimeType: "application/pdf")
        #expect(result.kind == .png)
        #expect(result.warnings.contains { $0.contains("claims to be a PDF document but its content is a PNG image") })
        #expect(PatientProfile(facts: result.facts).latestLVEF?.value.value == 55)
    }

    @Test func aFHIRUploadIsImportedNotOCRd() async throws {
        let bundle = #"{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1970"}"#
        let result = try await processor.process(data: Data(bundle.utf8), documentID: "upload-4", fileName: "record.json")
        #expect(result.kind == .fhirJSON)
        #expect(result.text == nil)
        #expect(PatientProfile(facts: result.facts).sexes.first?.value == .female)
    }
}

@Suite("Text extraction edge cases")
struct ExtractionEdgeCaseTests {
    @Test func spansAreUTF16OffsetsEvenAfterAccentsAndEmoji() {
        let text = "Café 😀 résumé – ECOG 2 and LVEF 45%."
        let facts = ProfileExtractor().extract(text: text, documentID: "d")
        #expect(facts.count == 2)
        for fact in facts.map(\.summary) {
            guard case .document(_, let span) = fact.provenance.source else { continue }
            #expect((text as NSString).substring(with: NSRange(location: span.start, length: span.end - span.start)) == span.text)
        }
    }

    /// A 100-page record is read whole: every repetition yields its facts. (Speed is a
    /// benchmark's business, not a unit test's.)
    @Test func aLongRecordIsReadToTheEnd() throws {
        let letter = String(decoding: try TestPaths.fixture("referral-letter.txt"), as: UTF8.self)
        let single = ProfileExtractor().extract(text: letter, documentID: "one").count
        let long = Array(repeating: letter, count: 100).joined(separator: "\n\u{0C}")  // ~150 KB, ~100 pages
        let facts = ProfileExtractor().extract(text: long, documentID: "long")
        #expect(single > 0)
        let lastPageStart = (long as NSString).length - (letter as NSString).length
        let fromLastPage = facts.map(\.summary).filter { fact in
            guard case .document(_, let span) = fact.provenance.source else { return false }
            return span.start >= lastPageStart
        }
        #expect(!fromLastPage.isEmpty, "facts are found on the 100th page too")
    }

    @Test func aMedicationReferenceIsResolvedWithinTheBundle() throws {
        let bundle = #"""
        {"resourceType":"Bundle","type":"collection","entry":[
          {"fullUrl":"urn:uuid:m1","resource":{"resourceType":"Medication","id":"m1","code":{"text":"lisocabtagene maraleucel"}}},
          {"resource":{"resourceType":"MedicationAdministration","id":"a1","status":"completed","subject":{"reference":"Patient/1"},
            "medicationReference":{"reference":"Medication/m1"},"effectiveDateTime":"2024-03-05"}}]}
        """#
        let result = try FHIRImporter().importData(Data(bundle.utf8))
        let profile = PatientProfile(facts: result.facts)
        #expect(profile.priorCellTherapies.first?.value.product?.conceptID == "breyanzi")
        #expect(profile.priorCellTherapies.first?.value.date == ClinicalDate(year: 2024, month: 3, day: 5))
    }
}
