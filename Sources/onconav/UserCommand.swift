import ArgumentParser
import Foundation
import OncoNavServer
#if canImport(Glibc)
import Glibc
#endif

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create and list accounts.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (prompts for the password).")

        @Option(help: "Email address (the sign-in name).") var email: String
        @Option(help: "patient, navigator, partner or admin.") var role: String
        @Option(help: "Partner organisation (hospital or trial site); required for partners.") var organization: String?
        @Option(help: "Display name (default: the email).") var name: String?
        @Flag(help: "Read the password from standard input instead of prompting.") var passwordStdin = false
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let config = try CommandSupport.config(dataDir: storage.dataDir)
            CommandSupport.bootstrapLogging(level: "warning")
            let password = try readPassword()
            let problems = PasswordRules.problems(with: password, email: email)
            guard problems.isEmpty else {
                throw ValidationError("The password was refused:\n" + problems.map { "  - " + $0 }.joined(separator: "\n"))
            }
            try await OncoNavApp.withApp(config: config, migrate: true) { app in
                let user = try await OncoNavApp.createUser(app, email: email, displayName: name ?? "", role: role, organization: organization, password: password)
                CommandSupport.say("Created \(user.role.rawValue) account \(user.email).")
            }
        }

        func readPassword() throws -> String {
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("No password on standard input.")
                }
                return line
            }
            guard let first = prompt("Password: "), let second = prompt("Password again: ") else {
                throw ValidationError("No terminal to prompt for a password; use --password-stdin.")
            }
            guard first == second else { throw ValidationError("The two passwords do not match.") }
            return first
        }

        func prompt(_ text: String) -> String? {
            #if canImport(Glibc) || canImport(Darwin)
            guard isatty(STDIN_FILENO) == 1, let raw = getpass(text) else { return nil }
            return String(cString: raw)
            #else
            return nil
            #endif
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await CommandSupport.withApp(storage) { app in
                let users = try await OncoNavApp.listUsers(app)
                let width = max(5, users.map(\.email.count).max() ?? 5)
                CommandSupport.say("EMAIL".padding(toLength: width, withPad: " ", startingAt: 0) + "  ROLE       ORGANISATION")
                for user in users {
                    CommandSupport.say(user.email.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + user.role.padding(toLength: 9, withPad: " ", startingAt: 0) + "  " + (user.organization ?? ""))
                }
                if users.isEmpty { CommandSupport.say("(no accounts yet)") }
            }
        }
    }
}
