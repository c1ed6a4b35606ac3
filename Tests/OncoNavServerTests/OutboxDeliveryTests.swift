import Fluent
import Foundation
import OncoMail
import Testing
import Vapor
@testable import OncoNavServer

/// The outbox delivers through a real SMTP server (Debian's aiosmtpd, `.ci/smtp-test-server.py`).
@Suite struct OutboxDeliveryTests {
    static let python: String? = ["/usr/bin/python3", "python3"].first { candidate in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [candidate, "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func queuedMailIsDeliveredBySMTP() async throws {
        guard let python = Self.python else {
            #expect(ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] != "1", "ONCONAV_REQUIRE_TOOLS=1 but aiosmtpd is missing: apt-get install python3-aiosmtpd")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = Int.random(in: 30_000...60_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = [python, RecordFixtures.repositoryRoot.appendingPathComponent(".ci/smtp-test-server.py").path, "--port", "\(port)", "--dir", directory.path]
        let stdin = Pipe(), stdout = Pipe()
        server.standardInput = stdin
        server.standardOutput = stdout
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            try? stdin.fileHandleForWriting.close()
            kill(server.processIdentifier, SIGKILL)
        }
        // The script prints "ready" once it accepts connections.
        let ready = try await Task.detached { String(decoding: stdout.fileHandleForReading.availableData, as: UTF8.self) }.value
        #expect(ready.contains("ready"))

        try await withTestApp { app in
            let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?tls=none&from=noreply@onconav.example")
            let delivery = OutboxDelivery(app: app, sender: SMTPClient(configuration: configuration, eventLoopGroup: app.eventLoopGroup),
                                          from: try MailAddress("noreply@onconav.example", displayName: "OncoNav"))
            try await OutboxMessage(recipient: "patient@example.org", subject: "Votre dossier OncoNav a avancé", body: "Hello,\n.\nSign in to OncoNav.").create(on: app.db)
            try await OutboxMessage(recipient: "not an address", subject: "x", body: "x").create(on: app.db)
            #expect(await delivery.deliverDue() == 1)
            let messages = try await OutboxMessage.query(on: app.db).sort(\.$recipient).all()
            #expect(messages.map(\.status) == ["failed", "sent"], "an invalid address fails for good, with the reason kept")
            #expect(messages[0].lastError?.isEmpty == false)
            var received: [String] = []
            for _ in 0..<40 where received.isEmpty {
                received = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
                if received.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            let json = try String(contentsOf: directory.appendingPathComponent(try #require(received.first)), encoding: .utf8)
            #expect(json.contains("patient@example.org"))
            #expect(json.contains("Votre dossier OncoNav a avanc"))
        }
    }
}
