import Fluent
import Foundation
import NIOConcurrencyHelpers
import OncoRecords
import SQLKit
import Vapor

/// Runs document jobs in the background: claims a due job atomically (so two workers never
/// take the same one), reads the document, stores text and facts in one transaction, and on
/// failure schedules a retry with backoff or records why it gave up.
///
/// `parallelJobs` slots each take the next due job as soon as they are free, so one slow
/// document (a hostile one, say) holds up only its own slot, never the queue. A deleted
/// document's job is cancelled at once (its tools killed), and stopping the server cancels
/// every job and waits for them only `shutdownGrace`.
///
/// Jobs live in the database, so a restart loses nothing: jobs left `running` by a crash or
/// a stop go back to the queue when the worker starts.
final class DocumentWorker: Sendable {
    /// Delay before attempt n+1 after n failed attempts.
    static let backoff: [TimeInterval] = [5, 30, 120, 600]
    /// Documents read at once (each may run an OCR process).
    static let parallelJobs = 2
    /// How long a stop waits for cancelled jobs to wind down.
    static let shutdownGrace: Duration = .seconds(5)

    private let app: Application
    private let processor: DocumentProcessor
    /// Bumped by `wake()`; idle slots look for work when it changes.
    private let wakeGeneration = NIOLockedValueBox(0)
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// The job running for each document, so deleting the document can cancel it.
    private let running = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    init(app: Application, processor: DocumentProcessor) {
        self.app = app
        self.processor = processor
    }

    /// Asks idle slots to look for work now instead of at their next tick.
    func wake() { wakeGeneration.withLockedValue { $0 &+= 1 } }

    func start() {
        let task = Task { await self.runLoop() }
        let replaced = loop.withLockedValue { current in defer { current = task }; return current }
        replaced?.cancel()
    }

    private func runLoop() async {
        await recoverOrphans()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<Self.parallelJobs {
                group.addTask {
                    while !Task.isCancelled {
                        if await self.runNextDue() { continue }
                        await self.idle()
                    }
                }
            }
        }
    }

    /// Sleeps up to a second (retries come due), returning early when an upload arrives.
    private func idle() async {
        let seen = wakeGeneration.withLockedValue { $0 }
        for _ in 0..<10 {
            if Task.isCancelled || wakeGeneration.withLockedValue({ $0 }) != seen { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Cancels every job and waits for them (at most `shutdownGrace`): a job stuck in work
    /// that does not notice cancellation must not keep the server from stopping.
    func stop() async {
        let task = loop.withLockedValue { task in defer { task = nil }; return task }
        task?.cancel()
        let jobs = running.withLockedValue { Array($0.values) }
        for job in jobs { job.cancel() }
        guard let task else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await task.value }
            group.addTask { try? await Task.sleep(for: Self.shutdownGrace) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Stops the job of a document that is being deleted (its tools are killed at once).
    func cancel(documentID: UUID) {
        running.withLockedValue { $0[documentID] }?.cancel()
    }

    /// Whether a job for the document is running now.
    func isRunning(documentID: UUID) -> Bool {
        running.withLockedValue { $0[documentID] != nil }
    }

    /// Jobs a crash left `running` go back to the queue.
    func recoverOrphans() async {
        do {
            try await DocumentJob.query(on: app.db).filter(\.$state == .running).set(\.$state, to: .queued).update()
        } catch {
            app.logger.error("could not requeue interrupted document jobs: \(String(reflecting: type(of: error)))")
        }
    }

    /// Processes every job that is due, in `parallelJobs` slots; returns how many ran.
    @discardableResult
    func runDue() async -> Int {
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<Self.parallelJobs {
                group.addTask {
                    var ran = 0
                    while !Task.isCancelled, await self.runNextDue() { ran += 1 }
                    return ran
                }
            }
            return await group.reduce(0, +)
        }
    }

    /// Claims and runs one due job; false when none was due.
    private func runNextDue() async -> Bool {
        guard let job = try? await claimNext() else { return false }
        let documentID = job.$document.id
        // The job runs in a task of its own so that `cancel(documentID:)` can stop it.
        let task = Task { await self.run(job) }
        running.withLockedValue { $0[documentID] = task }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        running.withLockedValue { $0[documentID] = nil }
        return true
    }

    /// Claims the oldest due job, or returns nil. The conditional UPDATE … RETURNING makes
    /// the claim atomic on SQLite and PostgreSQL alike.
    private func claimNext() async throws -> DocumentJob? {
        let now = app.clock.now()
        let candidates = try await DocumentJob.query(on: app.db)
            .filter(\.$state == .queued)
            .filter(\.$runAfter <= now)
            .sort(\.$runAfter)
            .limit(4)
            .all()
        guard let sql = app.db as? any SQLDatabase else { return nil }
        for candidate in candidates {
            let id = try candidate.requireID()
            let rows = try await sql.update(DocumentJob.schema)
                .set("state", to: DocumentJob.State.running.rawValue)
                .where("id", .equal, id)
                .where("state", .equal, DocumentJob.State.queued.rawValue)
                .returning("id")
                .all()
            guard !rows.isEmpty else { continue }
            candidate.state = .running
            candidate.claimedAt = now
            candidate.attempts += 1
            try await candidate.save(on: app.db)
            return candidate
        }
        return nil
    }

    private func run(_ job: DocumentJob) async {
        let logger = app.logger
        do {
            guard let document = try await CaseDocument.find(job.$document.id, on: app.db) else {
                job.state = .done
                try await job.save(on: app.db)
                return
            }
            document.status = .processing
            try await document.save(on: app.db)
            do {
                let data = try app.documentStore.get(try requireAddress(document.blobAddress))
                let result = try await processor.process(data: data, documentID: try document.requireID().uuidString,
                                                         fileName: document.fileName, mimeType: document.declaredType)
                try Task.checkCancellation()
                try await finish(job, document: document, result: result)
                logger.info("document read", metadata: ["kind": .string(result.kind.rawValue), "facts": .stringConvertible(result.facts.count)])
            } catch let error where Task.isCancelled || error is CancellationError {
                // Deleted meanwhile (its rows are gone) or the server is stopping (the job
                // goes back to the queue at the next start): nothing to record.
                logger.info("document job cancelled")
            } catch {
                try await fail(job, document: document, error: error)
            }
        } catch {
            // The database itself failed; the job stays claimed and returns to the queue on restart.
            logger.error("document job could not be recorded: \(String(reflecting: type(of: error)))")
        }
    }

    private func requireAddress(_ hex: String) throws -> DocumentStore.Address {
        guard let address = DocumentStore.Address(hex) else { throw DocumentStore.StoreError.damaged(DocumentStore.Address(String(repeating: "0", count: 64))!) }
        return address
    }

    private func finish(_ job: DocumentJob, document: CaseDocument, result: ProcessedDocument) async throws {
        let documentID = try document.requireID()
        let caseID = document.$caseRecord.id
        let textAddress = try result.text.map { try app.documentStore.put(try JSONEncoder().encode($0)).hex }
        let encoder = JSONEncoder()
        let rows = try result.facts.map { fact in
            CaseFact(id: fact.id, caseID: caseID, documentID: documentID, field: fact.field.rawValue,
                     payload: String(decoding: try encoder.encode(fact), as: UTF8.self))
        }
        try await app.db.transaction { db in
            // A re-read replaces the facts nobody has reviewed yet; reviewed ones stay.
            try await CaseFact.query(on: db)
                .filter(\.$document.$id == documentID)
                .filter(\.$reviewState == .pending)
                .delete()
            for row in rows { try await row.create(on: db) }
            document.textAddress = textAddress
            document.kind = result.kind.rawValue
            document.pageCount = result.text?.pages.count
            document.usedOCR = result.text?.usedOCR
            document.category = result.classification?.category.rawValue ?? (result.kind == .fhirJSON ? "fhir-record" : nil)
            document.documentDate = result.classification?.documentDate?.date.description
            document.setWarnings(result.warnings)
            document.factCount = rows.count
            document.status = .ready
            document.statusDetail = rows.isEmpty ? "No clinical values were recognised in this document." : nil
            try await document.save(on: db)
            job.state = .done
            job.lastError = nil
            try await job.save(on: db)
        }
    }

    private func fail(_ job: DocumentJob, document: CaseDocument, error: any Error) async throws {
        let message = String(describing: error)
        let (retryable, unavailable) = Self.classify(error)
        if unavailable {
            document.status = .unavailable
            job.state = .failed
        } else if retryable, job.attempts < job.maxAttempts {
            document.status = .retrying
            job.state = .queued
            job.runAfter = app.clock.now().addingTimeInterval(Self.backoff[min(job.attempts - 1, Self.backoff.count - 1)])
        } else {
            document.status = .failed
            job.state = .failed
        }
        document.statusDetail = String(message.prefix(500))
        job.lastError = String(message.prefix(500))
        try await app.db.transaction { db in
            try await document.save(on: db)
            try await job.save(on: db)
        }
        // The detail can quote a tool's message about the file; log only its kind.
        app.logger.warning("document job failed", metadata: ["error": .string(String(reflecting: type(of: error))), "attempt": .stringConvertible(job.attempts), "retry": .stringConvertible(job.state == .queued)])
    }

    /// (retry may help, a tool is missing).
    static func classify(_ error: any Error) -> (retryable: Bool, unavailable: Bool) {
        switch error {
        case let error as TextExtractionError:
            switch error {
            case .toolUnavailable: return (false, true)
            case .timedOut, .scratchFileFailed: return (true, false)
            case .toolFailed, .unsupportedKind, .unreadableText: return (false, false)
            }
        case is FHIRImportError: return (false, false)
        case is DocumentStore.StoreError: return (false, false)
        default: return (true, false)
        }
    }

    /// Puts a failed or unavailable document back in the queue (after installing a tool, say).
    static func retry(_ document: CaseDocument, on db: any Database, now: Date) async throws {
        try await db.transaction { db in
            try await DocumentJob.query(on: db).filter(\.$document.$id == document.requireID()).filter(\.$state != .done).delete()
            try await DocumentJob(documentID: document.requireID(), runAfter: now).create(on: db)
            document.status = .queued
            document.statusDetail = nil
            try await document.save(on: db)
        }
    }
}

extension Application {
    private struct DocumentStoreKey: StorageKey { typealias Value = DocumentStore }
    private struct DocumentWorkerKey: StorageKey { typealias Value = DocumentWorker }

    var documentStore: DocumentStore {
        get {
            guard let store = storage[DocumentStoreKey.self] else { fatalError("configure(_:config:) has not run") }
            return store
        }
        set { storage[DocumentStoreKey.self] = newValue }
    }

    var documentWorker: DocumentWorker {
        get {
            guard let worker = storage[DocumentWorkerKey.self] else { fatalError("configure(_:config:) has not run") }
            return worker
        }
        set { storage[DocumentWorkerKey.self] = newValue }
    }
}

/// Starts the worker when the server boots and stops it on shutdown.
struct DocumentWorkerLifecycle: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws {
        application.documentWorker.start()
    }

    func shutdownAsync(_ application: Application) async {
        await application.documentWorker.stop()
    }
}
