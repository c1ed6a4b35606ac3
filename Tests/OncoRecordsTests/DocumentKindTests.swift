import Foundation
import Testing
@testable import OncoRecords

@Suite("Content sniffing")
struct DocumentKindTests {
    @Test(arguments: [
        ("text-report.pdf", DocumentKind.pdf),
        ("lab-photo.png", .png),
        ("letter.docx", .docx),
        ("cp1252-letter.txt", .plainText),
    ])
    func fixturesAreRecognisedByContent(name: String, expected: DocumentKind) throws {
        #expect(DocumentKind.sniff(data: try TestPaths.fixture(name)) == expected)
    }

    @Test func magicBytesDecideImageKinds() {
        #expect(DocumentKind.sniff(data: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])) == .jpeg)
        #expect(DocumentKind.sniff(data: Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0])) == .tiff)
        #expect(DocumentKind.sniff(data: Data([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8])) == .tiff)
    }

    @Test func jsonWithResourceTypeIsFHIRAndOtherJSONIsText() {
        #expect(DocumentKind.sniff(data: Data(#" {"resourceType":"Bundle","type":"collection"}"#.utf8)) == .fhirJSON)
        #expect(DocumentKind.sniff(data: Data(#"{"name":"x"}"#.utf8)) == .plainText)
    }

    @Test func aZipWithoutAWordDocumentIsUnknown() {
        var zip = Data([0x50, 0x4B, 0x03, 0x04])
        zip.append(Data("xl/workbook.xml".utf8))
        #expect(DocumentKind.sniff(data: zip) == .unknown)
    }

    @Test func binaryGarbageIsUnknown() {
        #expect(DocumentKind.sniff(data: Data([0x00, 0x01, 0x02, 0x03, 0x7F, 0x00])) == .unknown)
        #expect(DocumentKind.sniff(data: Data()) == .unknown)
    }

    @Test func aPhotoNamedPDFIsReportedAsLying() throws {
        let png = try TestPaths.fixture("lab-photo.png")
        let sniffed = DocumentKind.sniff(data: png)
        let mismatches = DocumentKind.mismatches(fileName: "report.pdf", mimeType: "application/pdf", sniffed: sniffed)
        #expect(mismatches.count == 2)
        #expect(mismatches[0].description.contains("\"report.pdf\" claims to be a PDF document but its content is a PNG image"))
    }

    @Test func honestDeclarationsRaiseNothing() {
        #expect(DocumentKind.mismatches(fileName: "scan.JPG", mimeType: "image/jpeg", sniffed: .jpeg).isEmpty)
        #expect(DocumentKind.mismatches(fileName: "notes", mimeType: "application/octet-stream", sniffed: .pdf).isEmpty)
    }
}
