import Foundation
import Testing
@testable import OncoMatch

@Suite("Trial benchmark")
struct TrialBenchmarkTests {
    static let queries = ["CAR-T lymphoma", "NSCLC EGFR", "multiple myeloma BCMA", "melanoma TIL", "glioblastoma",
                          "acute myeloid leukemia CD33", "breast cancer HER2 positive", "oncolytic virus", "pembrolizumab", "NK cell"]

    @Test("a small run generates, imports, indexes and queries")
    func smallRun() throws {
        guard TrialIndexFixture.available() else { return }
        let corpus = try String(contentsOf: TrialIndexFixture.jsonl, encoding: .utf8).split(separator: "\n").map(String.init)
        let report = try TrialBenchmark.run(corpus: corpus, scaleTo: 2_000, queries: Self.queries, repetitions: 3)
        #expect(report.studies == 2_000)
        #expect(report.importFailures == 0)
        #expect(report.queryCount == 30)
        #expect(report.perQuery.first { $0.query == "CAR-T lymphoma" }.map { $0.hits > 0 } == true)
    }

    /// The full-scale run: `ONCONAV_BENCH=500000 swift test -c release --filter fullScale`.
    @Test("full-scale benchmark (set ONCONAV_BENCH to the number of studies)")
    func fullScale() throws {
        guard let scale = ProcessInfo.processInfo.environment["ONCONAV_BENCH"].flatMap(Int.init), TrialIndexFixture.available() else { return }
        let corpus = try String(contentsOf: TrialIndexFixture.jsonl, encoding: .utf8).split(separator: "\n").map(String.init)
        let report = try TrialBenchmark.run(corpus: corpus, scaleTo: scale, queries: Self.queries, repetitions: 20) { print("BENCH", $0) }
        print("BENCH REPORT\n\(report)")
    }
}
