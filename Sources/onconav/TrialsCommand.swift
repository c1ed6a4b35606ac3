import ArgumentParser
import Foundation
import OncoMatch
import OncoNavServer
import OncoTrials
#if canImport(Glibc)
import Glibc
#endif

struct TrialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials",
        abstract: "Import, re-read, search and inspect ClinicalTrials.gov records.",
        subcommands: [Import.self, Sync.self, Reparse.self, Search.self, ParseCriteria.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a study JSON, JSON array, API page, JSON lines or the bulk ZIP (path, or - for standard input).")

        @Argument(help: "File to import, or - for standard input (not for ZIP).") var path: String
        @Flag(help: "Do not update the trial index snapshot (the server then builds its index from the database at start).") var noSnapshot = false
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let source: StudyImportReader.Source = path == "-" ? .standardInput : .file(URL(fileURLWithPath: path))
            if path != "-", !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("No file at \(path).")
            }
            let total = path == "-" ? nil : (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            let reporter = ProgressReporter(progress: ImportProgress(totalBytes: total, isTerminal: isatty(STDERR_FILENO) == 1, output: FileHandle.standardError))
            try await CommandSupport.withApp(storage) { app in
                // The index (from its snapshot when current) takes in what is stored, so the
                // snapshot written afterwards lets the next server start in seconds.
                if !noSnapshot { try await OncoNavApp.loadTrialIndex(app) }
                let summary = try await OncoNavApp.importTrials(app, source: source, addToIndex: !noSnapshot) { records, bytes in reporter.update(records: records, bytes: bytes) }
                reporter.finish(records: summary.read + summary.failed)
                for failure in summary.failures { FileHandle.standardError.write(Data("failed: \(failure)\n".utf8)) }
                CommandSupport.say(summary.description)
                if !noSnapshot {
                    let written = await OncoNavApp.writeTrialSnapshot(app)
                    CommandSupport.say(written ? "Trial index snapshot written: \(OncoNavApp.trialIndexStatus(app))." : "The trial index snapshot was not written (see the log); the server builds the index from the database at start.")
                }
            }
        }
    }

    struct Reparse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-read every stored raw record with the current parser.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await CommandSupport.withApp(storage) { app in
                let (ok, failed) = try await OncoNavApp.reparseTrials(app)
                for line in failed { FileHandle.standardError.write(Data("failed: \(line)\n".utf8)) }
                CommandSupport.say("Re-read \(ok) stored studies; \(failed.count) could not be read.")
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the imported trials.")

        @Argument(help: "Words to search for.") var query: String = ""
        @Option(help: "Cancer (any name or abbreviation; subtypes included).") var condition: String?
        @Option(help: "Therapy type, e.g. car-t, tcr-t, til, nk-cell, oncolytic-virus.") var modality: String?
        @Option(help: "Phase, e.g. PHASE1, PHASE2.") var phase: String?
        @Flag(help: "Recruiting trials and sites only.") var recruiting = false
        @Option(help: "Country of a site.") var country: String?
        @Option(help: "City to measure distance from.") var near: String?
        @Option(help: "Radius in km around --near.") var radius: Double?
        @Option(help: "Patient age in years.") var age: Double?
        @Option(help: "Patient sex: female or male.") var sex: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let form = OncoNavApp.TrialSearchForm(q: query, condition: condition, modality: modality, phase: phase, recruiting: recruiting ? "on" : nil,
                                                  country: country, near: near, radius: radius, age: age, sex: sex)
            try await CommandSupport.withApp(storage) { app in
                let result = try await OncoNavApp.searchTrials(app, form: form)
                if json {
                    CommandSupport.say(String(decoding: try OncoNavApp.encodeJSON(result), as: UTF8.self))
                } else {
                    for note in result.notes { CommandSupport.say(note) }
                    CommandSupport.say("\(result.total) matching of \(result.indexed) indexed")
                    for hit in result.hits {
                        CommandSupport.say("\(hit.nctID)  \(hit.distance.map { "[\($0)] " } ?? "")\(hit.title)\n    \(hit.status) · \(hit.phases) · \(hit.modalities)")
                    }
                }
            }
        }
    }

    struct ParseCriteria: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "parse-criteria", abstract: "Read eligibility text on standard input; print the parsed criteria as JSON.")

        func run() throws {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let rows = EligibilityParser().parse(text).map(ParsedCriterion.init)
            CommandSupport.say(String(decoding: try OncoNavApp.encodeJSON(rows), as: UTF8.self))
        }
    }
}

/// A criterion as JSON for inspection.
struct ParsedCriterion: Encodable {
    let kind: String
    let text: String
    let start: Int
    let end: Int
    let depth: Int
    let heading: String?
    let negated: Bool
    let constraints: [String]
    let plainLanguage: [String]

    init(_ criterion: Criterion) {
        kind = criterion.kind.rawValue
        text = criterion.text
        start = criterion.characterOffsets.lowerBound
        end = criterion.characterOffsets.upperBound
        depth = criterion.depth
        heading = criterion.heading
        negated = criterion.negated
        constraints = criterion.constraints.map { String(describing: $0) }
        plainLanguage = criterion.plainLanguage
    }
}

/// Redraws the progress line from the importer's callbacks.
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: ImportProgress
    init(progress: ImportProgress) { self.progress = progress }
    func update(records: Int, bytes: Int64) { lock.withLock { lastBytes = bytes; progress.update(records: records, bytes: bytes) } }
    private var lastBytes: Int64 = 0
    func finish(records: Int) { lock.withLock { progress.finish(records: records, bytes: progress.totalBytes ?? lastBytes) } }
}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Measure parsers against labelled data.", subcommands: [CriteriaLines.self, EvalExtraction.self, EvalRecordsCommand.self, EvalCriteriaCommand.self, EvalRankingCommand.self, EvalQuestionsCommand.self])

    struct CriteriaLines: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "criteria-lines", abstract: "Entity-level precision and recall of the criterion tagger on labelled lines (start:end:label,…<TAB>text).")
        @Argument(help: "The labelled file, e.g. ../shared/data/criteria-lines/dev.tsv") var file: String

        func run() throws {
            let lines = try CriteriaLineEvaluation.load(URL(fileURLWithPath: file))
            guard !lines.isEmpty else { throw ValidationError("No labelled lines in \(file).") }
            CommandSupport.say(CriteriaLineEvaluation.evaluate(lines).description)
        }
    }
}

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks (build with -c release).", subcommands: [Trials.self, Parse.self, Upload.self, BenchAsk.self, BenchExtract.self, BenchMatchCommand.self, Corpus.self, BenchImport.self, Startup.self])

    struct Trials: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import throughput, peak memory, index build time and query latency on a corpus scaled from real records.")
        @Option(help: "JSON lines of real studies to vary.") var corpus = "../shared/data/ctgov-v2-oncology/studies.jsonl"
        @Option(help: "How many studies to generate.") var scale = 500_000
        @Option(help: "Directory for the generated file.") var workDir = FileManager.default.temporaryDirectory.path

        func run() throws {
            let lines = try String(contentsOfFile: corpus, encoding: .utf8).split(separator: "\n").map(String.init)
            let queries = ["CAR-T lymphoma", "CD19", "multiple myeloma BCMA", "non-small cell lung cancer EGFR", "melanoma TIL",
                           "breast cancer HER2", "glioblastoma", "acute lymphoblastic leukemia", "TCR-T synovial sarcoma", "oncolytic virus"]
            let report = try TrialBenchmark.run(corpus: lines, scaleTo: scale, queries: queries, workDirectory: URL(fileURLWithPath: workDir)) { CommandSupport.say($0) }
            CommandSupport.say(report.description)
        }
    }
}
