import Fluent
import OncoKnowledge
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Runs `body` against a freshly configured application with its own empty database:
/// in-memory SQLite by default, or a throwaway schema in the PostgreSQL server named by
/// `ONCONAV_TEST_DATABASE_URL`. Every test gets its own, so tests run in parallel.
func withTestApp(clock: AppClock = .live, adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = ProcessInfo.processInfo.environment["ONCONAV_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    app.clock = clock
    let environment = ProcessInfo.processInfo.environment
    var schema: String?
    let database: AppConfig.DatabaseChoice
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-test-\(UUID().uuidString)")
    if let raw = environment["ONCONAV_TEST_DATABASE_URL"], !raw.isEmpty, let url = URL(string: raw) {
        database = .postgres(url)
        schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    } else {
        // A database file per test, as in production: in-memory SQLite shares one cache
        // between connections and locks differently from a real file.
        database = .sqliteFile(dataDirectory.appendingPathComponent("test.sqlite").path)
    }
    var config = AppConfig(
        dataDirectory: dataDirectory,
        database: database,
        publicBaseURL: URL(string: "http://localhost:8080")!,
        secureCookies: false,
        bcryptCost: 4,
        postgresSchema: schema
    )
    config.preloadedKnowledge = try sharedKnowledge.get()
    adjust(&config)
    do {
        try await configure(app, config: config, runMigrations: false)
        if let schema, let sql = app.db as? any SQLDatabase {
            try await sql.raw("CREATE SCHEMA \(ident: schema)").run()
        }
        try await app.autoMigrate()
        try await body(app)
    } catch {
        await cleanUp(app, schema: schema, dataDirectory: dataDirectory)
        throw error
    }
    await cleanUp(app, schema: schema, dataDirectory: dataDirectory)
}

private func cleanUp(_ app: Application, schema: String?, dataDirectory: URL) async {
    if let schema, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? FileManager.default.removeItem(at: dataDirectory)
    try? await app.asyncShutdown()
}

/// The real knowledge base, loaded and validated once for the whole test run.
let sharedKnowledge: Result<KnowledgeBase, any Error> = Result {
    let kb = try KnowledgeBase.load(directory: KnowledgeBase.defaultDirectory())
    let errors = kb.validate(today: Day.today()).filter { $0.severity == .error }
    guard errors.isEmpty else { throw ConfigurationError(problems: errors.map(\.description)) }
    return kb
}

/// Whether the tests run against PostgreSQL (for messages only; behaviour must not differ).
var testDatabaseName: String {
    (ProcessInfo.processInfo.environment["ONCONAV_TEST_DATABASE_URL"] ?? "").isEmpty ? "SQLite" : "PostgreSQL"
}

/// Creates an account directly in the database.
@discardableResult
func makeUser(_ app: Application, email: String, role: Role, organization: String? = nil, password: String = "long enough secret phrase") async throws -> User {
    var organizationID: UUID?
    if let organization {
        if let existing = try await Organization.query(on: app.db).filter(\.$name == organization).first() {
            organizationID = existing.id
        } else {
            let org = Organization(name: organization, kind: .hospital)
            try await org.save(on: app.db)
            organizationID = org.id
        }
    }
    let user = User(email: email, passwordHash: try app.password.hash(password), role: role, displayName: email.components(separatedBy: "@")[0], organizationID: organizationID)
    try await user.save(on: app.db)
    return user
}

/// A browser stand-in: keeps cookies between requests and fills in the CSRF field.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    /// The CSRF token the site's forms carry for this browser's cookie and session.
    var csrfToken: String? {
        cookies[CSRF.cookieName].map { CSRF.formToken(cookieValue: $0, sessionTokenHash: sessionToken.map(SecureToken.hash), key: app.documentStore.formTokenKey) }
    }
    var sessionToken: String? { cookies[SessionCookie.name] }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    /// Submits a form the way a browser would, with the CSRF token unless `csrf` overrides it.
    @discardableResult
    func post(_ path: String, form: [String: String] = [:], csrf: String? = nil) async throws -> TestingHTTPResponse {
        if csrfToken == nil { try await get("/") }
        var fields = form
        fields[CSRF.fieldName] = csrf ?? csrfToken ?? ""
        let body = fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Opens the sign-in page and submits it, as a person does.
    func signIn(_ email: String, password: String = "long enough secret phrase") async throws -> TestingHTTPResponse {
        try await get("/signin")
        return try await post("/signin", form: ["email": email, "password": password])
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            // "name=; Max-Age=0" deletes the cookie: keep the empty value to see that.
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[1])
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }
}

/// An API client with a bearer token.
struct APIClient {
    let app: Application
    let token: String?

    func send(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }
}

extension TestingHTTPResponse {
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }
    var location: String? { headers.first(name: .location) }
}
