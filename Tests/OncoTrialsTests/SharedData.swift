import Foundation
import Testing

/// Locates the third-party test data at `<repo>/../shared/data`. When it is missing the
/// test is skipped, unless `ONCONAV_REQUIRE_TOOLS=1` (CI), where that is an issue.
enum SharedData {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    static func url(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        let url = root.appendingPathComponent(relativePath)
        if FileManager.default.fileExists(atPath: url.path) { return url }
        if ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1" {
            Issue.record("shared test data missing at \(url.path)", sourceLocation: sourceLocation)
        }
        return nil
    }

    static var oncologyJSONL: URL? { url("ctgov-v2-oncology/studies.jsonl") }

    /// All studies of the oncology JSONL, by NCT ID (read once).
    static let oncologyStudies: [String: Study] = {
        guard let url = root.appendingPathComponent("ctgov-v2-oncology/studies.jsonl") as URL?,
              FileManager.default.fileExists(atPath: url.path) else { return [:] }
        var result: [String: Study] = [:]
        _ = try? StudyImportReader(source: .file(url)).read { record in
            if case .study(let imported) = record { result[imported.nctID] = imported.study }
        }
        return result
    }()

    /// The raw lines of the oncology JSONL.
    static let oncologyLines: [String] = {
        let url = root.appendingPathComponent("ctgov-v2-oncology/studies.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }()
}

@testable import OncoTrials

/// Reads all records of a file into arrays.
func readAll(_ url: URL, chunkSize: Int = 1 << 20) throws -> (studies: [ImportedStudy], failures: [RecordFailure]) {
    var studies: [ImportedStudy] = []
    var failures: [RecordFailure] = []
    try StudyImportReader(source: .file(url), chunkSize: chunkSize).read { record in
        switch record {
        case .study(let s): studies.append(s)
        case .failure(let f): failures.append(f)
        }
    }
    return (studies, failures)
}

func temporaryFile(_ name: String, _ contents: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-trials-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(contents.utf8).write(to: url)
    return url
}
