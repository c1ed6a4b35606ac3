import ArgumentParser
import Foundation
import OncoNavServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the web server (migrations run at start).")

    @Option(help: "Address to listen on.") var hostname = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let config = try CommandSupport.config(dataDir: storage.dataDir, hostname: hostname, port: port)
        CommandSupport.bootstrapLogging(level: config.logLevel)
        let app = try await OncoNavApp.make(config: config, arguments: ["onconav", "serve"])
        do {
            try await configure(app, config: config)
            // The index loads in the background (after the first-start sample, if the registry
            // is empty): /healthz answers at once, /readyz when it is built; alerts start then.
            OncoNavApp.startLoadingTrialIndex(app)
            app.http.server.configuration.hostname = hostname
            app.http.server.configuration.port = port
            if let link = try await OncoNavApp.setupLinkIfNeeded(app) {
                CommandSupport.say("""

                No administrator exists yet. Open this one-time link to create the first one
                (valid 24 hours; a new link is printed at each start until an admin exists):

                    \(link.absoluteString)

                """)
            }
            CommandSupport.say("OncoNav is running at http://\(hostname):\(port) (database: \(OncoNavApp.describe(config.database)); press Ctrl-C to stop)")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations, or revert the last batch with --revert.")

    @Flag(help: "Revert the most recent batch of migrations.") var revert = false
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await CommandSupport.withApp(storage, migrate: false) { app in
            if revert {
                try await app.autoRevert()
                CommandSupport.say("Reverted the last batch of migrations.")
            } else {
                try await app.autoMigrate()
                CommandSupport.say("The database is up to date.")
            }
        }
    }
}
