/// Where in an SMTP conversation something went wrong, so an error says which step failed.
public enum SMTPStage: String, Sendable, Hashable, CustomStringConvertible {
    case connect
    case greeting
    case hello
    case startTLS
    case authentication
    case mailFrom
    case recipient
    case data
    case messageBody
    case quit

    public var description: String {
        switch self {
        case .connect: "connecting"
        case .greeting: "the server greeting"
        case .hello: "EHLO/HELO"
        case .startTLS: "STARTTLS"
        case .authentication: "AUTH"
        case .mailFrom: "MAIL FROM"
        case .recipient: "RCPT TO"
        case .data: "DATA"
        case .messageBody: "the end of the message data"
        case .quit: "QUIT"
        }
    }
}

/// Why a message could not be handed to the SMTP server.
///
/// Errors carry the server's own reply where there is one, so a log line tells an operator
/// what to fix. They never carry the password.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered a step with a code we did not expect (4xx: try again later; 5xx: fix the input).
    case rejected(stage: SMTPStage, code: Int, message: String)
    /// No connection could be made, or it broke before the conversation finished.
    case connectionFailed(host: String, port: Int, reason: String)
    /// The server took longer than the configured timeout to accept the connection or to reply.
    case timedOut(stage: SMTPStage, after: Duration)
    /// TLS is required (credentials given, or `tls=starttls`) but the server does not offer STARTTLS.
    case tlsUnavailable(host: String)
    /// The TLS handshake failed: usually a certificate the system does not trust, or a name mismatch.
    case tlsHandshakeFailed(host: String, reason: String)
    /// Credentials were configured but the server offers neither AUTH PLAIN nor AUTH LOGIN.
    case authenticationUnsupported(advertised: [String])
    /// The server sent something that is not an SMTP reply, or sent data it should not have.
    case protocolViolation(stage: SMTPStage, detail: String)

    /// The reply code, when the server gave one.
    public var code: Int? {
        if case .rejected(_, let code, _) = self { return code }
        return nil
    }

    /// `true` for failures worth retrying later: 4xx replies, timeouts and broken connections.
    public var isTransient: Bool {
        switch self {
        case .rejected(_, let code, _): (400..<500).contains(code)
        case .connectionFailed, .timedOut: true
        case .tlsUnavailable, .tlsHandshakeFailed, .authenticationUnsupported, .protocolViolation: false
        }
    }

    public var description: String {
        switch self {
        case .rejected(let stage, let code, let message):
            "SMTP server rejected \(stage) with \(code): \(message)"
        case .connectionFailed(let host, let port, let reason):
            "could not talk to SMTP server \(host):\(port): \(reason)"
        case .timedOut(let stage, let after):
            "SMTP server did not answer \(stage) within \(after)"
        case .tlsUnavailable(let host):
            "SMTP server \(host) does not offer STARTTLS, which is required when credentials are given or tls=starttls; "
                + "use smtps:// or, for a local test server only, add ?tls=none"
        case .tlsHandshakeFailed(let host, let reason):
            "TLS handshake with SMTP server \(host) failed: \(reason)"
        case .authenticationUnsupported(let advertised):
            "SMTP server offers no AUTH mechanism we support (PLAIN, LOGIN); it advertised: "
                + (advertised.isEmpty ? "none" : advertised.joined(separator: " "))
        case .protocolViolation(let stage, let detail):
            "SMTP server broke the protocol during \(stage): \(detail)"
        }
    }
}
