import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The ClinicalTrials.gov sync, run against a local replay server that serves real registry
/// records (`../shared/data/ctgov-v2-oncology/studies.jsonl`) as API pages with faults injected.
@Suite struct RegistrySyncTests {
    static var available: Bool { TrialPageTests.available || TrialPageTests.required }
    /// A record that is JSON but not a readable study (its title is a number).
    static let unreadableRecord = #"{"protocolSection":{"identificationModule":{"nctId":"NCT09999998","briefTitle":42},"statusModule":{"lastUpdatePostDateStruct":{"date":"2026-01-01"}}}}"#
    static let unreadableID = "NCT09999998"

    /// The shared studies with the unreadable record inserted among them (on page 1 at 100 a page).
    static func replayRecords(limit: Int? = nil) throws -> [Data] {
        var lines = try RegistryReplayServer.lines(of: TrialPageTests.oncologyStudies)
        if let limit { lines = Array(lines.prefix(limit)) }
        lines.insert(Data(unreadableRecord.utf8), at: min(150, lines.count))
        return lines
    }

    /// The distinct NCT IDs of the readable records among `lines`.
    static func readableIDs(_ lines: some Sequence<Data>) -> Set<String> {
        Set(lines.compactMap { line -> String? in
            let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
            let id = ((object?["protocolSection"] as? [String: Any])?["identificationModule"] as? [String: Any])?["nctId"] as? String
            return id == unreadableID ? nil : id
        })
    }

    /// Fast settings for tests: 100 studies a page, a 5 s timeout and 4 attempts (the machine is loaded:
    /// an unplanned timeout is retried like a planned fault), short backoff.
    static func settings(_ server: RegistryReplayServer) -> RegistrySyncConfig {
        RegistrySyncConfig(enabled: false, baseURL: server.baseURL, condition: "cancer", pageSize: 100, requestInterval: 0.01,
                           requestTimeout: 5, maxAttempts: 4, backoffBase: 0.05, maxBackoff: 0.2, startDelay: 0.05)
    }

    /// Runs `body` with a replay server and an app synced against it; stops both afterwards.
    static func withReplay(_ records: [Data], enableSchedule: Bool = false, clock: AppClock = .live,
                           _ body: (RegistryReplayServer, Application) async throws -> Void) async throws {
        let server = try await RegistryReplayServer.start(records: records)
        do {
            try await withTestApp(clock: clock, adjust: { config in
                config.registrySync = settings(server)
                config.registrySync.enabled = enableSchedule
            }) { app in try await body(server, app) }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func state(_ app: Application) async throws -> TrialSyncState {
        try #require(try await TrialSyncState.query(on: app.db).first())
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func faultsWithinARunAreRetriedAndEveryReadableStudyIsStored() async throws {
        let records = try Self.replayRecords()
        try await Self.withReplay(records) { server, app in
            // given: one of each fault on pages 1–4
            server.inject(.malformedPage, onPage: 1)
            server.inject(.rateLimited(retryAfterSeconds: 1), onPage: 2)
            server.inject(.slow(seconds: 8), onPage: 3)
            server.inject(.droppedConnection, onPage: 4)
            // when
            let report = try await app.registrySync.run(app: app)
            // then
            let expected = Self.readableIDs(records)
            #expect(report.outcome == .completed, "\(report)")
            #expect(report.pages == (records.count + 99) / 100)
            // At least the four planned faults (a loaded machine may add a timeout, retried the same way).
            #expect(report.faults >= 4)
            #expect(server.requests.filter { $0.page == 1 }.first?.status == "malformed")
            #expect(server.requests.filter { $0.page == 4 }.first?.status == "dropped")
            #expect(report.failed == 1)
            #expect(report.failures.contains { $0.contains(Self.unreadableID) })
            #expect(try await TrialRecord.query(on: app.db).count() == expected.count)
            #expect(app.trials.snapshot.count == expected.count)
            // The 429's Retry-After (1 s) was waited before page 2 was asked for again.
            let page2 = server.requests.filter { $0.page == 2 }
            #expect(page2.first?.status == "429" && page2.count >= 2)
            if page2.count >= 2 { #expect(page2[1].at.timeIntervalSince(page2[0].at) >= 0.95) }
            print("Sync of \(expected.count) studies (\(testDatabaseName)) against the replay server: \(report)")
        }
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func aRunStoppedByAPersistentFaultKeepsWhatItStoredAndTheNextRunResumesFromTheCursor() async throws {
        let records = try Self.replayRecords()
        try await Self.withReplay(records) { server, app in
            // given: page 3 drops the connection on every attempt of the first run
            let attempts = app.appConfig.registrySync.maxAttempts
            server.inject(.droppedConnection, onPage: 3, times: attempts)
            // when
            let first = try await app.registrySync.run(app: app)
            // then: pages 0–2 are stored and the cursor points at page 3
            #expect(first.outcome == .interrupted)
            #expect(first.pages == 3)
            let storedFirst = Self.readableIDs(records.prefix(300))
            #expect(try await TrialRecord.query(on: app.db).count() == storedFirst.count)
            var state = try await Self.state(app)
            #expect(state.pageToken == "o300")
            #expect(state.lastError != nil)
            #expect(state.lastOutcome == "interrupted")

            // when: the next run
            let requestsBefore = server.requests.count
            let second = try await app.registrySync.run(app: app)
            // then: it starts at the stored cursor and finishes; nothing stored before is lost
            #expect(second.outcome == .completed, "\(second)")
            #expect(second.resumed)
            #expect(server.requests[requestsBefore].query["pageToken"] == "o300")
            let all = Self.readableIDs(records)
            let stored = Set(try await TrialRecord.query(on: app.db).all().map(\.nctID))
            #expect(stored == all)
            state = try await Self.state(app)
            #expect(state.pageToken == nil && state.runSince == nil)
            #expect(state.pages == (records.count + 99) / 100)
            #expect(state.failed == 1 && (state.failures ?? "").contains(Self.unreadableID))
            #expect(state.faults >= attempts)
        }
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func onlyOneRunAtATimeInThisProcessAndAcrossProcesses() async throws {
        let records = try Self.replayRecords(limit: 120)
        try await Self.withReplay(records) { server, app in
            // given: a run in flight, held on its first page until the test lets it go
            server.inject(.held, onPage: 0)
            defer { server.release() }
            let sync = app.registrySync
            let first = Task { try await sync.run(app: app) }
            #expect(try await server.waitForRequest(onPage: 0), "the first run never asked for its first page")
            // when: the same process, and another process (its own RegistrySync, the same database), start runs
            let sameProcess = try await sync.run(app: app)
            let otherProcess = try await RegistrySync(config: app.appConfig.registrySync, client: app.registryClient, logger: app.logger).run(app: app)
            server.release()
            // then: both are turned away; the first run completes
            #expect(sameProcess.outcome == .alreadyRunning)
            #expect(otherProcess.outcome == .alreadyRunning)
            #expect(try await first.value.outcome == .completed)
            #expect(try await Self.state(app).leaseOwner == nil)
        }
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func aStoredPageTokenTheRegistryNoLongerAcceptsRestartsTheRunsQuery() async throws {
        let records = try Self.replayRecords(limit: 120)
        try await Self.withReplay(records) { server, app in
            // given: an interrupted run whose token has expired
            let state = try await app.registrySync.state(on: app.db)
            state.runSince = ""
            state.pageToken = "expired-token"
            try await state.save(on: app.db)
            // when
            let report = try await app.registrySync.run(app: app)
            // then: refused once (400), then the query from its start, to completion
            #expect(report.outcome == .completed, "\(report)")
            // (A loaded machine may time out and retry the refused request; it is refused again.)
            let restart = try #require(server.requests.firstIndex { $0.query["pageToken"] == nil })
            #expect(restart >= 1)
            #expect(server.requests.prefix(restart).allSatisfy { $0.status == "400" && $0.query["pageToken"] == "expired-token" })
            #expect(try await TrialRecord.query(on: app.db).count() == Self.readableIDs(records).count)
        }
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func aCompletedSyncAsksNextOnlyForStudiesUpdatedSinceItBegan() async throws {
        let today = Date(timeIntervalSince1970: 1_796_644_800) // 2026-12-07 12:00 UTC
        let records = try Self.replayRecords(limit: 120)
        try await Self.withReplay(records, clock: .fixed(today)) { server, app in
            let first = try await app.registrySync.run(app: app)
            #expect(first.outcome == .completed)
            #expect(server.requests.first?.query["filter.advanced"] == nil)
            #expect(try await Self.state(app).watermark == "2026-12-07")

            let second = try await app.registrySync.run(app: app)
            #expect(second.outcome == .completed)
            #expect(server.requests.last?.query["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-12-07,MAX]")
            #expect(server.requests.last?.query["query.cond"] == "cancer")
            #expect(second.fetched == 0 && second.stored == 0)
            #expect(try await TrialRecord.query(on: app.db).count() == Self.readableIDs(records).count)
        }
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func theAdminPageShowsTheLastSyncCountsErrorsAndFailedRecords() async throws {
        let records = try Self.replayRecords(limit: 250)
        try await Self.withReplay(records) { server, app in
            server.inject(.droppedConnection, onPage: 2, times: app.appConfig.registrySync.maxAttempts)
            _ = try await app.registrySync.run(app: app)
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            let page = try await admin.get("/admin/trials/import")
            #expect(page.status == .ok)
            let stored = Self.readableIDs(records.prefix(200)).count
            #expect(page.text.contains("2 pages: 200 fetched, \(stored) stored, 0 skipped (unchanged), 1 failed; "), "\(page.text)")
            #expect(page.text.contains("faults handled; the registry reported 251 studies in scope"))
            #expect(page.text.contains("interrupted"))
            #expect(page.text.contains("the next run resumes from the stored cursor"))
            #expect(page.text.contains("<dd class=\"error\">"))
            #expect(page.text.contains(Self.unreadableID))
            #expect(page.text.contains("Next scheduled run"))
        }
    }

    @Test func withSyncOffTheServerRunsWithoutItAndTheAdminPageSaysSo() async throws {
        try await withTestApp { app in
            try await app.asyncBoot()
            #expect(!app.registrySyncScheduler.isRunning)
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let admin = TestBrowser(app)
            _ = try await admin.signIn("admin@example.org")
            let page = try await admin.get("/admin/trials/import")
            #expect(page.text.contains("Sync with ClinicalTrials.gov is off"))
            #expect(page.text.contains("No sync has run yet."))
            #expect(page.text.contains("No run is scheduled (sync is off)."))
        }
    }

    @Test(.enabled(if: available, "needs ../shared/data"))
    func whenEnabledTheScheduledJobRunsAfterBootAndStopsOnShutdown() async throws {
        let records = try Self.replayRecords(limit: 60)
        try await Self.withReplay(records, enableSchedule: true) { server, app in
            try await app.asyncBoot()
            #expect(app.registrySyncScheduler.isRunning)
            var state: TrialSyncState?
            for _ in 0..<200 {
                state = try await TrialSyncState.query(on: app.db).first()
                if state?.lastCompleted != nil, state?.nextRun.map({ $0 > Date() }) ?? false { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(state?.lastOutcome == "completed")
            // The next run is a day after the last one (the default interval).
            if let completed = state?.lastCompleted, let next = state?.nextRun {
                #expect(abs(next.timeIntervalSince(completed) - 86_400) < 5)
            }
            await app.registrySyncScheduler.stop()
            #expect(!app.registrySyncScheduler.isRunning)
            #expect(try await TrialRecord.query(on: app.db).count() == Self.readableIDs(records).count)
        }
    }

    @Test func configurationIsReadFromTheEnvironmentWithOncologyAndDailyDefaults() throws {
        var problems: [String] = []
        let defaults = RegistrySyncConfig.fromEnvironment([:], problems: &problems)
        #expect(problems.isEmpty)
        #expect(defaults.enabled && defaults.condition == "cancer" && defaults.interval == 86_400 && defaults.requestInterval >= 1)
        #expect(defaults.baseURL.absoluteString == "https://clinicaltrials.gov")
        let custom = RegistrySyncConfig.fromEnvironment(["ONCONAV_CTGOV_SYNC": "off", "ONCONAV_CTGOV_URL": "http://127.0.0.1:9", "ONCONAV_CTGOV_SYNC_INTERVAL": "6h",
                                                         "ONCONAV_CTGOV_CONDITION": "lymphoma"], problems: &problems)
        #expect(problems.isEmpty)
        #expect(!custom.enabled && custom.interval == 21_600 && custom.condition == "lymphoma" && custom.baseURL.port == 9)
        _ = RegistrySyncConfig.fromEnvironment(["ONCONAV_CTGOV_SYNC": "maybe", "ONCONAV_CTGOV_SYNC_INTERVAL": "5s"], problems: &problems)
        #expect(problems.count == 2)
    }
}
