// OncoMail — sends OncoNav's e-mail through an SMTP server, over SwiftNIO.
//
// The whole public API:
//
//     let configuration = try SMTPConfiguration(url: env["ONCONAV_SMTP_URL"]!)   // SMTPConfigurationError
//     let client = SMTPClient(configuration: configuration)                       // any EventLoopGroup, default singleton
//     let message = try MailMessage(                                              // MailMessageError
//         from: try MailAddress("noreply@onconav.org", displayName: "OncoNav"),
//         to: [try MailAddress("patient@example.org")],
//         subject: "Your visit summary", textBody: "…", htmlBody: nil)
//     try await client.send(message)                                              // SMTPError
//
// - `SMTPConfiguration`: host, port, `Security` (.implicitTLS / .startTLS(required:) / .plaintext),
//   `Credentials`, envelope sender, HELO name, timeouts, `TLSConfiguration`; `init(url:)` parses
//   smtp:// and smtps:// URLs; its description never shows the password.
// - `MailSender`: the protocol the server depends on, so its tests can use a recording fake.
// - `SMTPClient: MailSender`: one connection per `send`; greeting, EHLO (HELO fallback),
//   STARTTLS and EHLO again, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO for each recipient,
//   DATA (CRLF line ends, dot-stuffed), QUIT.
// - `MailMessage`, `MailAddress`: checked on creation (no CR/LF in headers, ASCII addresses);
//   `rendered()` gives RFC 5322 text: UTF-8 quoted-printable bodies, RFC 2047 subjects,
//   optional HTML as multipart/alternative.
// - Errors: `SMTPError` (`.rejected(stage:code:message:)`, `.connectionFailed`, `.timedOut`,
//   `.tlsUnavailable`, `.tlsHandshakeFailed`, `.authenticationUnsupported`,
//   `.protocolViolation`; `isTransient` tells the outbox whether to retry), `SMTPStage`,
//   `SMTPConfigurationError`, `MailMessageError`.

import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Something that delivers mail. The server holds one of these: `SMTPClient` in production,
/// a recording fake in tests of its own code.
public protocol MailSender: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Delivers each message over its own SMTP connection. Cheap to keep and share: it holds
/// only the configuration and the event loop group.
public struct SMTPClient: MailSender {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameter eventLoopGroup: the server passes its own (`app.eventLoopGroup`); the default is NIO's shared one.
    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Hands `message` to the server; returns once the server has accepted it (250 after the data).
    /// - Throws: `SMTPError`, never with the password in it.
    public func send(_ message: MailMessage) async throws {
        let configuration = configuration
        var tlsContext: NIOSSLContext?
        do {
            if configuration.security != .plaintext { tlsContext = try NIOSSLContext(configuration: configuration.tls) }
        } catch {
            throw SMTPError.tlsHandshakeFailed(host: configuration.host, reason: "TLS settings are unusable: \(error)")
        }
        let channel = try await connect(implicitTLS: configuration.security == .implicitTLS ? tlsContext : nil)
        do {
            try await channel.executeThenClose { inbound, outbound in
                var conversation = SMTPConversation(
                    channel: channel.channel, replies: inbound.makeAsyncIterator(), outbound: outbound,
                    configuration: configuration, tlsContext: tlsContext,
                    tlsActive: configuration.security == .implicitTLS)
                try await conversation.deliver(message)
            }
        } catch {
            throw SMTPConversation.smtpError(error, stage: .quit, configuration: configuration)
        }
    }

    private func connect(implicitTLS tlsContext: NIOSSLContext?) async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let host = configuration.host
        let serverHostname = configuration.serverHostname
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .connect(host: host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tlsContext {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyFramer())
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch ChannelError.connectTimeout {
            throw SMTPError.timedOut(stage: .connect, after: configuration.connectTimeout)
        } catch {
            throw SMTPError.connectionFailed(host: host, port: configuration.port, reason: "\(error)")
        }
    }
}

extension SMTPConfiguration {
    /// The name TLS checks the certificate against; an IP address cannot be sent as SNI.
    var serverHostname: String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
