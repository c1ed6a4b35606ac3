import Fluent
import Foundation
import Vapor

/// The sync's state on the admin trials page, and the "Sync now" button.
enum RegistrySyncController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("admin", "trials", "sync", use: syncNow).access(.admin)
    }

    /// What the admin page shows about the sync.
    struct Status: Encodable, Sendable {
        let enabled: Bool
        /// "Sync with ClinicalTrials.gov is off …" or the scope and source.
        let summary: String
        let hasRun: Bool
        let lastRun: String?
        let outcome: String?
        let counts: String?
        let resumable: Bool
        let error: String?
        let failures: [String]
        let hasFailures: Bool
        let nextRun: String
        let watermark: String?
        let sample: String?
    }

    /// The query, separate from the page: the scope's state row → the status.
    static func status(app: Application) async throws -> Status {
        let config = app.appConfig.registrySync
        let state = try await TrialSyncState.query(on: app.db).filter(\.$scope == config.scope).first()
        let scope = [config.condition.map { "condition \"\($0)\"" }, config.term.map { "terms \"\($0)\"" }].compactMap { $0 }.joined(separator: ", ")
        let summary = config.enabled
            ? "Sync with ClinicalTrials.gov (\(config.baseURL.absoluteString)) is on for \(scope), every \(duration(config.interval)), at most one request every \(String(format: "%.1f", config.requestInterval)) s."
            : "Sync with ClinicalTrials.gov is off (ONCONAV_CTGOV_SYNC=off or not set): the server runs without it, and the registry changes only by import or `onconav trials sync`."
        let failures = state?.failures?.split(separator: "\n").map(String.init) ?? []
        let next: String
        if !config.enabled {
            next = "No run is scheduled (sync is off)."
        } else if let date = state?.nextRun {
            next = DisplayDate.string(date)
        } else {
            next = "Shortly after the server started."
        }
        return Status(
            enabled: config.enabled, summary: summary, hasRun: state?.lastRunStarted != nil,
            lastRun: state?.lastRunStarted.map { started in
                "started \(DisplayDate.string(started))" + (state?.lastRunFinished.map { $0 >= started ? ", finished \(DisplayDate.string($0))" : "" } ?? "")
            },
            outcome: state?.lastOutcome,
            counts: state.map { "\($0.pages) pages: \($0.fetched) fetched, \($0.stored) stored, \($0.skipped) skipped (unchanged), \($0.failed) failed; \($0.faults) faults handled" + ($0.totalCount.map { "; the registry reported \($0) studies in scope" } ?? "") },
            resumable: state?.pageToken != nil,
            error: state?.lastError, failures: failures, hasFailures: !failures.isEmpty,
            nextRun: next, watermark: state?.watermark, sample: app.registrySampleNotice.label)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        if seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return seconds == 86_400 ? "day" : "\(Int(seconds / 86_400)) days" }
        if seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return seconds == 3_600 ? "hour" : "\(Int(seconds / 3_600)) hours" }
        return "\(Int(seconds / 60)) minutes"
    }

    /// Starts a run in the background (the page shows its result when reloaded).
    static func syncNow(req: Request) async throws -> Response {
        let app = req.application
        try await AuditLog.record(req, action: .create, objectType: "trial-sync", objectID: app.appConfig.registrySync.scope, caseID: nil)
        Task {
            do { _ = try await app.registrySync.run(app: app) } catch {
                app.logger.warning("Registry sync started from the admin page failed", metadata: ["error": .string("\(error)")])
            }
        }
        return req.redirect(to: "/admin/trials/import")
    }
}
