import Fluent
import Foundation
import OncoMatch
import OncoTrials
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The trial index at start: read from the snapshot written after an import when it fits the
/// stored registry, rebuilt from the database when it does not; until it is ready, readiness
/// and search say it is loading (issue 16).
@Suite struct TrialIndexStartupTests {
    static let queries = ["lymphoma CAR-T", "CD19", "myeloma", "breast cancer", "melanoma", "leukemia"]

    /// The search hits (NCT ID and score) of a few queries, and every study's criteria.
    static func contents(_ catalog: OncoNavServer.TrialCatalog, ids: [String]) -> (hits: [[String]], criteria: [[Criterion]?]) {
        let index = catalog.snapshot
        let hits = queries.map { text in
            index.search(TrialQuery(text: text), limit: 200).hits.map { "\($0.nctID) \(String(format: "%.4f", $0.score))" }.sorted()
        }
        return (hits, ids.map { catalog.matching.criteria(nctID: $0) })
    }

    static func storedIDs(_ app: Application) async throws -> [String] {
        try await TrialRecord.query(on: app.db).sort(\.$nctID).all().map(\.nctID)
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func theSnapshotWrittenAfterAnImportIsReadAtStartAndHoldsTheIndexTheDatabaseGives() async throws {
        try await withTestApp { app in
            // given an import into a loaded index, and the snapshot written after it
            try await OncoNavApp.loadTrialIndex(app)
            let file = try #require(try StoredCriteriaTests.sample(25))
            defer { try? FileManager.default.removeItem(at: file) }
            _ = try await OncoNavApp.importTrials(app, source: .file(file), addToIndex: true) { _, _ in }
            #expect(await OncoNavApp.writeTrialSnapshot(app))
            // when a new server starts with the snapshot, and another builds from the database
            let fromSnapshot = OncoNavServer.TrialCatalog(knowledge: app.knowledge)
            try await fromSnapshot.load(from: app.db, logger: app.logger, snapshot: OncoNavApp.trialSnapshotURL(app))
            let fromDatabase = OncoNavServer.TrialCatalog(knowledge: app.knowledge)
            try await fromDatabase.load(from: app.db, logger: app.logger)
            // then the first read the snapshot, and both hold the same index and criteria
            guard case .loaded(source: .snapshot, _) = fromSnapshot.loadState else { Issue.record("not read from the snapshot: \(fromSnapshot.loadState)"); return }
            guard case .loaded(source: .database, _) = fromDatabase.loadState else { Issue.record("not built from the database: \(fromDatabase.loadState)"); return }
            let ids = try await Self.storedIDs(app)
            #expect(ids.count == 25)
            #expect(fromSnapshot.snapshot.count == 25 && fromDatabase.snapshot.count == 25)
            let a = Self.contents(fromSnapshot, ids: ids), b = Self.contents(fromDatabase, ids: ids)
            #expect(a.hits == b.hits)
            #expect(a.hits.contains { !$0.isEmpty })
            #expect(a.criteria == b.criteria)
            #expect(a.criteria.allSatisfy { $0 != nil })
            #expect(fromSnapshot.parsesRun == 0)
        }
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func aSnapshotOfAnotherRegistryStateIsRejectedAndRebuiltFromTheDatabase() async throws {
        try await withTestApp { app in
            // given a snapshot written for 10 stored studies
            let first = try #require(try StoredCriteriaTests.sample(10))
            defer { try? FileManager.default.removeItem(at: first) }
            _ = try await OncoNavApp.importTrials(app, source: .file(first)) { _, _ in }
            try await OncoNavApp.loadTrialIndex(app)
            let url = OncoNavApp.trialSnapshotURL(app)
            let written = try #require(OncoMatch.TrialCatalog.snapshotFingerprint(at: url))
            // when the registry changes behind it (another process imports 15 more)
            let more = try #require(try StoredCriteriaTests.sample(25))
            defer { try? FileManager.default.removeItem(at: more) }
            _ = try await TrialImporter.run(.file(more), on: app.db, reading: app.trials.reading)
            let restarted = OncoNavServer.TrialCatalog(knowledge: app.knowledge)
            try await restarted.load(from: app.db, logger: app.logger, snapshot: url)
            // then the stale snapshot is not used: the index is rebuilt with all 25 and written again
            guard case .loaded(source: .database, _) = restarted.loadState else { Issue.record("stale snapshot used: \(restarted.loadState)"); return }
            #expect(restarted.snapshot.count == 25)
            let rewritten = try #require(OncoMatch.TrialCatalog.snapshotFingerprint(at: url))
            #expect(rewritten != written)
            #expect(rewritten == (try await TrialRegistryFingerprint.current(on: app.db, reading: app.trials.reading)).text)
        }
    }

    @Test func aDamagedSnapshotIsRejectedAndTheIndexBuiltFromTheDatabase() async throws {
        try await withTestApp { app in
            try await OncoNavApp.loadTrialIndex(app)
            let url = OncoNavApp.trialSnapshotURL(app)
            // given a snapshot cut in half
            let data = try Data(contentsOf: url)
            try data.prefix(data.count / 2).write(to: url)
            // when the index loads, then it comes from the database
            let restarted = OncoNavServer.TrialCatalog(knowledge: app.knowledge)
            try await restarted.load(from: app.db, logger: app.logger, snapshot: url)
            guard case .loaded(source: .database, _) = restarted.loadState else { Issue.record("damaged snapshot used: \(restarted.loadState)"); return }
        }
    }

    @Test func whileTheIndexLoadsReadinessTheSearchPageAndTheAPISayItIsLoading() async throws {
        try await withTestApp { app in
            // given an index still loading
            app.trials.progress(loaded: 1_000, total: 500_000, source: .database)
            // then readiness fails with the reason, and search says loading instead of "no results"
            try await app.testing().test(.GET, "readyz") { res async in
                #expect(res.status == .serviceUnavailable)
                #expect(res.body.string.contains("loading"))
                #expect(res.headers.first(name: .retryAfter) != nil)
            }
            try await app.testing().test(.GET, "healthz") { res async in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "trials?q=lymphoma") { res async in
                #expect(res.status == .serviceUnavailable)
                #expect(res.body.string.contains("trial index is loading (1000 of 500000 studies)"))
                #expect(!res.body.string.contains("No imported trial matches"))
            }
            try await app.testing().test(.GET, "api/v1/trials?q=lymphoma") { res async in
                #expect(res.status == .serviceUnavailable)
                #expect(res.body.string.contains("loading"))
            }
            // when loading finishes, then the server is ready
            app.trials.finishLoading(.init(), source: .database, seconds: 1)
            try await app.testing().test(.GET, "readyz") { res async in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("ready"))
            }
        }
    }

    @Test func aRealLoadEndsReady() async throws {
        try await withTestApp { app in
            OncoNavApp.startLoadingTrialIndex(app)
            for _ in 0..<200 where app.trials.isLoading { try await Task.sleep(for: .milliseconds(50)) }
            try await app.testing().test(.GET, "readyz") { res async in #expect(res.status == .ok) }
            await app.criteriaRefresh.wait()
        }
    }
}
