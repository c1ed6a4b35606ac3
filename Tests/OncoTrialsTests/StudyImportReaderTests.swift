import Foundation
import Testing
import ZIPFoundation
@testable import OncoTrials

@Suite("Streaming import reader")
struct StudyImportReaderTests {
    static func study(_ id: String, title: String = "A \"quoted\" title with {braces} and [brackets] \\ done") -> String {
        #"{"protocolSection":{"identificationModule":{"nctId":"\#(id)","briefTitle":"\#(title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))"},"statusModule":{"overallStatus":"RECRUITING","lastUpdatePostDateStruct":{"date":"2025-01-02"}}}}"#
    }

    @Test("a pretty-printed JSON array yields each element")
    func array() throws {
        let text = "[\n  " + ["NCT00000001", "NCT00000002", "NCT00000003"].map { Self.study($0) }.joined(separator: ",\n  ") + "\n]\n"
        let (studies, failures) = try readAll(try temporaryFile("a.txt", text), chunkSize: 5)
        #expect(failures.isEmpty)
        #expect(studies.map(\.nctID) == ["NCT00000001", "NCT00000002", "NCT00000003"])
        #expect(studies[0].study.briefTitle == "A \"quoted\" title with {braces} and [brackets] \\ done")
        #expect(studies[0].lastUpdate == RegistryDate("2025-01-02"))
    }

    @Test("an API page yields its studies whatever key comes first")
    func page() throws {
        let text = #"{"totalCount": 2, "studies": ["# + Self.study("NCT00000011") + ",\n" + Self.study("NCT00000012")
            + #"], "nextPageToken": "abc{["}"#
        for chunkSize in [1, 3, 64, 1 << 20] {
            let (studies, failures) = try readAll(try temporaryFile("page.json", text), chunkSize: chunkSize)
            #expect(failures.isEmpty)
            #expect(studies.map(\.nctID) == ["NCT00000011", "NCT00000012"], "chunk \(chunkSize)")
        }
    }

    @Test("a single pretty-printed study is one record")
    func singleStudy() throws {
        let text = "{\n \"protocolSection\": {\n  \"identificationModule\": {\"nctId\": \"NCT00000021\"}\n }\n}\n"
        let (studies, failures) = try readAll(try temporaryFile("x.bin", text))
        #expect(failures.isEmpty)
        #expect(studies.map(\.nctID) == ["NCT00000021"])
    }

    @Test("JSON lines with a truncated line, junk and a bad type keep going and say where")
    func jsonLinesWithBadRecords() throws {
        let truncated = String(Self.study("NCT00000032").prefix(90))
        let wrongType = #"{"protocolSection":{"identificationModule":{"nctId":"NCT00000034","briefTitle":42}}}"#
        let lines = [Self.study("NCT00000031"), truncated, "this is not json", wrongType, Self.study("NCT00000035"), ""]
        let (studies, failures) = try readAll(try temporaryFile("l.jsonl", lines.joined(separator: "\n")), chunkSize: 7)
        #expect(studies.map(\.nctID) == ["NCT00000031", "NCT00000035"])
        #expect(failures.count == 3)
        #expect(failures[0].nctID == "NCT00000032")
        #expect(failures[0].position.line == 2)
        #expect(failures[0].reason.contains("truncated"))
        #expect(failures[1].position.line == 3)
        #expect(failures[2].nctID == "NCT00000034")
        #expect(failures[2].reason.contains("protocolSection.identificationModule.briefTitle"))
    }

    @Test("a file cut off inside a record reports it")
    func truncatedFile() throws {
        let text = "[" + Self.study("NCT00000041") + "," + String(Self.study("NCT00000042").dropLast(10))
        let (studies, failures) = try readAll(try temporaryFile("t.json", text))
        #expect(studies.map(\.nctID) == ["NCT00000041"])
        #expect(failures.count == 1)
        #expect(failures.first?.reason.contains("truncated") == true)
    }

    @Test("the bulk ZIP yields one study per entry and a broken entry is a failure")
    func zipArchive() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("ctg-studies.data")
        let archive = try Archive(url: url, accessMode: .create)
        let entries = [("NCT00000051.json", Self.study("NCT00000051")), ("NCT00000052.json", "{\"protocolSection\": "),
                       ("NCT00000053.json", Self.study("NCT00000053"))]
        for (name, text) in entries {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                                 provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        let (studies, failures) = try readAll(url)
        #expect(studies.map(\.nctID) == ["NCT00000051", "NCT00000053"])
        #expect(failures.count == 1)
        #expect(failures.first?.position.entry == "NCT00000052.json")
        #expect(studies.last?.position.index == 3)
    }

    @Test("the real JSONL read in tiny chunks gives the same studies")
    func tinyChunks() throws {
        guard let url = SharedData.oncologyJSONL else { return }
        let big = try readAll(url)
        let small = try readAll(url, chunkSize: 997)
        #expect(small.studies.map(\.nctID) == big.studies.map(\.nctID))
        #expect(small.studies.map(\.raw) == big.studies.map(\.raw))
    }

    @Test("raw bytes survive compression and reparse")
    func compressionRoundTrip() throws {
        guard let url = SharedData.url("ctgov-v2/NCT02513394.json") else { return }
        let raw = try Data(contentsOf: url)
        let compressed = try RawStudyCompression.compress(raw)
        #expect(compressed.count < raw.count / 4)
        let back = try RawStudyCompression.decompress(compressed)
        #expect(back == raw)
        #expect(try StudyParser.reparse(raw: back).nctID == "NCT02513394")
    }

    @Test("a missing file is an error that names the path")
    func missingFile() {
        #expect(throws: StudyImportError.self) {
            try StudyImportReader(source: .file(URL(fileURLWithPath: "/nonexistent/x.json"))).read { _ in }
        }
    }
}

@Suite("Import summary and progress")
struct ImportBookkeepingTests {
    @Test("outcomes are counted and failures listed")
    func summary() {
        var summary = ImportSummary(failureListLimit: 1)
        summary.record(ImportSummary.outcome(stored: nil, incoming: RegistryDate("2024-01-01"), exists: false))
        summary.record(ImportSummary.outcome(stored: RegistryDate("2024-01-01"), incoming: RegistryDate("2024-02-01"), exists: true))
        summary.record(ImportSummary.outcome(stored: RegistryDate("2024-01-01"), incoming: RegistryDate("2024-01-01"), exists: true))
        let failure = RecordFailure(position: RecordPosition(index: 4, line: 4, byteOffset: 10), nctID: nil, reason: "bad")
        summary.record(failure)
        summary.record(failure)
        #expect(summary.description == "read 5: 1 new, 1 updated, 1 unchanged, 2 failed")
        #expect(summary.failures.count == 1)
    }

    @Test("a terminal gets a bar with rate and ETA")
    func terminalBar() {
        let progress = ImportProgress(totalBytes: 1000, isTerminal: true)
        let line = progress.render(records: 500, bytes: 250, elapsed: 10)
        #expect(line.hasPrefix("\r["))
        #expect(line.contains(" 25%"))
        #expect(line.contains("50.0 studies/s"))
        #expect(line.contains("ETA 30s"))
    }

    @Test("a log gets plain lines")
    func plainLines() {
        let progress = ImportProgress(totalBytes: nil, isTerminal: false)
        let line = progress.render(records: 1200, bytes: 2 * 1_048_576, elapsed: 2)
        #expect(line == "imported 1200 studies, 2.0 MB, 600 studies/s\n")
    }
}
