import Fluent
import Foundation
import OncoKnowledge
import OncoMatch
import Vapor

/// One re-match of every open case (not closed or withdrawn) against the registry and the
/// knowledge base as they are now, a few cases at a time. Each case's last remembered
/// report (`MatchSnapshot`) is the "before"; what is new becomes a `TrialAlert` for the
/// options page and, when trials or approvals newly fit or a fitting trial closes, a
/// navigator task and a sign-in email (no health data) to the navigator and, if they
/// opted in, the patient. A case never matched before only gets its first snapshot.
public enum CaseRematch {
    /// Cases matched at the same time (matching is CPU work; the machine has few cores).
    static let concurrentCases = 3

    /// What one run did (for the log, the tests and the admin).
    public struct Outcome: Sendable, Equatable {
        public var source: String
        public var cases = 0
        /// Cases matched for the first time (snapshot stored, nothing to compare with).
        public var firstMatches = 0
        public var alerts = 0
        public var tasks = 0
        public var failures = 0
        public var finished = true
    }

    /// What happened to one case.
    enum CaseResult: Sendable {
        case firstMatch
        case unchanged
        case alerted(taskCreated: Bool)
        case failed
    }

    static func run(_ change: RematchRunner.Change, app: Application) async -> Outcome {
        let db = app.db
        var outcome = Outcome(source: change.source)
        do {
            // Stored first: a run cut short (crash, shutdown) is caught up at the next start.
            try await RematchMarker.noteRegistryChange(source: change.source, at: app.clock.now(), on: db)
            // Matching against an index not built yet would drop every trial from the cases'
            // reports (and bring them back as news later): wait for the next start.
            if app.trials.snapshot.count == 0, try await TrialRecord.query(on: db).count() > 0 {
                app.logger.warning("Open cases were not re-matched: the trial index is not built yet; they are at the next start")
                outcome.finished = false
                return outcome
            }
            let cases = try await CaseRecord.query(on: db).filter(\.$stage !~ CaseStage.allCases.filter(\.isFinal)).sort(\.$id).all()
            outcome.cases = cases.count
            await withTaskGroup(of: CaseResult.self) { group in
                var queue = cases.makeIterator()
                for _ in 0..<concurrentCases {
                    guard let record = queue.next() else { break }
                    group.addTask { await rematch(record, change: change, app: app) }
                }
                while let result = await group.next() {
                    switch result {
                    case .firstMatch: outcome.firstMatches += 1
                    case .unchanged: break
                    case .alerted(let taskCreated): outcome.alerts += 1; if taskCreated { outcome.tasks += 1 }
                    case .failed: outcome.failures += 1
                    }
                    if Task.isCancelled { outcome.finished = false; continue }
                    if let record = queue.next() { group.addTask { await rematch(record, change: change, app: app) } }
                }
            }
            if outcome.finished {
                try await RematchMarker.clear(RematchMarker.registryChanged, on: db)
                try await RematchMarker.set(RematchMarker.knowledgeApprovals, to: RematchMarker.approvalsFingerprint(app.knowledge), at: app.clock.now(), on: db)
            }
        } catch {
            outcome.finished = false
            app.logger.warning("Re-matching open cases stopped; it is tried again at the next start", metadata: ["error": .string(String(describing: error).prefix(300).description)])
        }
        // Counts only: never a case or a trial in the log.
        app.logger.info("Re-matched open cases", metadata: [
            "source": .string(change.source), "cases": .stringConvertible(outcome.cases), "alerts": .stringConvertible(outcome.alerts),
            "tasks": .stringConvertible(outcome.tasks), "failures": .stringConvertible(outcome.failures),
        ])
        return outcome
    }

    static func rematch(_ record: CaseRecord, change: RematchRunner.Change, app: Application) async -> CaseResult {
        do {
            return try await rematchThrowing(record, change: change, app: app)
        } catch {
            app.logger.warning("A case could not be re-matched", metadata: ["error": .string(String(describing: error).prefix(300).description)])
            return .failed
        }
    }

    private static func rematchThrowing(_ record: CaseRecord, change: RematchRunner.Change, app: Application) async throws -> CaseResult {
        let db = app.db
        let source = change.source
        let caseID = try record.requireID()
        let now = app.clock.now()
        let result = try await CaseOptions.match(record, settings: MatchSettings(today: Day.today(now)), app: app, on: db, remember: true)
        // The system read the case's facts: that goes in the audit log like any other read.
        try await AuditEvent(actorID: nil, actorEmail: nil, actorRole: nil, action: .read, objectType: "options-rematch", objectID: String(source.prefix(100)),
                             caseID: caseID, outcome: .allowed, clientAddress: nil, occurredAt: now).create(on: db)
        guard let previous = result.previous else { return .firstMatch }
        let unlisted = MatchNews.trialsNoLongerListed(previous, result.report)
        var statuses: [String: String] = [:]
        if !unlisted.isEmpty {
            for trial in try await TrialRecord.query(on: db).filter(\.$nctID ~~ unlisted).all() {
                if let status = trial.overallStatus { statuses[trial.nctID] = status }
            }
        }
        let news = MatchNews.between(previous, result.report, currentStatus: statuses, changedTrials: change.changedTrials)
        let otherLines = result.changes.map { otherChanges($0, besides: news) } ?? []
        guard !news.isEmpty || !otherLines.isEmpty else { return .unchanged }
        return try await db.transaction { db in
            let taskID = news.isEmpty ? nil : try await openTask(for: record, news: news, now: now, on: db)
            try await TrialAlert(caseID: caseID, source: source, news: news, lines: otherLines, taskID: taskID, at: now).create(on: db)
            if taskID != nil { try await notify(record, on: db) }
            return .alerted(taskCreated: taskID != nil)
        }
    }

    /// `MatchDiff.lines` without the options the news already names.
    static func otherChanges(_ diff: MatchDiff, besides news: MatchNews) -> [String] {
        let named = news.ids
        func isNamed(_ optionID: String) -> Bool {
            guard let colon = optionID.firstIndex(of: ":") else { return false }
            return named.contains(String(optionID[optionID.index(after: colon)...]))
        }
        var rest = diff
        rest.added.removeAll(where: isNamed)
        rest.removed.removeAll(where: isNamed)
        rest.statusChanges.removeAll { isNamed($0.optionID) }
        return rest.lines
    }

    /// The staff task for the news ("New trial information: 1 newly fitting (NCT…) — review
    /// options"), owned by the case's navigator; nil when the same task is still open.
    static func openTask(for record: CaseRecord, news: MatchNews, now: Date, on db: any Database) async throws -> UUID? {
        let caseID = try record.requireID()
        let title = taskTitle(news)
        let same = try await CaseTask.query(on: db).filter(\.$caseRecord.$id == caseID).filter(\.$status == .open).filter(\.$title == title).first()
        guard same == nil else { return nil }
        let task = CaseTask(caseID: caseID, title: title, ownerID: record.$navigator.id, dueAt: CaseWorkflow.addingWorkingDays(2, to: now), stage: nil, createdBy: nil)
        try await task.create(on: db)
        return try task.requireID()
    }

    static func taskTitle(_ news: MatchNews) -> String {
        "New trial information: \(news.countsWithIDs()) — review options"
    }

    static let navigatorSubject = "New trial information for a case you follow"
    static let navigatorBody = "A case you follow in OncoNav has new trial information.\n\nSign in to OncoNav to see what changed."
    static let patientSubject = "New trial information in OncoNav"
    static let patientBody = "There is new trial information for your case in OncoNav.\n\nSign in to OncoNav to see it; your navigator will go through it with you.\n\nYou get this email because you asked for it on your account page, where you can turn it off."

    /// The sign-in emails: the navigator always, the patient only if they opted in. Like
    /// every OncoNav email they name no health data, not even the case's title.
    static func notify(_ record: CaseRecord, on db: any Database) async throws {
        if let navigator = record.$navigator.id {
            try await CaseNavigation.notify(userIDs: [navigator], subject: navigatorSubject, body: navigatorBody, on: db)
        }
        if let ownerID = record.$owner.id, let owner = try await User.find(ownerID, on: db), owner.trialNewsEmail == true, owner.disabledAt == nil {
            try await CaseNavigation.notify(userIDs: [ownerID], subject: patientSubject, body: patientBody, on: db)
        }
    }
}
