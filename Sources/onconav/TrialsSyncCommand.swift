import ArgumentParser
import Foundation
import OncoNavServer

extension TrialsCommand {
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch new and updated studies from ClinicalTrials.gov (API v2) for the configured scope.",
            discussion: """
            Incremental by last-update date from the last completed run; an interrupted run is \
            resumed from its stored page token. Settings: ONCONAV_CTGOV_URL (default \
            https://clinicaltrials.gov), ONCONAV_CTGOV_CONDITION (default cancer), ONCONAV_CTGOV_TERM, \
            ONCONAV_CTGOV_REQUEST_INTERVAL (seconds between requests, default 1), ONCONAV_CTGOV_SINCE \
            (the first run's start date). Runs even when ONCONAV_CTGOV_SYNC=off (that only stops the server's schedule).
            """
        )
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await CommandSupport.withApp(storage) { app in
                let report = try await OncoNavApp.syncTrials(app)
                for failure in report.failures.prefix(200) { FileHandle.standardError.write(Data("failed: \(failure)\n".utf8)) }
                CommandSupport.say(report.description)
                if report.outcome != .completed { throw ExitCode(report.outcome == .alreadyRunning ? 75 : 1) }
            }
        }
    }
}
