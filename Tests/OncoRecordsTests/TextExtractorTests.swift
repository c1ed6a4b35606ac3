import Foundation
import Testing
@testable import OncoRecords

/// These tests run the real poppler-utils, tesseract and unzip.
@Suite("Text extraction with the real tools", .enabled(if: TestPaths.toolsAvailableOrRequired))
struct TextExtractorTests {
    let extractor = TextExtractor()

    @Test func aTextPDFIsReadPageByPageFromItsTextLayer() async throws {
        let result = try await extractor.extract(data: TestPaths.fixture("text-report.pdf"))
        #expect(result.kind == .pdf)
        #expect(result.pages.map(\.source) == [.textLayer, .textLayer])
        #expect(result.pages[0].text.contains("CD19 positive"))
        #expect(result.pages[1].text.contains("No evidence of CNS involvement"))
        #expect(!result.usedOCR)
        #expect(result.text.contains("\u{0C}"))
    }

    @Test func aPageWithoutTextLayerIsRenderedAndOCRd() async throws {
        let result = try await extractor.extract(data: TestPaths.fixture("mixed-scan.pdf"))
        #expect(result.pages.map(\.source) == [.textLayer, .ocr])
        #expect(result.pages[1].text.contains("Creatinine"))
        #expect(result.factMethod == .ocrTextRules)
        #expect(result.warnings.contains { $0.contains("read by OCR") })
    }

    @Test func theOCRPageLimitSkipsScannedPagesWithAWarning() async throws {
        let limited = TextExtractor(limits: ExtractionLimits(maximumOCRPages: 0))
        let result = try await limited.extract(data: TestPaths.fixture("mixed-scan.pdf"))
        #expect(result.pages.map(\.source) == [.textLayer, .skipped])
        #expect(result.warnings.contains { $0.contains("pages 2 have no text layer") })
    }

    @Test func thePageLimitStopsReadingWithAWarning() async throws {
        let limited = TextExtractor(limits: ExtractionLimits(maximumPages: 1))
        let result = try await limited.extract(data: TestPaths.fixture("text-report.pdf"))
        #expect(result.pages.count == 1)
        #expect(result.warnings.contains { $0.contains("only the first 1 of 2 pages") })
    }

    @Test func anImageIsReadByTesseract() async throws {
        let result = try await extractor.extract(data: TestPaths.fixture("lab-photo.png"))
        #expect(result.kind == .png)
        #expect(result.text.contains("LVEF 55%"))
        #expect(result.usedOCR)
    }

    @Test func aMultiPageTIFFKeepsItsPages() async throws {
        let result = try await extractor.extract(data: TestPaths.fixture("fax-2pages.tif"))
        #expect(result.kind == .tiff)
        #expect(result.pages.count == 2)
        #expect(result.pages[1].text.contains("LDH 250"))
    }

    @Test func aDOCXIsReadFromItsDocumentXML() async throws {
        let result = try await extractor.extract(data: TestPaths.fixture("letter.docx"))
        #expect(result.kind == .docx)
        #expect(result.text.contains("ECOG performance status 1. Creatinine 0.9 mg/dL & bilirubin"))
        #expect(result.text.contains("Tab\tseparated"))
        #expect(result.text.split(separator: "\n").count == 4)
    }

    @Test func windows1252TextIsDecoded() async throws {
        let result = try await extractor.extract(data: TestPaths.fixture("cp1252-letter.txt"))
        #expect(result.text.contains("SYNTHETIC – not a real patient."))
        #expect(result.text.contains("café"))
        #expect(!result.text.contains("\r"))
    }

    @Test func aDamagedPDFFailsWithTheToolsMessage() async throws {
        let broken = Data("%PDF-1.4\nthis is not really a pdf".utf8)
        await #expect {
            _ = try await extractor.extract(data: broken)
        } throws: { error in
            guard case TextExtractionError.toolFailed(let tool, _, _) = error else { return false }
            return tool == "pdfinfo"
        }
    }
}

@Suite("Process runner limits and missing tools")
struct ProcessRunnerTests {
    @Test func aMissingPopplerSaysWhatToInstall() async throws {
        let bare = TextExtractor(runner: LiveProcessRunner(extraSearchPaths: [], searchesPATH: false))
        await #expect {
            _ = try await bare.extract(data: TestPaths.fixture("text-report.pdf"))
        } throws: { error in
            "\(error)" == "text extraction unavailable: install poppler-utils"
        }
    }

    @Test func aMissingTesseractSaysWhatToInstall() async throws {
        let bare = TextExtractor(runner: LiveProcessRunner(extraSearchPaths: [], searchesPATH: false))
        await #expect {
            _ = try await bare.extract(data: TestPaths.fixture("lab-photo.png"))
        } throws: { error in
            (error as? TextExtractionError)?.description == "text extraction unavailable: install tesseract-ocr"
        }
    }

    @Test func aMissingUnzipSaysWhatToInstall() async throws {
        let bare = TextExtractor(runner: LiveProcessRunner(extraSearchPaths: [], searchesPATH: false))
        await #expect {
            _ = try await bare.extract(data: TestPaths.fixture("letter.docx"))
        } throws: { error in
            "\(error)" == "text extraction unavailable: install unzip"
        }
    }

    @Test func aToolThatRunsTooLongIsKilled() async throws {
        let start = ContinuousClock.now
        await #expect(throws: TextExtractionError.timedOut(tool: "sleep", seconds: 1)) {
            _ = try await LiveProcessRunner().run(ToolInvocation(tool: "sleep", arguments: ["600"], timeout: .seconds(1)))
        }
        // The tool sleeps 10 minutes; finishing well before that proves it was killed. The
        // bound is very loose because the whole suite runs in parallel on two cores in CI.
        #expect(ContinuousClock.now - start < .seconds(300))
    }

    @Test(.enabled(if: LiveProcessRunner().isAvailable("python3")))
    func aToolOverItsMemoryLimitFails() async throws {
        let output = try await LiveProcessRunner().run(ToolInvocation(
            tool: "python3", arguments: ["-c", "x = bytearray(800 * 1024 * 1024)"],
            timeout: .seconds(30), memoryLimitBytes: 200 << 20))
        #expect(output.exitCode != 0)
    }

    @Test func outputBeyondTheLimitIsCutAndFlagged() async throws {
        let output = try await LiveProcessRunner().run(ToolInvocation(
            tool: "head", arguments: ["-c", "100000", "/dev/zero"], maximumOutputBytes: 1000))
        #expect(output.stdout.count == 1000)
        #expect(output.stdoutTruncated)
    }

    @Test func aCancelledJobKillsItsTool() async throws {
        let start = ContinuousClock.now
        let task = Task {
            try await LiveProcessRunner().run(ToolInvocation(tool: "sleep", arguments: ["600"], timeout: .seconds(900)))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        _ = await task.result
        #expect(ContinuousClock.now - start < .seconds(300), "the 10-minute tool was killed, not waited for")
    }

    @Test func aToolWritingWithoutEndIsStoppedByTheFileSizeLimit() async throws {
        let output = try await LiveProcessRunner().run(ToolInvocation(
            tool: "head", arguments: ["-c", "50000000", "/dev/zero"], maximumOutputBytes: 1000, maximumFileBytes: 0))
        #expect(output.exitCode != 0, "killed by SIGXFSZ after about 1 MB, not 50 MB")
        #expect(output.stdoutTruncated)
        #expect(output.stdout.count == 1000)
    }

    @Test func toolsDoNotSeeTheServersEnvironment() async throws {
        // given a secret in our own environment
        setenv("ONCONAV_TEST_SECRET", "hunter2", 1)
        // when a tool prints its environment
        let output = try await LiveProcessRunner().run(ToolInvocation(tool: "env", arguments: []))
        let printed = String(decoding: output.stdout, as: UTF8.self)
        // then the secret is not there, but PATH is
        #expect(!printed.contains("hunter2"))
        #expect(printed.contains("PATH="))
    }

    @Test func scratchFilesArePrivateAndRemoved() throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.createFile(named: "input.pdf", contents: Data("x".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        scratch.remove()
        #expect(!FileManager.default.fileExists(atPath: scratch.url.path))
    }

    @Test func fhirJSONIsSentToTheImporterNotTheExtractor() async {
        await #expect {
            _ = try await TextExtractor().extract(data: Data(#"{"resourceType":"Patient"}"#.utf8))
        } throws: { error in
            "\(error)".contains("FHIRImporter")
        }
    }
}
