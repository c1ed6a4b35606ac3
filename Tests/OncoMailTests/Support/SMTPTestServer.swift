import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Testing
@testable import OncoMail

/// A real SMTP server (aiosmtpd, `.ci/smtp-test-server.py`) on a free loopback port, one per
/// test, writing what it receives to its own folder.
///
/// Tests that need it are skipped when no Python can import aiosmtpd, unless
/// `ONCONAV_REQUIRE_TOOLS=1` (CI), where that is a failure: `apt-get install python3-aiosmtpd`.
struct SMTPTestServer {
    let port: Int
    let directory: URL
    private let process: Process
    private let stdin: Pipe

    static var required: Bool { ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1" }

    /// Debian's package installs for the system Python, which may not be the first `python3`
    /// on PATH (pyenv), so both are tried.
    static let python: String? = ["/usr/bin/python3", "python3"].first { candidate in
        (try? run(candidate, ["-c", "import aiosmtpd"])) == 0
    }

    /// For `.enabled(if:)`: run when the server can start, or when CI requires it (and then fail loudly).
    static var availableOrRequired: Bool { python != nil || required }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".ci/smtp-test-server.py")

    /// Starts a server, runs `body`, and stops the server whatever happens.
    static func with<T>(_ arguments: [String] = [], _ body: (SMTPTestServer) async throws -> T) async throws -> T {
        let server = try await start(arguments)
        defer { server.stop() }
        return try await body(server)
    }

    private static func start(_ arguments: [String]) async throws -> SMTPTestServer {
        guard let python else {
            throw Unavailable("ONCONAV_REQUIRE_TOOLS=1 but no python3 can import aiosmtpd: apt-get install python3-aiosmtpd")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try await freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script.path, "--port", "\(port)", "--dir", directory.path] + arguments
        // The server stops when this pipe closes, so it cannot outlive a crashed test run.
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = SMTPTestServer(port: port, directory: directory, process: process, stdin: stdin)
        do {
            try await waitUntilAccepting(port: port, process: process)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Closing its standard input stops the server. (SIGTERM from `Process.terminate()` may
    /// not arrive: a child can inherit a signal mask that blocks it.)
    func stop() {
        try? stdin.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A `smtp://` URL for this server, without TLS.
    func url(user: String? = nil, query: String = "") -> String {
        "smtp://\(user.map { "\($0)@" } ?? "")127.0.0.1:\(port)?tls=none\(query)"
    }

    /// The messages received so far, waiting up to two seconds for `count` of them.
    func received(count: Int) async throws -> [ReceivedMessage] {
        for _ in 0..<40 {
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }.sorted()
            if files.count >= count {
                return try files.map { name in
                    let json = try Data(contentsOf: directory.appendingPathComponent(name))
                    var message = try JSONDecoder().decode(ReceivedMessage.self, from: json)
                    let raw = directory.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".eml"))
                    message.raw = try String(contentsOf: raw, encoding: .utf8)
                    return message
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the SMTP server received fewer than \(count) messages")
        return []
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Helpers

    /// Asks the kernel for a port nobody uses, then lets it go for the server to take.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    private static func waitUntilAccepting(port: Int, process: Process) async throws {
        for _ in 0..<200 {
            guard process.isRunning else {
                throw Unavailable("the SMTP test server exited with status \(process.terminationStatus) before accepting connections")
            }
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get() {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Unavailable("the SMTP test server did not accept connections on port \(port) within 10 s")
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// What `.ci/smtp-test-server.py` wrote about one message; `raw` is the message as received.
struct ReceivedMessage: Decodable {
    struct Auth: Decodable {
        var user: String
        var mechanism: String
    }

    var mailFrom: String
    var rcptTos: [String]
    var auth: Auth?
    var tls: Bool
    var subject: String
    var headers: [String: String]
    var contentType: String
    var text: String?
    var html: String?
    var defects: [String]
    var raw = ""

    /// The plain-text body with CRLF turned into LF, as a reader would compare it.
    var textLines: [String] { (text ?? "").replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n") }

    enum CodingKeys: String, CodingKey {
        case mailFrom = "mail_from", rcptTos = "rcpt_tos", auth, tls, subject, headers
        case contentType = "content_type", text, html, defects
    }
}
