import Foundation

/// Runs `DocumentProcessor` over an evaluation folder and scores the facts it produces
/// against the expectation files, field group by field group and format by format.
///
/// Layout: any folder tree holding `<document>.expected.json` files, each next to its
/// renderings `<document>.txt`, `<document>.pdf`, `<document>.scan.png|jpg|tif|pdf`
/// (see `Tests/OncoRecordsTests/Fixtures/evaluation/README.md`).
///
/// ```swift
/// let report = try await ExtractionEvaluation(lexicon: lexicon).run(directory: url)
/// print(report.table)
/// ```
public struct ExtractionEvaluation: Sendable {
    public var processor: DocumentProcessor
    public var normalizer: FactNormalizer
    /// Renderings to read; OCR of scans is the slow part.
    public var formats: Set<EvaluationFormat>
    /// Documents processed at once (each OCR call is single-threaded).
    public var concurrency: Int
    /// Chooses which (patient, document, format) triples to read; all by default.
    public var include: @Sendable (_ patient: String, _ document: String, _ format: EvaluationFormat) -> Bool

    public init(lexicon: ClinicalLexicon = .builtIn, formats: Set<EvaluationFormat> = Set(EvaluationFormat.allCases),
                concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                include: @escaping @Sendable (String, String, EvaluationFormat) -> Bool = { _, _, _ in true }) {
        self.processor = DocumentProcessor(lexicon: lexicon)
        self.normalizer = FactNormalizer(lexicon: lexicon)
        self.formats = formats
        self.concurrency = max(1, concurrency)
        self.include = include
    }

    /// One rendering to evaluate.
    struct Job: Sendable {
        var expected: ExpectedDocument
        var format: EvaluationFormat
        var file: URL
    }

    /// Evaluates every expectation file under `directory`.
    public func run(directory: URL) async throws -> EvaluationReport {
        let jobs = try Self.jobs(in: directory).filter {
            formats.contains($0.format) && include($0.expected.patient, $0.expected.document, $0.format)
        }
        let started = ContinuousClock.now
        let results = await ParallelWork.map(jobs, concurrency: concurrency) { job in await evaluate(job, root: directory) }
        return EvaluationReport(documents: results.sorted { ($0.patient, $0.document, $0.format) < ($1.patient, $1.document, $1.format) },
                                seconds: (ContinuousClock.now - started).seconds)
    }

    /// The renderings next to each expectation file, sorted by path.
    static func jobs(in directory: URL) throws -> [Job] {
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.sorted { $0.path < $1.path } ?? []
        let decoder = JSONDecoder()
        var jobs: [Job] = []
        for file in files where file.lastPathComponent.hasSuffix(".expected.json") {
            let expected = try decoder.decode(ExpectedDocument.self, from: Data(contentsOf: file))
            let stem = String(file.lastPathComponent.dropLast(".expected.json".count))
            for sibling in files where sibling.deletingLastPathComponent() == file.deletingLastPathComponent() {
                let name = sibling.lastPathComponent
                guard name.hasPrefix(stem + "."), !name.hasSuffix(".json"), let format = EvaluationFormat(fileName: name),
                      name.dropFirst(stem.count + 1).split(separator: ".").count <= 2 else { continue }
                jobs.append(Job(expected: expected, format: format, file: sibling))
            }
        }
        return jobs
    }

    private func evaluate(_ job: Job, root: URL) async -> DocumentEvaluation {
        let relative = job.file.path.replacingOccurrences(of: root.path + "/", with: "")
        let expected = job.expected.facts.map(normalizer.comparable)
        let absent = job.expected.absent.map(normalizer.comparable)
        let started = ContinuousClock.now
        do {
            let data = try Data(contentsOf: job.file)
            let result = try await processor.process(data: data, documentID: relative, fileName: job.file.lastPathComponent)
            let produced = result.facts.map(normalizer.comparable)
            let (scores, missed, wrong) = DocumentEvaluation.score(produced: produced, expected: expected, absent: absent)
            return DocumentEvaluation(patient: job.expected.patient, document: job.expected.document, format: job.format, file: relative,
                                      scores: scores, missed: missed.map(Self.describe), wrong: wrong.map(Self.describe),
                                      error: nil, seconds: (ContinuousClock.now - started).seconds)
        } catch {
            // An unreadable document misses everything it should have yielded.
            let (scores, missed, _) = DocumentEvaluation.score(produced: [], expected: expected, absent: absent)
            return DocumentEvaluation(patient: job.expected.patient, document: job.expected.document, format: job.format, file: relative,
                                      scores: scores, missed: missed.map(Self.describe), wrong: [],
                                      error: String(describing: error), seconds: (ContinuousClock.now - started).seconds)
        }
    }

    static func describe(_ fact: ComparableFact) -> String {
        var text = (fact.negated ? "NOT " : "") + "\(fact.field.rawValue) \(fact.value)" + (fact.uncertain ? " (uncertain)" : "")
        if !fact.attributes.isEmpty {
            text += " {" + fact.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
        }
        return text
    }
}

/// The evaluation's result: every document's scores and their totals.
public struct EvaluationReport: Codable, Sendable, Hashable {
    public var documents: [DocumentEvaluation]
    /// Wall time of the whole run.
    public var seconds: Double

    /// Scores summed per format and field group.
    public var totals: [EvaluationFormat: [FieldGroup: Score]] {
        var totals: [EvaluationFormat: [FieldGroup: Score]] = [:]
        for document in documents {
            var formatTotals = totals[document.format] ?? [:]
            for (group, score) in document.scores { formatTotals[group] = (formatTotals[group] ?? Score()) + score }
            totals[document.format] = formatTotals
        }
        return totals
    }

    /// The total score of one format and group (zero counts when never seen).
    public func score(_ format: EvaluationFormat, _ group: FieldGroup) -> Score {
        totals[format]?[group] ?? Score()
    }

    /// Precision / recall per field group (rows) and format (columns), as fixed-width text.
    public var table: String {
        let formats = EvaluationFormat.allCases.filter { totals[$0] != nil }
        func cell(_ score: Score) -> String {
            let p = String(format: "%.2f", score.precision), r = String(format: "%.2f", score.recall)
            return "\(p) / \(r) (\(score.truePositives)/\(score.truePositives + score.falseNegatives))".padding(toLength: 34, withPad: " ", startingAt: 0)
        }
        var lines = ["field group".padding(toLength: 26, withPad: " ", startingAt: 0)
            + formats.map { "\($0.rawValue): P / R (found/expected)".padding(toLength: 34, withPad: " ", startingAt: 0) }.joined()]
        for group in FieldGroup.allCases {
            lines.append(group.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0) + formats.map { cell(score($0, group)) }.joined())
        }
        let all = formats.map { format in FieldGroup.allCases.filter { $0 != .negation }.reduce(Score()) { $0 + score(format, $1) } }
        lines.append("all fields".padding(toLength: 26, withPad: " ", startingAt: 0) + all.map(cell).joined())
        let failed = documents.filter { $0.error != nil }
        for document in failed { lines.append("ERROR \(document.file): \(document.error ?? "")") }
        lines.append(String(format: "%d renderings of %d documents in %.1f s", documents.count,
                            Set(documents.map { "\($0.patient)/\($0.document)" }).count, seconds))
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Runs work items with at most `concurrency` in flight, keeping the input order.
enum ParallelWork {
    static func map<Input: Sendable, Output: Sendable>(_ inputs: [Input], concurrency: Int,
                                                       _ work: @escaping @Sendable (Input) async -> Output) async -> [Output] {
        await withTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: inputs.count)
            var next = 0
            for _ in 0..<min(concurrency, inputs.count) {
                let index = next
                group.addTask { (index, await work(inputs[index])) }
                next += 1
            }
            for await (index, output) in group {
                results[index] = output
                if next < inputs.count {
                    let index = next
                    group.addTask { (index, await work(inputs[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
