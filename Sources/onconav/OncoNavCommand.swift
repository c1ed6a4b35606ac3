import ArgumentParser
import Foundation
import Logging
import OncoNavServer

/// `onconav`: the same binary serves the site and administers it.
@main
struct OncoNavCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onconav",
        abstract: "OncoNav: navigation for people weighing CAR-T, other cell therapies and gene therapies.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, KnowledgeCommand.self, TrialsCommand.self, EvalCommand.self, BenchCommand.self, AskCommand.self, ExtractCommand.self, MatchCommand.self]
    )
}

/// Options every command that touches the database shares.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and documents (default ./onconav-data, or ONCONAV_DATA_DIR).")
    var dataDir: String?

    init() {}
    init(dataDir: String?) { self.dataDir = dataDir }
}

enum CommandSupport {
    /// Reads the configuration or exits with the list of problems.
    static func config(dataDir: String?, hostname: String = "127.0.0.1", port: Int = 8080) throws -> AppConfig {
        do {
            return try AppConfig.fromEnvironment(dataDirectoryOverride: dataDir, hostname: hostname, port: port)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(78)
        }
    }

    /// Writes a line to standard output at once (no buffering), so the setup link shows up
    /// immediately under a process supervisor.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// The usual shape of a command that touches the database: configuration from the
    /// environment (exit 78 with the list of problems), quiet logging, a configured
    /// application for `body`, shut down afterwards.
    static func withApp(_ storage: StorageOptions, migrate: Bool = true, _ body: (OncoNavApplication) async throws -> Void) async throws {
        let config = try self.config(dataDir: storage.dataDir)
        bootstrapLogging(level: "warning")
        try await OncoNavApp.withApp(config: config, migrate: migrate, body)
    }

    /// Bootstraps logging unless it was already (a command that configures several apps).
    static func bootstrapLoggingOnce(level: String) {
        guard !loggingBootstrapped else { return }
        bootstrapLogging(level: level)
        loggingBootstrapped = true
    }

    /// Set once, from the command's own task, before any app runs.
    nonisolated(unsafe) private static var loggingBootstrapped = false

    static func bootstrapLogging(level: String) {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
    }
}
