import ArgumentParser
import Foundation
import OncoKnowledge
import OncoMatch

/// `onconav eval criteria <pairs.json>` — register under `EvalCommand` subcommands.
struct EvalCriteriaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "Accuracy of criterion verdicts on physician-labelled patient–criterion pairs (e.g. ../shared/data/criterion-annotations/dev.json).")

    @Argument(help: "The labelled pairs (JSON array).") var file: String
    @Option(help: "The day to judge ages on (YYYY-MM-DD; default today, UTC).") var today: String?
    @Option(name: .customLong("knowledge-dir"), help: "Knowledge directory.") var knowledgeDir: String?
    @Flag(help: "Also list the decided pairs the experts labelled otherwise.") var verbose = false
    @Option(help: "Which pairs: all, even (the tuning half: positions 0, 2, 4 …) or odd (the untouched half).") var half = "all"

    func run() throws {
        guard ["all", "even", "odd"].contains(half) else { throw ValidationError("--half must be all, even or odd.") }
        let pairs = CriterionAnnotationEvaluation.half(try CriterionAnnotationEvaluation.load(URL(fileURLWithPath: file)), half)
        guard !pairs.isEmpty else { throw ValidationError("No labelled pairs in \(file).") }
        let report = CriterionAnnotationEvaluation.run(pairs, knowledge: try MatchCommandSupport.knowledge(knowledgeDir), today: try MatchCommandSupport.day(today))
        for skipped in report.skipped { MatchCommandSupport.warn("warning: skipped \(skipped)") }
        MatchCommandSupport.say(report.description)
        if verbose {
            for error in report.decidedErrors { MatchCommandSupport.say("  expert \(error.gold), OncoMatch \(error.predicted): \(error.criterion.prefix(160))") }
            for item in report.undecidedExclusions { MatchCommandSupport.say("  undecided exclusion (expert: not excluded): \(item.criterion.prefix(120)) — \(item.reasons.prefix(240))") }
        }
    }
}

/// `onconav eval ranking --queries … --qrels … --corpus …` — register under `EvalCommand` subcommands.
struct EvalRankingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ranking",
        abstract: "nDCG@10, P@10 and recall@k of trial ranking on TREC-style judgements (e.g. ../shared/data/sigir-ranking/).")

    @Option(help: "Queries, JSON lines with _id and text.") var queries = "../shared/data/sigir-ranking/dev-queries.jsonl"
    @Option(help: "Judgements, TSV: query-id, corpus-id, score.") var qrels = "../shared/data/sigir-ranking/dev-qrels.tsv"
    @Option(help: "Trials, JSON lines (nct_id, brief_title, inclusion_criteria …).") var corpus = "../shared/data/sigir-ranking/corpus.jsonl"
    @Option(help: "The day to judge ages on (YYYY-MM-DD; default today, UTC).") var today: String?
    @Option(name: .customLong("knowledge-dir"), help: "Knowledge directory.") var knowledgeDir: String?
    @Flag(help: "Also list the judged-relevant trials the criteria demoted from the top 10, with the criterion.") var verbose = false

    func run() throws {
        let report = RankingEvaluation.run(
            queries: try RankingEvaluation.loadQueries(URL(fileURLWithPath: queries)),
            qrels: try RankingEvaluation.loadQrels(URL(fileURLWithPath: qrels)),
            corpus: try RankingEvaluation.loadCorpus(URL(fileURLWithPath: corpus)),
            knowledge: try MatchCommandSupport.knowledge(knowledgeDir), today: try MatchCommandSupport.day(today))
        guard report.queries > 0 else { throw ValidationError("No query in \(queries) has a judgement in \(qrels).") }
        MatchCommandSupport.say(report.description)
        if verbose {
            for item in report.demotedRelevant { MatchCommandSupport.say("  demoted relevant \(item.query) \(item.trial): \(item.criterion)") }
        }
    }
}

/// `onconav bench match` — register under `BenchCommand` subcommands. Build with -c release.
struct BenchMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match latency (top 50 trials, every criterion evaluated) and batch re-match throughput on a registry-sized catalog scaled from real studies.")

    @Option(help: "JSON lines of real studies to vary.") var corpus = "../shared/data/ctgov-v2-oncology/studies.jsonl"
    @Option(help: "How many studies to generate.") var scale = 500_000
    @Option(help: "Timed runs per case.") var repetitions = 20
    @Option(help: "The day to judge ages on (YYYY-MM-DD; default today, UTC).") var today: String?
    @Option(name: .customLong("knowledge-dir"), help: "Knowledge directory.") var knowledgeDir: String?

    func run() throws {
        let lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map(String.init)
        let report = try MatchBenchmark.run(corpus: lines, scaleTo: scale, knowledge: try MatchCommandSupport.knowledge(knowledgeDir),
                                            today: try MatchCommandSupport.day(today), repetitions: repetitions) { MatchCommandSupport.warn($0) }
        MatchCommandSupport.say(report.description)
    }
}
