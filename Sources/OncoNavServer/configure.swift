import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import SQLKit
import LeafKit
import OncoAnswers
import OncoKnowledge
import OncoMail
import OncoRecords
import Vapor

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct DummyHashKey: StorageKey { typealias Value = String }
    private struct KnowledgeKey: StorageKey { typealias Value = KnowledgeBase }

    /// The loaded, validated knowledge base.
    public var knowledge: KnowledgeBase {
        get { storage[KnowledgeKey.self] ?? .empty }
        set { storage[KnowledgeKey.self] = newValue }
    }

    /// The configuration `configure(_:config:)` was called with.
    public var appConfig: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) has not run") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }

    /// A bcrypt hash of a random secret at the configured cost, so that sign-in attempts
    /// for unknown accounts take as long as real ones.
    var dummyPasswordHash: String {
        get { storage[DummyHashKey.self] ?? "" }
        set { storage[DummyHashKey.self] = newValue }
    }
}

/// Where the server's templates and static files are (bundled with the module, so the
/// server runs from any working directory).
enum ServerResources {
    static var directory: URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil) ?? URL(fileURLWithPath: "Sources/OncoNavServer/Resources")
    }
}

/// The data directory holds health data: only the server's own user may enter it, and the
/// database file (SQLite derives its -wal and -shm files' mode from it) is readable by
/// nobody else — whatever the umask, and also for a directory made by an older version.
enum DataDirectory {
    static func prepare(_ directory: URL, databaseFile: String) throws {
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        if !files.fileExists(atPath: databaseFile) {
            // An empty file is an empty SQLite database; creating it here sets its mode.
            guard files.createFile(atPath: databaseFile, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw ConfigurationError(problems: ["Could not create the database file \(databaseFile); check that the data directory is writable."])
            }
        }
        for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: databaseFile + suffix) {
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: databaseFile + suffix)
        }
    }
}

/// Configures an application: storage, database, security middleware, templates, routes.
/// Tests call this with their own configuration; `onconav serve` with the environment's.
public func configure(_ app: Application, config: AppConfig, runMigrations: Bool = true) async throws {
    app.appConfig = config

    if case .sqliteFile(let path) = config.database {
        try DataDirectory.prepare(config.dataDirectory, databaseFile: path)
    }
    switch config.database {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        var postgres = try SQLPostgresConfiguration(url: url)
        postgres.searchPath = config.postgresSchema.map { [$0] }
        app.databases.use(.postgres(configuration: postgres), as: .psql)
    }
    app.migrations.add(OncoNavMigrations.all)

    // The knowledge base is the ground truth for every medical statement: refuse to start
    // with a broken one rather than serve wrong facts.
    let knowledge = try config.preloadedKnowledge ?? KnowledgeBase.load(directory: config.knowledgeDirectory)
    let errors = config.preloadedKnowledge != nil ? [] : knowledge.validate(today: Day.today()).filter { $0.severity == .error }
    guard errors.isEmpty else {
        throw ConfigurationError(problems: ["The knowledge base at \(config.knowledgeDirectory.path) has errors (run `onconav kb check`):"] + errors.prefix(20).map(\.description))
    }
    app.knowledge = knowledge

    // Documents: encrypted store (key from ONCONAV_MASTER_KEY or the 0600 key file) and the
    // background reader, which starts when the server boots.
    app.documentStore = try DocumentStore.open(dataDirectory: config.dataDirectory, masterKeyBase64: config.masterKeyBase64)
    app.recordsLexicon = ClinicalLexicon(knowledgeBase: knowledge)
    app.documentWorker = DocumentWorker(app: app, processor: DocumentProcessor(lexicon: app.recordsLexicon))
    app.lifecycle.use(DocumentWorkerLifecycle())
    if let smtpURL = config.smtpURL {
        let smtp = try SMTPConfiguration(url: smtpURL)
        let sender = try MailAddress(smtp.envelopeSender ?? "noreply@\(config.publicBaseURL.host ?? "localhost")", displayName: "OncoNav")
        app.outboxDelivery = OutboxDelivery(app: app, sender: SMTPClient(configuration: smtp, eventLoopGroup: app.eventLoopGroup), from: sender)
        app.lifecycle.use(OutboxDeliveryLifecycle())
    }
    // Alerts: the background re-match of open cases after a registry or knowledge change.
    _ = app.rematchRunner
    app.lifecycle.use(RematchRunnerLifecycle())
    // The trial registry: the sample label and the scheduled sync (which starts at boot only when enabled).
    _ = app.registrySampleNotice
    _ = app.registrySyncScheduler
    app.lifecycle.use(RegistrySyncLifecycle())
    app.answerComposer = AnswerComposer(knowledge: knowledge, trials: IndexTrialLookup(catalog: app.trials))

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    app.passwordWork = PasswordWork()
    app.lifecycle.use(PasswordWorkLifecycle())
    app.dummyPasswordHash = try app.password.hash(SecureToken.generate())

    // Form uploads are small; documents (later) have their own, larger limit on their route.
    app.routes.defaultMaxBodySize = "1mb"

    let resources = ServerResources.directory
    app.views.use(.leaf)
    let views = resources.appendingPathComponent("Views").path + "/"
    app.leaf.configuration = LeafConfiguration(rootDirectory: views)
    // The bundle lives under `.build/`, a hidden directory that Leaf's default limits refuse;
    // keep the sandbox (no escaping the views directory) and drop only that rule.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views))
    if app.environment != .development { app.leaf.cache.isEnabled = true }

    app.middleware = Middlewares()
    // The headers go on every answer, error pages included, so they wrap the error middleware.
    app.middleware.use(SecurityHeadersMiddleware(secureCookies: config.secureCookies))
    app.middleware.use(OncoNavErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/"))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(CSRFMiddleware())

    if case .sqliteFile = config.database, let sql = app.db as? any SQLDatabase {
        // Write-ahead logging lets readers and the writer work at the same time; without it
        // a reader on one connection can stall a writer on another. The mode is stored in
        // the database file, so setting it once per start is enough.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }
    if runMigrations {
        try await app.autoMigrate()
    }
    try routes(app)
}

/// Every route, each with its access rule. The policy middleware wraps them all.
func routes(_ app: Application) throws {
    let site = app.grouped(PolicyMiddleware())
    HomeController.register(site)
    AuthController.register(site)
    SignUpController.register(site)
    PasswordResetController.register(site)
    SetupController.register(site)
    AccountController.register(site)
    CaseController.register(site)
    DocumentController.register(site)
    FactReview.register(site)
    AskController.register(site)
    NavigationController.register(site)
    ReferralController.register(site)
    OrganizationController.register(site)
    DataRightsController.register(site)
    TravelController.register(site)
    TranslationController.register(site)
    OptionsController.register(site)
    AdminController.register(site)
    AuditController.register(site)
    HealthController.register(site)
    OpenAPIDocument.register(site)
    KnowledgeController.register(site)
    TrialController.register(site)
    RegistrySyncController.register(site)

    let api = app.grouped("api", "v1").grouped(APITokenAuthenticator()).grouped(PolicyMiddleware())
    APIController.register(api)
    RecordsAPIController.register(api)
    AskController.registerAPI(api)
    OptionsController.registerAPI(api)
    KnowledgeAPIController.register(api)
    TrialController.registerAPI(api)
    FHIRMatchController.register(app)
}

/// Headers that make the browser refuse framing, sniffing, inline script and third-party
/// loads; the pages need none of those.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    /// Whether HSTS is sent, fixed when the middleware is installed (a response still in
    /// flight while the application shuts down must not read its cleared storage).
    let secureCookies: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers: [(String, String)] = [
            ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if secureCookies {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}
