import Foundation
import Testing
@testable import OncoMail

/// What `send` throws when delivery cannot happen: always an `SMTPError` naming the step.
@Suite struct SMTPFailureTests {
    @Test(.enabled(if: SMTPTestServer.availableOrRequired, "needs python3-aiosmtpd"))
    func refusedRecipientIsRejectedWithTheServersCodeAndText() async throws {
        try await SMTPTestServer.with(["--reject-recipient", "gone@example.org"]) { server in
            let client = try SMTPClient(configuration: SMTPConfiguration(url: server.url()))
            let error = await #expect(throws: SMTPError.self) {
                try await client.send(Messages.make(to: ["patient@example.org", "gone@example.org"]))
            }
            #expect(error == .rejected(
                stage: .recipient, code: 550, message: "5.1.1 <gone@example.org>: Recipient address rejected: User unknown"))
            #expect(error?.isTransient == false)
            #expect(try await server.received(count: 0).isEmpty, "nothing is delivered when a recipient is refused")
        }
    }

    @Test(.enabled(if: SMTPTestServer.availableOrRequired, "needs python3-aiosmtpd"))
    func wrongPasswordIsRejectedAtAuthentication() async throws {
        try await SMTPTestServer.with(["--auth", "mailer:right"]) { server in
            let client = try SMTPClient(configuration: SMTPConfiguration(url: server.url(user: "mailer:wrong")))
            let error = await #expect(throws: SMTPError.self) { try await client.send(Messages.make()) }
            #expect(error?.code == 535)
            if case .rejected(let stage, _, _) = error { #expect(stage == .authentication) }
            #expect(!"\(String(describing: error))".contains("wrong"), "the password is never in an error")
        }
    }

    @Test(.enabled(if: SMTPTestServer.availableOrRequired, "needs python3-aiosmtpd"))
    func credentialsAreNotSentWhenTheServerOffersNoSTARTTLS() async throws {
        try await SMTPTestServer.with(["--auth", "mailer:secret"]) { server in
            let url = "smtp://mailer:secret@127.0.0.1:\(server.port)"
            let error = await #expect(throws: SMTPError.self) {
                try await SMTPClient(configuration: SMTPConfiguration(url: url)).send(Messages.make())
            }
            #expect(error == .tlsUnavailable(host: "127.0.0.1"))
        }
    }

    @Test func serverThatNeverGreetsTimesOut() async throws {
        let (error, _) = try await ScriptedServer.failure(greeting: "", query: "tls=none&timeout=0.3")
        #expect(error == .timedOut(stage: .greeting, after: .milliseconds(300)))
    }

    @Test func serverThatSpeaksSomethingElseIsAProtocolViolation() async throws {
        let (error, _) = try await ScriptedServer.failure(greeting: "HTTP/1.1 400 Bad Request\r\n\r\n")
        #expect(error == .protocolViolation(stage: .greeting, detail: "not an SMTP reply: HTTP/1.1 400 Bad Request"))
    }

    @Test func greetingWith554IsRejected() async throws {
        let (error, _) = try await ScriptedServer.failure(
            greeting: "554-mx.example.org\r\n554 No SMTP service here\r\n", query: "tls=none&timeout=0.5")
        #expect(error == .rejected(stage: .greeting, code: 554, message: "mx.example.org / No SMTP service here"))
    }

    @Test func nothingListeningIsAConnectionFailure() async throws {
        let port = try await SMTPTestServer.freePort()
        let error = await #expect(throws: SMTPError.self) {
            try await SMTPClient(configuration: SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?tls=none")).send(Messages.make())
        }
        guard case .connectionFailed(let host, let failedPort, _) = error else {
            Issue.record("expected .connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1" && failedPort == port)
        #expect(error?.isTransient == true)
    }
}

/// Protocol corners a real server rarely shows, played by `ScriptedServer`.
struct SMTPProtocolTests {
    @Test func serverWithoutEHLOIsGreetedWithHELO() async throws {
        // given a server that answers EHLO with 502 and refuses the sender
        let replies = ["502 5.5.2 Command not recognized\r\n", "250 old.example.org\r\n", "550 5.7.1 Sender refused\r\n", "221 Bye\r\n"]
        // when
        let (error, received) = try await ScriptedServer.failure(greeting: "220 old.example.org\r\n", replies: replies)
        // then
        #expect(received.prefix(3) == ["EHLO localhost", "HELO localhost", "MAIL FROM:<noreply@onconav.test>"])
        #expect(error == .rejected(stage: .mailFrom, code: 550, message: "5.7.1 Sender refused"))
    }

    @Test func repliesSentBeforeTLSBeganAreRefused() async throws {
        // given a server that sends an extra reply right after agreeing to STARTTLS
        let replies = ["250-mx\r\n250 STARTTLS\r\n", "220 Go ahead\r\n250 2.0.0 injected before TLS\r\n"]
        // when
        let (error, _) = try await ScriptedServer.failure(greeting: "220 mx\r\n", replies: replies, query: "tls=starttls&timeout=120")
        // then
        #expect(error == .protocolViolation(stage: .startTLS, detail: "the server sent data after agreeing to STARTTLS"))
    }
}
