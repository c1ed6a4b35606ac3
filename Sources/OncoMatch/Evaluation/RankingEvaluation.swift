import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Ranking quality on TREC-style judgements (query-id, corpus-id, graded score): nDCG@10
/// (gain = grade, trec_eval's convention), P@10 (grade ≥ 1 is relevant) and recall@k.
/// Two systems: BM25 over the trial index with the patient text as the query, and the
/// same candidates re-ranked by criterion evaluation (status first, then BM25).
public enum RankingEvaluation {
    public struct Query: Codable, Sendable {
        public var id: String
        public var text: String
        enum CodingKeys: String, CodingKey { case id = "_id", text }
    }

    /// A trial in the flattened TrialGPT corpus form.
    public struct CorpusTrial: Codable, Sendable {
        public var nctID: String
        public var briefTitle: String?
        public var diseases: [String]?
        public var drugs: [String]?
        public var inclusion: String?
        public var exclusion: String?
        public var summary: String?
        enum CodingKeys: String, CodingKey {
            case nctID = "nct_id", briefTitle = "brief_title", diseases = "diseases_list", drugs = "drugs_list"
            case inclusion = "inclusion_criteria", exclusion = "exclusion_criteria", summary = "brief_summary"
        }

        /// The trial as a registry study (what the index and parser read).
        public var study: Study {
            var section = Study.ProtocolSection(identificationModule: .init(nctId: nctID, briefTitle: briefTitle))
            let json: [String: Any] = [
                "protocolSection": [
                    "identificationModule": ["nctId": nctID, "briefTitle": briefTitle ?? ""],
                    "conditionsModule": ["conditions": diseases ?? []],
                    "descriptionModule": ["briefSummary": summary ?? ""],
                    "armsInterventionsModule": ["interventions": (drugs ?? []).map { ["name": $0, "type": "DRUG"] }],
                    "eligibilityModule": ["eligibilityCriteria": "Inclusion Criteria:\n\(Self.strip(inclusion, "inclusion criteria:"))\n\nExclusion Criteria:\n\(Self.strip(exclusion, "exclusion criteria:"))"],
                ] as [String: Any],
            ]
            if let data = try? JSONSerialization.data(withJSONObject: json), let decoded = try? JSONDecoder().decode(Study.self, from: data) {
                return decoded
            }
            section.identificationModule.briefTitle = briefTitle
            return Study(protocolSection: section)
        }

        static func strip(_ text: String?, _ heading: String) -> String {
            let value = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.lowercased().hasPrefix(heading) ? String(value.dropFirst(heading.count)) : value
        }
    }

    public struct Metrics: Sendable, Hashable {
        public var ndcg10 = 0.0
        public var precision10 = 0.0
        public var recall: [Int: Double] = [:]
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var queries = 0
        public var judged = 0
        public var corpus = 0
        public var bm25 = Metrics()
        public var reranked = Metrics()
        public var recallCutoffs: [Int] = []
        /// Judged-relevant trials in the BM25 top 10 that the criteria demoted: (query, trial, failing criterion and reason).
        public var demotedRelevant: [(query: String, trial: String, criterion: String)] = []

        public var description: String {
            func row(_ name: String, _ m: Metrics) -> String {
                "\(name.padding(toLength: 30, withPad: " ", startingAt: 0)) nDCG@10 \(String(format: "%.4f", m.ndcg10))  P@10 \(String(format: "%.4f", m.precision10))  "
                    + recallCutoffs.map { "recall@\($0) \(String(format: "%.4f", m.recall[$0] ?? 0))" }.joined(separator: "  ")
            }
            return """
            queries judged: \(queries) (\(judged) judgements), corpus: \(corpus) trials
            \(row("BM25 (trial index)", bm25))
            \(row("BM25 + criteria re-rank", reranked))
            reference (TREC CT 2022, full registry): BM25 nDCG@10 0.3608; best run 0.6125 — not comparable with this 101-trial set
            """
        }
    }

    public static func loadQueries(_ url: URL) throws -> [Query] { try jsonLines(url) }
    public static func loadCorpus(_ url: URL) throws -> [CorpusTrial] { try jsonLines(url) }

    static func jsonLines<T: Decodable>(_ url: URL) throws -> [T] {
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { try decoder.decode(T.self, from: Data($0.utf8)) }
    }

    /// query-id → corpus-id → grade, from a TSV with a header line.
    public static func loadQrels(_ url: URL) throws -> [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 3, let grade = Int(fields[fields.count - 1]) else { continue }
            result[fields[0], default: [:]][fields[fields.count - 2]] = grade
        }
        return result
    }

    /// nDCG@k with gain = grade and log2 discount; the ideal ranking from all judgements of the query.
    public static func ndcg(_ ranking: [String], _ grades: [String: Int], k: Int) -> Double {
        func dcg(_ gains: [Int]) -> Double {
            gains.prefix(k).enumerated().reduce(0) { $0 + Double($1.element) / log2(Double($1.offset) + 2) }
        }
        let ideal = dcg(grades.values.sorted(by: >))
        return ideal > 0 ? dcg(ranking.map { grades[$0] ?? 0 }) / ideal : 0
    }

    public static func precision(_ ranking: [String], _ grades: [String: Int], k: Int) -> Double {
        Double(ranking.prefix(k).filter { (grades[$0] ?? 0) >= 1 }.count) / Double(k)
    }

    public static func recall(_ ranking: [String], _ grades: [String: Int], k: Int) -> Double {
        let relevant = grades.filter { $0.value >= 1 }.count
        return relevant == 0 ? 0 : Double(ranking.prefix(k).filter { (grades[$0] ?? 0) >= 1 }.count) / Double(relevant)
    }

    public static func run(queries: [Query], qrels: [String: [String: Int]], corpus: [CorpusTrial],
                           knowledge: KnowledgeBase, today: Day, recallCutoffs: [Int] = [10, 50, 100]) -> Report {
        var catalog = TrialCatalog()
        for trial in corpus { catalog.add(trial.study) }
        let extractor = ProfileExtractor(lexicon: ClinicalLexicon(knowledgeBase: knowledge))
        let evaluator = CriterionEvaluator(knowledge: knowledge)
        var report = Report(corpus: corpus.count, recallCutoffs: recallCutoffs)
        var sums = (Metrics(), Metrics())
        let depth = max(100, recallCutoffs.max() ?? 100)
        for query in queries {
            guard let grades = qrels[query.id], !grades.isEmpty else { continue }
            report.queries += 1
            report.judged += grades.count
            let hits = catalog.index.search(TrialQuery(text: query.text), limit: depth).hits
            let bm25 = hits.map(\.nctID)
            let top = hits.first?.score ?? 0
            // Re-rank: a trial with a criterion known to fail goes below those without, but only
            // within its relevance tier — never below a trial for another condition. Without a
            // cancer to compare conditions with, a trial scoring under half the best BM25 score
            // stands for "another condition".
            let reading = CaseReading(profile: PatientProfile(facts: extractor.extract(text: query.text, documentID: query.id)), knowledge: knowledge, today: today,
                                      texts: [CaseDocumentText(documentID: query.id, text: query.text)], terms: evaluator.terms)
            let reranked = hits.enumerated().map { position, hit -> (String, Int, Int) in
                let verdicts = evaluator.evaluate(catalog.criteria(nctID: hit.nctID) ?? [], reading)
                let failing = verdicts.first { $0.verdict == .notMet }
                if let failing, position < 10, (grades[hit.nctID] ?? 0) >= 1 {
                    report.demotedRelevant.append((query.id, hit.nctID, "\(failing.text.prefix(100)) — \(failing.reason.prefix(160))"))
                }
                let tier = hit.score >= top / 2 ? 0 : 1
                return (hit.nctID, tier * 2 + (failing == nil ? 0 : 1), position)
            }.sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
            for (ranking, index) in [(bm25, 0), (reranked, 1)] {
                var m = index == 0 ? sums.0 : sums.1
                m.ndcg10 += ndcg(ranking, grades, k: 10)
                m.precision10 += precision(ranking, grades, k: 10)
                for k in recallCutoffs { m.recall[k, default: 0] += recall(ranking, grades, k: k) }
                if index == 0 { sums.0 = m } else { sums.1 = m }
            }
        }
        let n = Double(max(report.queries, 1))
        func mean(_ m: Metrics) -> Metrics {
            Metrics(ndcg10: m.ndcg10 / n, precision10: m.precision10 / n, recall: m.recall.mapValues { $0 / n })
        }
        report.bm25 = mean(sums.0)
        report.reranked = mean(sums.1)
        return report
    }
}
