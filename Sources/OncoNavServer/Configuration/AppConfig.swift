import Foundation
import OncoKnowledge
import OncoMail

/// Typed configuration, read once at start-up from the environment.
///
/// Every problem is collected before failing so that an operator sees the whole list in
/// one message instead of fixing one variable per restart.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        /// SQLite file at this path.
        case sqliteFile(String)
        /// In-memory SQLite; used by tests.
        case sqliteMemory
        /// PostgreSQL at this URL (`postgres://user:pass@host:port/db`).
        case postgres(URL)
    }

    public var dataDirectory: URL
    public var database: DatabaseChoice
    /// The address people use to reach the site; links in emails and the setup link use it.
    public var publicBaseURL: URL
    /// Set the `Secure` attribute on cookies. Defaults to on when the public URL is https.
    public var secureCookies: Bool
    /// The bcrypt cost. Production uses 12; tests lower it to keep the suite fast.
    public var bcryptCost: Int
    /// 32-byte key for encrypting documents at rest (base64). `nil` means a key file in the
    /// data directory is used (generated with mode 0600 on first start).
    public var masterKeyBase64: String?
    public var logLevel: String
    /// Outgoing mail: `smtp://user:pass@host:587`, `smtps://host:465`, `smtp://localhost:2525?tls=none`
    /// (`ONCONAV_SMTP_URL`). Without it, mail stays in the outbox for an admin to read.
    public var smtpURL: String?
    /// PostgreSQL only: the schema to use instead of the user's default. Tests give each
    /// test its own schema so they can run in parallel against one server.
    public var postgresSchema: String?
    /// The knowledge base directory (`ONCONAV_KNOWLEDGE_DIR`, else `./knowledge`, else the
    /// source checkout's).
    public var knowledgeDirectory: URL = KnowledgeBase.defaultDirectory()
    /// An already loaded and validated knowledge base (tests share one instead of parsing
    /// the files for every test).
    public var preloadedKnowledge: KnowledgeBase?
    /// Keeping the registry current with ClinicalTrials.gov; off unless set (the environment turns it on).
    public var registrySync = RegistrySyncConfig()

    public init(
        dataDirectory: URL,
        database: DatabaseChoice,
        publicBaseURL: URL,
        secureCookies: Bool,
        bcryptCost: Int = 12,
        masterKeyBase64: String? = nil,
        logLevel: String = "info",
        postgresSchema: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.publicBaseURL = publicBaseURL
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.masterKeyBase64 = masterKeyBase64
        self.logLevel = logLevel
        self.postgresSchema = postgresSchema
    }
}

/// The list of configuration problems found at start-up.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var description: String {
        "OncoNav cannot start; fix these settings:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension AppConfig {
    /// The variables OncoNav reads; the README's configuration table lists the same.
    public static let knownVariables = [
        "DATABASE_URL", "ONCONAV_DATA_DIR", "ONCONAV_PUBLIC_URL", "ONCONAV_SECURE_COOKIES",
        "ONCONAV_BCRYPT_COST", "ONCONAV_MASTER_KEY", "ONCONAV_LOG_LEVEL", "ONCONAV_KNOWLEDGE_DIR", "ONCONAV_SMTP_URL",
    ] + RegistrySyncConfig.variables

    /// Reads the configuration from `environment`, with safe development defaults.
    /// Command-line options (`--data-dir`, `--hostname`, `--port`) override the environment.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectoryOverride: String? = nil,
        hostname: String = "127.0.0.1",
        port: Int = 8080
    ) throws -> AppConfig {
        var problems: [String] = []

        let dataDirPath = dataDirectoryOverride ?? environment["ONCONAV_DATA_DIR"] ?? "./onconav-data"
        if dataDirPath.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("ONCONAV_DATA_DIR is empty; give a directory path such as ./onconav-data")
        }
        let dataDirectory = URL(fileURLWithPath: dataDirPath, isDirectory: true).standardizedFileURL

        var database = DatabaseChoice.sqliteFile(dataDirectory.appendingPathComponent("onconav.sqlite").path)
        if let raw = environment["DATABASE_URL"], !raw.isEmpty {
            if let url = URL(string: raw), ["postgres", "postgresql"].contains(url.scheme?.lowercased() ?? ""), url.host != nil {
                database = .postgres(url)
            } else if raw.hasPrefix("sqlite:") {
                let path = String(raw.dropFirst("sqlite:".count)).replacingOccurrences(of: "//", with: "")
                database = path == ":memory:" ? .sqliteMemory : .sqliteFile(path)
            } else {
                problems.append("DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:5432/database) or sqlite:PATH")
            }
        }

        let publicURLString = environment["ONCONAV_PUBLIC_URL"] ?? "http://\(hostname == "0.0.0.0" ? "localhost" : hostname):\(port)"
        var publicBaseURL = URL(string: "http://localhost:8080")!
        if let url = URL(string: publicURLString), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil {
            publicBaseURL = url
        } else {
            problems.append("ONCONAV_PUBLIC_URL must be an http(s) URL such as https://onconav.example.org, got '\(publicURLString)'")
        }

        var secureCookies = publicBaseURL.scheme == "https"
        if let raw = environment["ONCONAV_SECURE_COOKIES"] {
            switch raw.lowercased() {
            case "1", "true", "yes", "on": secureCookies = true
            case "0", "false", "no", "off": secureCookies = false
            default: problems.append("ONCONAV_SECURE_COOKIES must be true or false, got '\(raw)'")
            }
        }

        var bcryptCost = 12
        if let raw = environment["ONCONAV_BCRYPT_COST"] {
            if let cost = Int(raw), (4...31).contains(cost) { bcryptCost = cost }
            else { problems.append("ONCONAV_BCRYPT_COST must be a whole number from 4 to 31, got '\(raw)'") }
        }

        let masterKey = environment["ONCONAV_MASTER_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let masterKey {
            if Data(base64Encoded: masterKey)?.count != 32 {
                problems.append("ONCONAV_MASTER_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)")
            }
        }

        let logLevel = environment["ONCONAV_LOG_LEVEL"] ?? "info"
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        if !levels.contains(logLevel) {
            problems.append("ONCONAV_LOG_LEVEL must be one of \(levels.joined(separator: ", ")), got '\(logLevel)'")
        }

        let smtpURL = environment["ONCONAV_SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let smtpURL {
            do { _ = try SMTPConfiguration(url: smtpURL) } catch {
                problems.append("ONCONAV_SMTP_URL is not usable: \(error) (e.g. smtp://user:password@mail.example.org:587?from=noreply@example.org)")
            }
        }

        let knowledgeDirectory = KnowledgeBase.defaultDirectory(environment: environment)
        if !FileManager.default.fileExists(atPath: knowledgeDirectory.path) {
            problems.append("The knowledge base directory \(knowledgeDirectory.path) does not exist; set ONCONAV_KNOWLEDGE_DIR to the repository's knowledge/ folder")
        }

        let registrySync = RegistrySyncConfig.fromEnvironment(environment, problems: &problems)

        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        var config = AppConfig(
            dataDirectory: dataDirectory,
            database: database,
            publicBaseURL: publicBaseURL,
            secureCookies: secureCookies,
            bcryptCost: bcryptCost,
            masterKeyBase64: masterKey,
            logLevel: logLevel
        )
        config.knowledgeDirectory = knowledgeDirectory
        config.smtpURL = smtpURL
        config.registrySync = registrySync
        return config
    }
}
