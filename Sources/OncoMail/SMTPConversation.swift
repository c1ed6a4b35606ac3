import Foundation
import NIOCore
import NIOSSL

/// One SMTP session on an open connection (RFC 5321 §3), from greeting to QUIT.
struct SMTPConversation {
    let channel: any Channel
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let configuration: SMTPConfiguration
    let tlsContext: NIOSSLContext?
    var tlsActive: Bool
    /// Replies taken from the stream; compared with what the framer forwarded before STARTTLS.
    private var repliesRead = 0

    init(
        channel: any Channel, replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, configuration: SMTPConfiguration,
        tlsContext: NIOSSLContext?, tlsActive: Bool
    ) {
        self.channel = channel
        self.replies = replies
        self.outbound = outbound
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.tlsActive = tlsActive
    }

    mutating func deliver(_ message: MailMessage) async throws {
        do {
            try await expect(.greeting, 220...220)
            var hello = try await greet()
            if case .startTLS(let required) = configuration.security {
                if hello.offers("STARTTLS") {
                    try await command("STARTTLS", .startTLS, expecting: 220...220)
                    try await startTLS()
                    hello = try await greet()
                } else if required {
                    throw SMTPError.tlsUnavailable(host: configuration.host)
                }
            }
            if let credentials = configuration.credentials {
                // Never send a password in the clear unless the URL said tls=none.
                guard tlsActive || configuration.security == .plaintext else { throw SMTPError.tlsUnavailable(host: configuration.host) }
                try await authenticate(credentials, offered: hello.authMechanisms)
            }
            try await command("MAIL FROM:<\(configuration.envelopeSender ?? message.from.address)>", .mailFrom, expecting: 250...250)
            for recipient in message.to {
                try await command("RCPT TO:<\(recipient.address)>", .recipient, expecting: 250...251)
            }
            try await command("DATA", .data, expecting: 354...354)
            try await write(SMTPDataEncoding.dataSection(message.rendered()), .messageBody)
            try await expect(.messageBody, 250...250)
        } catch let error as SMTPError {
            // Say goodbye when the server is still listening, so it does not log a dropped session.
            if case .rejected = error { _ = try? await command("QUIT", .quit, expecting: 221...221) }
            throw error
        }
        // The message is accepted now; a failing QUIT changes nothing.
        _ = try? await command("QUIT", .quit, expecting: 221...221)
    }

    /// EHLO, or HELO for a server that does not know EHLO (then no extensions are offered).
    private mutating func greet() async throws -> SMTPReply {
        try await write("EHLO \(configuration.heloName)\r\n", .hello)
        let reply = try await reply(.hello)
        if reply.code == 250 { return reply }
        guard (500...504).contains(reply.code) else {
            throw SMTPError.rejected(stage: .hello, code: reply.code, message: reply.message)
        }
        let helo = try await command("HELO \(configuration.heloName)", .hello, expecting: 250...250)
        return SMTPReply(code: helo.code, lines: Array(helo.lines.prefix(1)))
    }

    /// Puts TLS under the conversation. Refuses when the server sent anything after its 220:
    /// such bytes arrived in plain text and must not be read as if they came over TLS.
    private mutating func startTLS() async throws {
        guard let tlsContext else { throw SMTPError.tlsUnavailable(host: configuration.host) }
        let channel = channel
        let expected = repliesRead
        let serverHostname = configuration.serverHostname
        let clean = try await channel.eventLoop.submit {
            let framer = try channel.pipeline.syncOperations.handler(type: SMTPReplyFramer.self)
            guard !framer.hasPartialReply, framer.repliesForwarded == expected else { return false }
            let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
            return true
        }.get()
        guard clean else {
            throw SMTPError.protocolViolation(stage: .startTLS, detail: "the server sent data after agreeing to STARTTLS")
        }
        tlsActive = true
    }

    private mutating func authenticate(_ credentials: SMTPConfiguration.Credentials, offered: [String]) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if offered.contains("PLAIN") {
            let token = base64("\0\(credentials.username)\0\(credentials.password)")
            try await command("AUTH PLAIN \(token)", .authentication, expecting: 235...235)
        } else if offered.contains("LOGIN") {
            try await command("AUTH LOGIN", .authentication, expecting: 334...334)
            try await command(base64(credentials.username), .authentication, expecting: 334...334)
            try await command(base64(credentials.password), .authentication, expecting: 235...235)
        } else {
            throw SMTPError.authenticationUnsupported(advertised: offered)
        }
    }

    @discardableResult
    private mutating func command(_ line: String, _ stage: SMTPStage, expecting codes: ClosedRange<Int>) async throws -> SMTPReply {
        try await write(line + "\r\n", stage)
        return try await expect(stage, codes)
    }

    @discardableResult
    private mutating func expect(_ stage: SMTPStage, _ codes: ClosedRange<Int>) async throws -> SMTPReply {
        let reply = try await reply(stage)
        guard codes.contains(reply.code) else {
            throw SMTPError.rejected(stage: stage, code: reply.code, message: reply.message)
        }
        return reply
    }

    /// The next reply, or `.timedOut` when none comes in time: a timer on the event loop
    /// fails the inbound stream, which ends the wait.
    private mutating func reply(_ stage: SMTPStage) async throws -> SMTPReply {
        let timeout = configuration.replyTimeout
        let channel = channel
        let watchdog = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            channel.pipeline.fireErrorCaught(SMTPError.timedOut(stage: stage, after: timeout))
        }
        defer { watchdog.cancel() }
        do {
            guard let reply = try await replies.next() else {
                throw SMTPError.connectionFailed(
                    host: configuration.host, port: configuration.port,
                    reason: "the server closed the connection while we waited for \(stage)")
            }
            repliesRead += 1
            return reply
        } catch {
            throw Self.smtpError(error, stage: stage, configuration: configuration)
        }
    }

    private mutating func write(_ text: String, _ stage: SMTPStage) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            // A write fails with "closed channel" when the cause (a TLS alert, a reset) is
            // reported on the inbound side, so say that cause when there is one.
            do {
                _ = try await replies.next()
            } catch let cause {
                throw Self.smtpError(cause, stage: stage, configuration: configuration)
            }
            throw Self.smtpError(error, stage: stage, configuration: configuration)
        }
    }

    /// Turns what NIO and NIOSSL throw into an `SMTPError` a person can act on.
    static func smtpError(_ error: any Error, stage: SMTPStage, configuration: SMTPConfiguration) -> SMTPError {
        switch error {
        case let error as SMTPError:
            return error
        case let error as SMTPReplyParser.Malformed:
            return .protocolViolation(stage: stage, detail: "not an SMTP reply: \(error.line.prefix(200))")
        case is NIOSSLError, is NIOSSLExtraError:
            return .tlsHandshakeFailed(host: configuration.host, reason: "\(error)")
        default:
            return .connectionFailed(host: configuration.host, port: configuration.port, reason: "\(error) during \(stage)")
        }
    }
}
