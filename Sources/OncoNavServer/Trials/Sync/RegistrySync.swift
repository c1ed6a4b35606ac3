import Fluent
import Foundation
import OncoTrials
import Vapor

/// What one sync run did.
public struct RegistrySyncReport: Sendable, CustomStringConvertible {
    public enum Outcome: String, Sendable {
        /// The scope was read to its last page; the watermark moved on.
        case completed
        /// A page could not be fetched after every attempt; the cursor is kept for the next run.
        case interrupted
        /// Another run holds the lock.
        case alreadyRunning = "already running"
    }

    public var outcome: Outcome
    /// Whether this run continued from a stored page token.
    public var resumed = false
    public var pages = 0
    public var fetched = 0
    public var stored = 0
    public var skipped = 0
    public var failed = 0
    /// Faults met and handled by retrying: malformed pages, 429s, timeouts, dropped connections.
    public var faults = 0
    public var seconds: Double = 0
    public var error: String?
    public var failures: [String] = []

    public var description: String {
        var line = "Sync \(outcome.rawValue)\(resumed ? " (resumed from the stored cursor)" : ""): \(pages) pages, \(fetched) studies fetched, \(stored) stored, \(skipped) unchanged, \(failed) failed, \(faults) faults handled, \(String(format: "%.1f", seconds)) s"
        if let error { line += ". Stopped: \(error)" }
        return line
    }
}

/// Keeps the stored registry current with ClinicalTrials.gov API v2: pages through
/// `/api/v2/studies` for the configured scope, incrementally by last-update date, storing
/// each page with the importer and saving the cursor after it. Faults are retried with
/// exponential backoff (a 429's `Retry-After` is honoured); when a page still fails the run
/// stops, keeping what it stored and the cursor, and the next run resumes there.
public final class RegistrySync: @unchecked Sendable {
    let config: RegistrySyncConfig
    let client: any RegistryClient
    let logger: Logger
    private let lock = NSLock()
    private var running = false
    private var lastRequest: Date?
    /// Identifies this process's runs in the database lease.
    let owner = UUID().uuidString
    static let leaseDuration: TimeInterval = 15 * 60

    public init(config: RegistrySyncConfig, client: any RegistryClient, logger: Logger) {
        self.config = config
        self.client = client
        self.logger = logger
    }

    /// Runs one sync to completion or interruption. One run at a time: in this process by a
    /// flag, across processes by a lease on the scope's state row.
    public func run(app: Application) async throws -> RegistrySyncReport {
        let claimed = lock.withLock { () -> Bool in
            if running { return false }
            running = true
            return true
        }
        guard claimed else { return RegistrySyncReport(outcome: .alreadyRunning) }
        defer { lock.withLock { running = false } }
        let db = app.db
        guard let state = try await claimLease(on: db, now: app.clock.now()) else { return RegistrySyncReport(outcome: .alreadyRunning) }
        let started = Date()
        var report = RegistrySyncReport(outcome: .interrupted)
        let changed = ChangedStudies()
        do {
            try await pageThrough(state: state, app: app, report: &report, changed: changed)
        } catch {
            // A database failure: the cursor saved after the last stored page still holds.
            report.error = "\(error)"
            state.lastError = report.error
        }
        report.seconds = Date().timeIntervalSince(started)
        state.lastOutcome = report.outcome.rawValue
        state.lastRunFinished = app.clock.now()
        state.leaseOwner = nil
        state.leaseUntil = nil
        try await state.save(on: db)
        if report.outcome == .completed {
            try await RegistrySample.replace(app: app, keeping: changed.ids)
        }
        let ids = changed.ids.sorted()
        if !ids.isEmpty { await TrialRegistryEvents.didChange(app: app, changedNCTIDs: ids, source: "clinicaltrials.gov sync") }
        app.logger.info("Registry sync finished", metadata: ["outcome": .string(report.outcome.rawValue), "pages": .stringConvertible(report.pages), "stored": .stringConvertible(report.stored)])
        return report
    }

    private func pageThrough(state: TrialSyncState, app: Application, report: inout RegistrySyncReport, changed: ChangedStudies) async throws {
        let db = app.db
        if state.runSince == nil, state.pageToken == nil {
            // A new run: counts restart; the day it began becomes the watermark when it completes.
            state.runSince = state.watermark ?? config.initialSince ?? ""
            state.runDay = Self.day(app.clock.now())
            state.pages = 0; state.fetched = 0; state.stored = 0; state.skipped = 0; state.failed = 0; state.faults = 0
            state.failures = nil
            state.totalCount = nil
        } else {
            report.resumed = state.pageToken != nil
        }
        state.lastRunStarted = app.clock.now()
        state.lastError = nil
        state.lastOutcome = "running"
        try await state.save(on: db)
        var restartedAfterRefusal = false
        while true {
            let url = pageURL(since: state.runSince.flatMap { $0.isEmpty ? nil : $0 }, token: state.pageToken)
            let page: (RegistrySyncPage, Data)
            let faultsBefore = report.faults
            let result = await fetchPage(url, report: &report)
            state.faults += report.faults - faultsBefore
            switch result {
            case .success(let fetched):
                page = fetched
            case .failure(.refused(let status, _)) where state.pageToken != nil && !restartedAfterRefusal && (status == 400 || status == 404):
                // An expired page token: start the run's query again (the upsert skips what is stored).
                restartedAfterRefusal = true
                state.pageToken = nil
                continue
            case .failure(let error):
                let hint = if case .transport = error { "check the network and ONCONAV_CTGOV_URL; " } else { "" }
                report.error = "\(error) at \(Self.redacted(url)); \(hint)the next run resumes from the stored cursor"
                state.lastError = report.error
                return
            }
            let (envelope, body) = page
            let sample = try await RegistrySample.current(on: db)
            let summary = try await TrialImporter.run(data: body, in: app.appConfig.dataDirectory, on: db, reading: app.trials.reading) { stored in
                app.trials.add(stored)
                changed.insert(stored.map(\.study.nctID))
            }
            if let sample {
                let seen = Set(envelope.studies.compactMap(\.nctID)).intersection(sample.sampleIDs)
                if !seen.isEmpty { try await RegistrySample.confirm(seen, state: sample, on: db) }
            }
            report.pages += 1
            report.fetched += envelope.studies.count
            report.stored += summary.new + summary.updated
            report.skipped += summary.unchanged
            report.failed += summary.failed
            // The count is complete; the list keeps the latest thousand.
            report.failures = Array((report.failures + summary.failures.map(\.description)).suffix(1_000))
            state.pages += 1
            state.fetched += envelope.studies.count
            state.stored += summary.new + summary.updated
            state.skipped += summary.unchanged
            state.failed += summary.failed
            if !summary.failures.isEmpty {
                let lines = (state.failures.map { [$0] } ?? []) + summary.failures.map(\.description)
                state.failures = lines.joined(separator: "\n").split(separator: "\n").suffix(50).joined(separator: "\n")
            }
            if state.totalCount == nil { state.totalCount = envelope.totalCount }
            state.pageToken = envelope.nextPageToken
            state.leaseUntil = app.clock.now().addingTimeInterval(Self.leaseDuration)
            if envelope.nextPageToken == nil {
                state.watermark = state.runDay ?? Self.day(app.clock.now())
                state.runSince = nil
                state.runDay = nil
                state.lastCompleted = app.clock.now()
                report.outcome = .completed
            }
            try await state.save(on: db)
            if report.outcome == .completed { return }
        }
    }

    /// `YYYY-MM-DD` in UTC.
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// A URL for messages: the page token is long and says nothing to a person.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        components.queryItems = components.queryItems?.map { $0.name == "pageToken" ? URLQueryItem(name: $0.name, value: "…") : $0 }
        return components.string ?? url.absoluteString
    }

    // MARK: Pacing

    /// Waits until the polite interval since the last request has passed.
    func pace() async {
        let wait = lock.withLock { () -> TimeInterval in
            let now = Date()
            let next = lastRequest.map { $0.addingTimeInterval(config.requestInterval) } ?? now
            lastRequest = max(next, now)
            return next.timeIntervalSince(now)
        }
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
    }
}

/// NCT IDs stored by a run, collected from the importer's callbacks.
final class ChangedStudies: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<String>()
    func insert(_ ids: [String]) { lock.withLock { set.formUnion(ids) } }
    var ids: Set<String> { lock.withLock { set } }
}
