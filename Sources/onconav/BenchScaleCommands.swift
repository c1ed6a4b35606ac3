import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import OncoMatch
import OncoNavServer
import OncoTrials

extension BenchCommand {
    /// `onconav bench corpus`: the registry-sized corpus with every criteria text distinct.
    struct Corpus: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a benchmark corpus of studies varied from real ones, every eligibility text distinct (synthetic: for measuring only).")
        @Option(help: "JSON lines of real studies to vary.") var from = "../shared/data/ctgov-v2-oncology/studies.jsonl"
        @Option(help: "How many studies to write.") var studies = 500_000
        @Option(help: "The JSON-lines file to write.") var out: String
        @Option(help: "Seed (the same seed writes the same corpus).") var seed: UInt64 = 16

        func run() throws {
            let lines = try String(contentsOfFile: from, encoding: .utf8).split(separator: "\n").map(String.init)
            let corpus = try DistinctCorpus(lines: lines, seed: seed, source: from)
            let clock = Date()
            let distinct = try corpus.write(count: studies, to: URL(fileURLWithPath: out)) { done in
                FileHandle.standardError.write(Data("\(done) studies\n".utf8))
            }
            CommandSupport.say("Wrote \(studies) studies (\(distinct) distinct criteria texts, varied from \(corpus.originals.count) real studies) to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(clock))) s.")
        }
    }

    /// `onconav bench import`: end-to-end import into the database, studies/s and peak memory.
    struct BenchImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Import a corpus into an empty database: studies/s end to end and peak resident memory (VmHWM).")
        @Option(help: "JSON lines to import (see `bench corpus`).") var corpus: String
        @OptionGroup var target: BenchDatabase

        func run() async throws {
            try await target.withApp { app in
                let stored = try await OncoNavApp.storedTrialCount(app)
                guard stored == 0 else {
                    throw ValidationError("The benchmark database already holds \(stored) trials; use an empty one (a new --data-dir, or an empty PostgreSQL database).")
                }
                let result = try await ScaleBenchmark.importCorpus(app, corpus: corpus)
                CommandSupport.say(result.description)
            }
        }
    }

    /// `onconav bench startup`: time to `/healthz` and `/readyz` of a real server process on
    /// an imported corpus, then match latency on that index.
    struct Startup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import (or reuse) a corpus, start `onconav serve` on it and time /healthz and /readyz (from the snapshot, optionally from the database too), then match p50/p95 on that index.")
        @Option(help: "JSON lines to import (see `bench corpus`).") var corpus: String
        @OptionGroup var target: BenchDatabase
        @Option(help: "Port for the server under test.") var port = 18_480
        @Flag(help: "Also time a start without the snapshot (the index built from the database).") var withoutSnapshot = false
        @Option(help: "Timed match runs per case.") var repetitions = 20

        func run() async throws {
            let expected = try ScaleBenchmark.lineCount(corpus)
            try await target.withApp { app in
                let stored = try await OncoNavApp.storedTrialCount(app)
                if stored < expected {
                    CommandSupport.say("Importing \(corpus) (\(stored) of \(expected) studies stored) …")
                    CommandSupport.say(try await ScaleBenchmark.importCorpus(app, corpus: corpus).description)
                } else {
                    CommandSupport.say("Reusing the \(stored) stored studies.")
                }
                let clock = Date()
                try await OncoNavApp.loadTrialIndex(app)
                CommandSupport.say("Index after import: \(OncoNavApp.trialIndexStatus(app)); snapshot written (\(String(format: "%.1f", Date().timeIntervalSince(clock))) s in all).")
            }
            let snapshot = target.dataDirectory.appendingPathComponent("trial-index.snapshot")
            CommandSupport.say("Start from the snapshot: " + (try await ScaleBenchmark.timeStart(target, port: port)).description)
            if withoutSnapshot {
                let aside = snapshot.appendingPathExtension("aside")
                try? FileManager.default.removeItem(at: aside)
                try FileManager.default.moveItem(at: snapshot, to: aside)
                defer { if !FileManager.default.fileExists(atPath: snapshot.path) { try? FileManager.default.moveItem(at: aside, to: snapshot) } else { try? FileManager.default.removeItem(at: aside) } }
                CommandSupport.say("Start from the database: " + (try await ScaleBenchmark.timeStart(target, port: port)).description)
            }
            try await target.withApp { app in
                try await OncoNavApp.loadTrialIndex(app)
                CommandSupport.say("Index for matching: \(OncoNavApp.trialIndexStatus(app))")
                let report = try MatchBenchmark.measure(OncoNavApp.matchingCatalog(app), knowledge: app.knowledge, today: try MatchCommandSupport.day(nil), repetitions: repetitions)
                CommandSupport.say(report.description)
            }
        }
    }
}

/// The database a scale benchmark writes to: SQLite in `--data-dir`, or PostgreSQL.
struct BenchDatabase: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (SQLite database, index snapshot); default a directory named after the corpus.") var dataDir: String?
    @Option(name: .customLong("database-url"), help: "postgres://… to measure on PostgreSQL (an empty database of its own).") var databaseURL: String?

    var dataDirectory: URL {
        URL(fileURLWithPath: dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("onconav-bench-\(databaseURL == nil ? "sqlite" : "postgres")").path)
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["ONCONAV_DATA_DIR"] = dataDirectory.path
        environment["DATABASE_URL"] = databaseURL ?? ""
        return environment
    }

    func config() throws -> AppConfig {
        let database: AppConfig.DatabaseChoice
        if let databaseURL {
            guard let url = URL(string: databaseURL) else { throw ValidationError("--database-url is not a URL: \(databaseURL)") }
            database = .postgres(url)
        } else {
            database = .sqliteFile(dataDirectory.appendingPathComponent("onconav.sqlite").path)
        }
        return AppConfig(dataDirectory: dataDirectory, database: database, publicBaseURL: URL(fileURLWithPath: "/"), secureCookies: false, bcryptCost: 4, logLevel: "warning")
    }

    func withApp(_ body: (OncoNavApplication) async throws -> Void) async throws {
        CommandSupport.bootstrapLoggingOnce(level: "warning")
        try await OncoNavApp.withApp(config: try config(), migrate: true, body)
    }
}

enum ScaleBenchmark {
    struct ImportResult: CustomStringConvertible {
        var summary: ImportSummary
        var seconds: Double
        var peakMB: Double?
        var database: String

        var description: String {
            let rate = seconds > 0 ? Double(summary.read) / seconds : 0
            return "import (\(database)): \(summary.description) in \(String(format: "%.1f", seconds)) s = \(String(format: "%.0f", rate)) studies/s end to end; peak RSS (VmHWM) \(peakMB.map { String(format: "%.0f MB", $0) } ?? "n/a")"
        }
    }

    static func importCorpus(_ app: OncoNavApplication, corpus: String) async throws -> ImportResult {
        guard FileManager.default.fileExists(atPath: corpus) else { throw ValidationError("No corpus at \(corpus); write one with `onconav bench corpus --out \(corpus)`.") }
        let clock = Date()
        let summary = try await OncoNavApp.importTrials(app, source: .file(URL(fileURLWithPath: corpus))) { records, _ in
            if records % 50_000 < TrialImporterBatch.size { FileHandle.standardError.write(Data("\(records) records, \(String(format: "%.0f", Double(records) / Date().timeIntervalSince(clock))) /s\n".utf8)) }
        }
        return ImportResult(summary: summary, seconds: Date().timeIntervalSince(clock), peakMB: TrialBenchmark.peakRSSMegabytes(), database: OncoNavApp.describe(app.appConfig.database))
    }

    static func lineCount(_ path: String) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("No corpus at \(path); write one with `onconav bench corpus --out \(path)`.") }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty { count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        return count
    }

    struct StartTimes: CustomStringConvertible {
        var healthz: Double?
        var readyz: Double?
        var description: String {
            func s(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "not reached" }
            return "/healthz after \(s(healthz)), /readyz (trial search ready) after \(s(readyz))"
        }
    }

    /// Starts `onconav serve` as a child process and polls both endpoints every 50 ms.
    static func timeStart(_ target: BenchDatabase, port: Int, timeout: Double = 900) async throws -> StartTimes {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["serve", "--data-dir", target.dataDirectory.path, "--port", String(port)]
        var environment = target.environment
        environment["ONCONAV_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let clock = Date()
        try process.run()
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        var times = StartTimes()
        let session = URLSession(configuration: .ephemeral)
        while times.readyz == nil, Date().timeIntervalSince(clock) < timeout, process.isRunning {
            if times.healthz == nil, await status(session, port: port, path: "healthz") == 200 { times.healthz = Date().timeIntervalSince(clock) }
            if times.healthz != nil, await status(session, port: port, path: "readyz") == 200 { times.readyz = Date().timeIntervalSince(clock) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return times
    }

    static func status(_ session: URLSession, port: Int, path: String) async -> Int? {
        guard let url = URL(string: "http://127.0.0.1:\(port)/\(path)") else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        return ((try? await session.data(for: request))?.1 as? HTTPURLResponse)?.statusCode
    }
}

/// The importer's batch size, for progress lines at round numbers.
enum TrialImporterBatch {
    static var size: Int { OncoNavApp.trialImportBatchSize }
}
