import ArgumentParser
import Foundation
import OncoNavServer

extension BenchCommand {
    /// `onconav bench upload FILE…`: a case's documents from upload to a profile ready for
    /// review, OCR included, through the real store, job queue and worker.
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time a case's documents from upload to a ready profile (encrypted store, job queue, text extraction and OCR, facts).")
        @Argument(help: "The documents of one case (PDF, scans, photos, text, FHIR JSON).") var files: [String]
        @Option(help: "How many times to repeat (each in a new case).") var runs = 3

        func run() async throws {
            let urls = files.map { URL(fileURLWithPath: $0) }
            for url in urls where !FileManager.default.fileExists(atPath: url.path) { throw ValidationError("No file at \(url.path).") }
            // A throwaway data directory and database: the benchmark never touches real cases.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await CommandSupport.withApp(StorageOptions(dataDir: directory.path)) { app in
                let result = try await OncoNavApp.benchmarkUpload(app, files: urls, runs: runs)
                CommandSupport.say("Processor cores: \(ProcessInfo.processInfo.activeProcessorCount)")
                for (index, run) in result.runs.enumerated() {
                    CommandSupport.say(String(format: "run %d: %.2f s", index + 1, run.seconds))
                    if index == 0 {
                        for document in run.documents {
                            CommandSupport.say("  \(document.fileName): \(document.status), \(document.facts) values\(document.usedOCR ? ", OCR" : "")")
                        }
                    }
                }
                CommandSupport.say(String(format: "median: %.2f s for %d documents", result.medianSeconds, urls.count))
            }
        }
    }
}
