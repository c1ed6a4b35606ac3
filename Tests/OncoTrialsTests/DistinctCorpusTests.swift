import Foundation
import Testing
@testable import OncoTrials

/// The benchmark corpus: every criteria text, title and NCT ID distinct, every record a
/// readable study, and the same file for the same seed.
@Suite struct DistinctCorpusTests {
    static func write(_ count: Int, seed: UInt64) throws -> (URL, Int)? {
        guard let source = SharedData.oncologyJSONL else { return nil }
        let lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").map(String.init)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-corpus-\(UUID().uuidString).jsonl")
        let distinct = try DistinctCorpus(lines: lines, seed: seed).write(count: count, to: url)
        return (url, distinct)
    }

    @Test func moreStudiesThanTheSourceHoldAllDistinctReadableAndDeterministic() throws {
        guard let (url, distinct) = try Self.write(1_500, seed: 7), let (again, _) = try Self.write(1_500, seed: 7) else { return }
        defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(at: again) }
        var studies: [Study] = []
        var failures = 0
        try StudyImportReader(source: .file(url)).read { record in
            switch record {
            case .study(let imported): studies.append(imported.study)
            case .failure: failures += 1
            }
        }
        #expect(failures == 0 && studies.count == 1_500 && distinct == 1_500)
        #expect(Set(studies.map { $0.eligibilityCriteria ?? "" }).count == 1_500)
        #expect(Set(studies.compactMap(\.briefTitle)).count == 1_500)
        #expect(Set(studies.map(\.nctID)).count == 1_500)
        #expect(try Data(contentsOf: url) == Data(contentsOf: again))
    }
}
