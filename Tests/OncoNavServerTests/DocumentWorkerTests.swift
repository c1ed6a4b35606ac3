import Fluent
import Foundation
import NIOConcurrencyHelpers
import OncoRecords
import Testing
import Vapor
import ZIPFoundation
@testable import OncoNavServer

/// A hostile upload must not stop document processing for everyone (issue 15).
@Suite(.serialized) struct DocumentWorkerTests {
    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// A real zip bomb: a DOCX whose `word/document.xml` is 256 MB of `<` — about 250 KB
    /// compressed. Read naïvely (and with a regular expression per tag) it ran for 19+ minutes.
    static func zipBomb(expandingTo total: Int64 = 256 << 20) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString).docx")
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try Archive(url: url, accessMode: .create)
        let content = Data("<?xml version=\"1.0\"?><w:document><w:body><w:p><w:r><w:t>".utf8)
        try archive.addEntry(with: "[Content_Types].xml", type: .file, uncompressedSize: Int64(8), compressionMethod: .deflate) { position, size in
            Data("<Types/>".utf8).subdata(in: Int(position)..<Int(position) + size)
        }
        let chunk = Data(repeating: UInt8(ascii: "<"), count: 1 << 20)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: total, compressionMethod: .deflate, bufferSize: 1 << 20) { position, size in
            if position == 0 { return content + chunk.prefix(size - content.count) }
            return chunk.prefix(size)
        }
        return try Data(contentsOf: url)
    }

    static func waitUntil(_ what: String, timeout: TimeInterval = 120, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for: \(what)")
    }

    /// A patient's case with a DOCX whose unzip is preceded by a real 10-minute `sleep`
    /// process (the slowest job imaginable), on a worker of its own that has started it.
    static func startSlowDOCXJob(_ app: Application) async throws -> (DocumentWorker, SlowUnzipRunner, TestBrowser, UUID) {
        let runner = SlowUnzipRunner()
        await app.documentWorker.stop()
        let worker = DocumentWorker(app: app, processor: DocumentProcessor(lexicon: app.recordsLexicon, textExtractor: TextExtractor(runner: runner)))
        app.documentWorker = worker
        let (browser, caseID) = try await patientWithCase(app)
        _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.docx", docxType, try RecordFixtures.fixture("letter.docx"))])
        worker.start()
        try await waitUntil("the slow job to start") { runner.started }
        return (worker, runner, browser, caseID)
    }

    @Test func aZipBombIsRefusedAndTheNextUploadIsReadAtOnce() async throws {
        guard LiveProcessRunner().isAvailable("unzip") else {
            #expect(ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] != "1", "unzip is missing")
            return
        }
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let bomb = try Self.zipBomb()
            #expect(bomb.count < 2 << 20, "\(bomb.count) bytes")
            // Under the size cap, but expanding about a thousand times: refused by its ratio.
            let smallBomb = try Self.zipBomb(expandingTo: 30 << 20)
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.docx", Self.docxType, bomb)])
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("small-bomb.docx", Self.docxType, smallBomb)])
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("note.txt", "text/plain", Data("ECOG 1 on 2026-01-02.".utf8))])
            await app.documentWorker.runDue()
            let documents = try await CaseDocument.query(on: app.db).all()
            let refused = try #require(documents.first { $0.fileName == "letter.docx" })
            #expect(refused.status == .failed)
            #expect(refused.statusDetail?.contains("over the 32 MB limit") == true, "\(refused.statusDetail ?? "")")
            let ratio = try #require(documents.first { $0.fileName == "small-bomb.docx" })
            #expect(ratio.status == .failed)
            #expect(ratio.statusDetail?.contains("zip bomb") == true, "\(ratio.statusDetail ?? "")")
            #expect(documents.first { $0.fileName == "note.txt" }?.status == .ready)
        }
    }

    @Test func aSlowDocumentHoldsUpNobodyAndStopsWhenDeleted() async throws {
        guard LiveProcessRunner().isAvailable("unzip"), LiveProcessRunner().isAvailable("sleep") else { return }
        try await withTestApp { app in
            let (worker, runner, browser, caseID) = try await Self.startSlowDOCXJob(app)
            let slow = try #require(try await CaseDocument.query(on: app.db).filter(\.$fileName == "letter.docx").first())

            // A 36-byte upload behind it is read while the slow one still runs.
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("note.txt", "text/plain", Data("ECOG 1 on 2026-01-02. Nothing else.".utf8))])
            try await Self.waitUntil("the small upload to be read") {
                try await CaseDocument.query(on: app.db).filter(\.$fileName == "note.txt").first()?.status == .ready
            }
            #expect(worker.isRunning(documentID: try slow.requireID()))

            // Deleting the slow document stops its job (and kills its process).
            #expect(try await browser.post("/cases/\(caseID)/documents/\(try slow.requireID())/delete").status == .seeOther)
            try await Self.waitUntil("the deleted document's job to stop", timeout: 30) { !worker.isRunning(documentID: try slow.requireID()) }
            #expect(runner.finished, "the sleep process was killed")
            await worker.stop()
        }
    }

    @Test func stoppingTheServerDoesNotWaitForAStuckJob() async throws {
        guard LiveProcessRunner().isAvailable("unzip"), LiveProcessRunner().isAvailable("sleep") else { return }
        try await withTestApp { app in
            let (worker, runner, _, _) = try await Self.startSlowDOCXJob(app)
            // What SIGTERM leads to: the lifecycle's stop. It returns (the job is cancelled,
            // its process killed) instead of waiting ten minutes.
            await worker.stop()
            try await Self.waitUntil("the process to be killed", timeout: 30) { runner.finished }
            let job = try #require(try await DocumentJob.query(on: app.db).first())
            #expect(job.state == .running, "left for the next start to requeue")
            await worker.recoverOrphans()
            #expect(try await DocumentJob.query(on: app.db).first()?.state == .queued)
        }
    }
}

/// The real tools, with a real `sleep 600` before the DOCX is unpacked.
final class SlowUnzipRunner: ProcessRunner {
    private let live = LiveProcessRunner()
    private let state = NIOLockedValueBox((started: false, finished: false))
    var started: Bool { state.withLockedValue { $0.started } }
    var finished: Bool { state.withLockedValue { $0.finished } }

    func isAvailable(_ tool: String) -> Bool { live.isAvailable(tool) }

    func run(_ invocation: ToolInvocation) async throws -> ProcessOutput {
        if invocation.tool == "unzip", invocation.arguments.first == "-p" {
            state.withLockedValue { $0.started = true }
            defer { state.withLockedValue { $0.finished = true } }
            _ = try await live.run(ToolInvocation(tool: "sleep", arguments: ["600"], timeout: .seconds(700)))
        }
        return try await live.run(invocation)
    }
}
