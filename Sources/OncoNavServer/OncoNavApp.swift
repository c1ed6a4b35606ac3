import Fluent
import OncoMatch
import OncoTrials
import Vapor

/// The application type, named for the command line (which does not import Vapor).
public typealias OncoNavApplication = Application

/// Entry points the command line uses, so it never reaches into Fluent itself.
public enum OncoNavApp {
    public static func make(config: AppConfig, arguments: [String] = ["onconav"]) async throws -> Application {
        var environment = Environment(name: "production", arguments: arguments)
        if ProcessInfo.processInfo.environment["ONCONAV_ENV"] == "development" { environment = .init(name: "development", arguments: arguments) }
        return try await Application.make(environment)
    }

    /// Runs `body` with a configured application and shuts it down afterwards.
    public static func withApp(config: AppConfig, migrate: Bool, _ body: (Application) async throws -> Void) async throws {
        let app = try await make(config: config)
        do {
            try await configure(app, config: config, runMigrations: migrate)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    public static func setupLinkIfNeeded(_ app: Application) async throws -> URL? {
        try await SetupController.prepareSetupLink(app: app)
    }

    public static func describe(_ database: AppConfig.DatabaseChoice) -> String {
        switch database {
        case .sqliteFile(let path): "SQLite at \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres(let url): "PostgreSQL at \(url.host ?? "?")\(url.path)"
        }
    }

    public struct UserSummary: Sendable {
        public let email: String
        public let role: String
        public let organization: String?
    }

    public static func listUsers(_ app: Application) async throws -> [UserSummary] {
        try await User.query(on: app.db).with(\.$organization).sort(\.$email).all()
            .map { UserSummary(email: $0.email, role: $0.role.rawValue, organization: $0.organization?.name) }
    }

    public static func createUser(_ app: Application, email: String, displayName: String, role: String, organization: String?, password: String) async throws -> User {
        switch await UserDirectory.validate(email: email, displayName: displayName, role: role, organization: organization, on: app.db) {
        case .failure(let problems):
            throw UserCreationError(problems: problems)
        case .success(let input):
            let hash = try await app.password.async.hash(password)
            return try await UserDirectory.create(input, passwordHash: hash, on: app.db)
        }
    }

    public typealias TrialSearchForm = TrialController.SearchForm
    public typealias TrialSearchResult = TrialController.SearchResult

    /// Imports registry records and tells `TrialRegistryEvents` which studies were stored
    /// (the command line has no live trial index: the server re-matches at its next start);
    /// with `addToIndex`, the stored studies also go into the loaded index.
    public static func importTrials(_ app: Application, source: StudyImportReader.Source, addToIndex: Bool = false, progress: @escaping @Sendable (Int, Int64) -> Void) async throws -> ImportSummary {
        let catalog = app.trials
        let stored = StoredStudyIDs()
        let summary = try await TrialImporter.run(source, on: app.db, reading: catalog.reading, progress: progress, onStored: { batch in
            if addToIndex { catalog.add(batch) }
            stored.add(batch)
        })
        // A real import replaces the bundled first-start sample.
        try await RegistrySample.replace(app: app, keeping: Set(stored.ids))
        if !stored.ids.isEmpty { await TrialRegistryEvents.didChange(app: app, changedNCTIDs: stored.ids, source: "import") }
        return summary
    }

    /// Turns alerts on in this process, the server, once its trial index is built (call it
    /// after `loadTrialIndex`; a re-match against a half-built index would report trials
    /// as gone and then as new): from
    /// now on a registry change re-matches the open cases here, in the background. A change
    /// stored while no server ran (a command-line import, a run cut short) or approvals in
    /// the knowledge base unlike those the cases were last matched against start a re-match
    /// now; the server does not wait for it.
    public static func startAlerts(_ app: Application) async throws {
        app.rematchRunner.enableInProcess()
        var sources = try await RematchMarker.value(RematchMarker.registryChanged, on: app.db)?.split(separator: ",").map(String.init) ?? []
        if try await RematchMarker.value(RematchMarker.knowledgeApprovals, on: app.db) != RematchMarker.approvalsFingerprint(app.knowledge) {
            sources.append("knowledge base")
        }
        guard !sources.isEmpty else { return }
        app.rematchRunner.request(.init(sources: sources, changedTrials: nil), app: app)
    }

    /// Builds the in-memory trial index from the stored studies and their stored parses (the
    /// server does this at start; searching from the command line does it too): from the
    /// snapshot in the data directory when it fits the stored registry, else from the
    /// database, writing the snapshot afterwards. With `refreshStaleCriteria`, parses made by
    /// another parser version are then re-read in the background.
    public static func loadTrialIndex(_ app: Application, refreshStaleCriteria: Bool = false, useSnapshot: Bool = true) async throws {
        let snapshot = useSnapshot ? keepTrialSnapshot(app) : nil
        try await app.trials.load(from: app.db, logger: app.logger, snapshot: snapshot)
        if refreshStaleCriteria { app.criteriaRefresh.start(db: app.db, catalog: app.trials, logger: app.logger) }
    }

    /// What the server does with the registry at start: imports the bundled sample into an
    /// empty registry, builds the index, and (with `refreshStaleCriteria`) re-reads old parses.
    public static func startRegistry(_ app: Application, refreshStaleCriteria: Bool = false) async throws {
        try await RegistrySample.importIfEmpty(app: app)
        try await RegistrySample.refreshNotice(app: app)
        try await loadTrialIndex(app, refreshStaleCriteria: refreshStaleCriteria)
    }

    /// One sync run with ClinicalTrials.gov (`onconav trials sync`), whatever `ONCONAV_CTGOV_SYNC` says.
    public static func syncTrials(_ app: Application) async throws -> RegistrySyncReport {
        try await app.registrySync.run(app: app)
    }

    /// Starts loading the trial index in the background and returns at once: the server
    /// answers `/healthz` meanwhile, while `/readyz`, the search page and the API say the
    /// index is loading.
    public static func startLoadingTrialIndex(_ app: Application) {
        app.trials.progress(loaded: 0, total: nil, source: nil)
        Task {
            do {
                try await startRegistry(app, refreshStaleCriteria: true)
                // Alerts only once the index is whole: a half-built index would make trials look gone.
                try await startAlerts(app)
            } catch {
                app.logger.error("The trial index could not be loaded", metadata: ["error": .string(String(describing: error))])
            }
        }
    }

    /// Where the index snapshot lives: the data directory (with the database it describes).
    public static func trialSnapshotURL(_ app: Application) -> URL {
        app.appConfig.dataDirectory.appendingPathComponent("trial-index.snapshot")
    }

    /// Keeps the index snapshot current from now on (written after changes settle); returns its location.
    @discardableResult
    static func keepTrialSnapshot(_ app: Application) -> URL {
        let url = trialSnapshotURL(app)
        if app.trials.snapshots == nil {
            app.trials.snapshots = TrialSnapshotWriter(url: url, catalog: app.trials, db: app.db, logger: app.logger)
            app.lifecycle.use(TrialSnapshotLifecycle())
        }
        return url
    }

    /// Writes the index snapshot now (after a command-line import); false when the index is
    /// not loaded or the registry changed while writing.
    public static func writeTrialSnapshot(_ app: Application) async -> Bool {
        keepTrialSnapshot(app)
        return await app.trials.snapshots?.writeNow() ?? false
    }

    /// How the index was loaded: "500000 studies from the snapshot in 4.2 s", or what it is doing.
    public static func trialIndexStatus(_ app: Application) -> String {
        switch app.trials.loadState {
        case .notLoaded: "not loaded (\(app.trials.snapshot.count) studies added)"
        case .loading(let loaded, let total, let source): "loading from the \(source?.rawValue ?? "registry"): \(loaded) of \(total.map(String.init) ?? "?")"
        case .loaded(let source, let seconds): "\(app.trials.snapshot.count) studies from the \(source.rawValue) in \(String(format: "%.1f", seconds)) s"
        case .failed(let reason): "failed: \(reason)"
        }
    }

    /// How many studies are stored.
    public static func storedTrialCount(_ app: Application) async throws -> Int {
        try await TrialRecord.query(on: app.db).count()
    }

    /// The loaded index with its parsed criteria, for benchmarks.
    public static func matchingCatalog(_ app: Application) -> OncoMatch.TrialCatalog { app.trials.matching }

    public static var trialImportBatchSize: Int { TrialImporter.batchSize }

    public static func reparseTrials(_ app: Application) async throws -> (Int, [String]) {
        try await TrialStore.reparseAll(on: app.db, reading: app.trials.reading)
    }

    public static func searchTrials(_ app: Application, form: TrialSearchForm) async throws -> TrialSearchResult {
        if app.trials.snapshot.count == 0 { try await loadTrialIndex(app) }
        return try await TrialController.search(form, app: app, db: app.db)
    }

    public static func encodeJSON(_ value: some Encodable) throws -> Data {
        try JSONOutput.encoder(pretty: true).encode(value)
    }

    public struct UserCreationError: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { "The account was not created:\n" + problems.map { "  - " + $0 }.joined(separator: "\n") }
    }
}
