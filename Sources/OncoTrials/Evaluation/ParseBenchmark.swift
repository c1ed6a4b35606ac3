import Foundation

/// The eligibility parser's speed on real criteria texts: each distinct text parsed
/// `runs` times, the fastest run kept per text (the least disturbed by other work on the
/// machine), then the median and 95th percentile over texts and the throughput of one
/// pass over all of them.
public enum ParseBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var texts = 0
        public var criteria = 0
        public var runs = 0
        public var medianMs = 0.0
        public var p95Ms = 0.0
        public var maxMs = 0.0
        /// Texts per second of one pass (sum of the per-text times).
        public var textsPerSecond = 0.0

        public var description: String {
            String(format: "%d distinct criteria texts (%d criteria), best of %d runs per text: median %.2f ms, p95 %.2f ms, max %.1f ms per text; %.0f texts/s",
                   texts, criteria, runs, medianMs, p95Ms, maxMs, textsPerSecond)
        }
    }

    /// Distinct non-empty criteria texts, in file order.
    public static func distinctCriteriaTexts(_ source: StudyImportReader.Source) throws -> [String] {
        var seen = Set<String>()
        var texts: [String] = []
        try StudyImportReader(source: source).read { record in
            guard case .study(let imported) = record, let text = imported.study.eligibilityCriteria,
                  !text.isEmpty, seen.insert(text).inserted else { return }
            texts.append(text)
        }
        return texts
    }

    public static func run(texts: [String], parser: EligibilityParser, runs: Int = 3) -> Report {
        var best = [Double](repeating: .infinity, count: texts.count)
        var criteria = 0
        for run in 0..<max(1, runs) {
            for (index, text) in texts.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                let parsed = parser.parse(text)
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
                best[index] = min(best[index], ms)
                if run == 0 { criteria += parsed.count }
            }
        }
        let sorted = best.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
        let total = best.reduce(0, +)
        return Report(texts: texts.count, criteria: criteria, runs: max(1, runs), medianMs: percentile(0.5), p95Ms: percentile(0.95),
                      maxMs: sorted.last ?? 0, textsPerSecond: total > 0 ? Double(texts.count) / (total / 1000) : 0)
    }
}
