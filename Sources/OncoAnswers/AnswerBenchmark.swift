import Foundation
import OncoKnowledge

/// Latency of composing answers, for `onconav bench ask` (build with `-c release`).
public enum AnswerBenchmark {
    public struct Result: Codable, Sendable {
        public var questions: Int
        public var answers: Int
        /// Time to build the composer's lookup tables, in milliseconds.
        public var setupMilliseconds: Double
        public var p50Milliseconds: Double
        public var p95Milliseconds: Double
        public var maxMilliseconds: Double

        public var summary: String {
            String(format: "%d questions × %d answers: setup %.1f ms, p50 %.3f ms, p95 %.3f ms, max %.3f ms",
                   questions, answers / max(questions, 1), setupMilliseconds, p50Milliseconds, p95Milliseconds, maxMilliseconds)
        }
    }

    /// Answers every question `iterations` times and reports per-answer latency percentiles.
    public static func run(knowledge: KnowledgeBase, questions: [String], iterations: Int = 20) -> Result {
        let clock = ContinuousClock()
        var composer: AnswerComposer?
        let setup = clock.measure { composer = AnswerComposer(knowledge: knowledge) }
        guard let composer, !questions.isEmpty else {
            return Result(questions: 0, answers: 0, setupMilliseconds: milliseconds(setup), p50Milliseconds: 0, p95Milliseconds: 0, maxMilliseconds: 0)
        }
        var samples: [Double] = []
        samples.reserveCapacity(questions.count * max(iterations, 1))
        for _ in 0..<max(iterations, 1) {
            for question in questions {
                let elapsed = clock.measure { _ = composer.answer(question) }
                samples.append(milliseconds(elapsed))
            }
        }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count - 1) * p))] }
        return Result(questions: questions.count, answers: samples.count, setupMilliseconds: milliseconds(setup),
                      p50Milliseconds: percentile(0.5), p95Milliseconds: percentile(0.95), maxMilliseconds: samples.last ?? 0)
    }

    /// Questions of every kind OncoAnswers handles, for the benchmark when none are given.
    public static let sampleQuestions = [
        "How does CAR-T work for lung cancer?", "Is there a gene therapy for bladder cancer?",
        "Can I get CAR-T if I relapsed after a transplant?", "What is CRS?", "Is Kymriah approved in China?",
        "CAR-T vs bispecifics for myeloma", "How long do I need to stay near the hospital?",
        "Are there trials of TIL for melanoma?", "my doctor said kymria works for lung cancer",
        "What are the side effects of Carvykti?", "How much does CAR-T cost?", "Should I stop my chemo?",
    ]

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
