import Foundation
import NIOSSL

/// Where and how to deliver mail, read once at start-up from `ONCONAV_SMTP_URL`.
///
/// Accepted forms:
/// - `smtp://user:pass@host:587` — STARTTLS; required because credentials are given.
/// - `smtp://host:25` — STARTTLS when the server offers it, plain otherwise.
/// - `smtps://user:pass@host:465` — TLS from the first byte (implicit TLS).
/// - `smtp://localhost:2525?tls=none` — never TLS; for a local test server.
///
/// Query parameters: `from=` envelope sender (default: the message's From address),
/// `tls=none|starttls|implicit`, `helo=` the name we greet with (default `localhost`),
/// `timeout=` seconds to wait for the connection and for each reply.
/// User and password are percent-decoded, so write `@` in a user name as `%40`.
public struct SMTPConfiguration: Sendable {
    /// How the connection is protected.
    public enum Security: Sendable, Hashable {
        /// TLS from the first byte (`smtps://`, usually port 465).
        case implicitTLS
        /// Upgrade with STARTTLS; when `required` is false and the server does not offer it, go on in plain text.
        case startTLS(required: Bool)
        /// Never TLS (`tls=none`). Only for test servers on this machine.
        case plaintext
    }

    /// User name and password for AUTH. Its descriptions never show the password.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public var description: String { "\(username):<redacted>" }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["username": username, "password": "<redacted>"]) }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    /// Envelope sender (`MAIL FROM`); `nil` uses each message's From address.
    public var envelopeSender: String?
    /// The name sent with EHLO/HELO.
    public var heloName: String
    public var connectTimeout: Duration
    /// How long to wait for each reply; RFC 5321 allows servers minutes, so keep this generous.
    public var replyTimeout: Duration
    /// TLS settings; the default trusts the system's roots and checks the host name.
    /// Tests add their own root here.
    public var tls: TLSConfiguration

    public init(
        host: String,
        port: Int,
        security: Security,
        credentials: Credentials? = nil,
        envelopeSender: String? = nil,
        heloName: String = "localhost",
        connectTimeout: Duration = .seconds(10),
        replyTimeout: Duration = .seconds(60),
        tls: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.credentials = credentials
        self.envelopeSender = envelopeSender
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.tls = tls
    }
}

/// Why an SMTP URL could not be used. The messages show the URL without its password.
public enum SMTPConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAURL
    case unsupportedScheme(String)
    case missingHost
    case invalidPort(String)
    case unknownParameter(String)
    case invalidParameter(name: String, value: String, expected: String)
    case passwordWithoutUser

    public var description: String {
        let help = "expected smtp://user:pass@host:587, smtps://user:pass@host:465 or smtp://localhost:2525?tls=none"
        return switch self {
        case .notAURL: "ONCONAV_SMTP_URL is not a URL; \(help)"
        case .unsupportedScheme(let scheme): "SMTP URL scheme '\(scheme)' is not supported; \(help)"
        case .missingHost: "SMTP URL has no host; \(help)"
        case .invalidPort(let port): "SMTP URL port '\(port)' is not a number from 1 to 65535"
        case .unknownParameter(let name):
            "SMTP URL parameter '\(name)' is unknown; known: from, tls, helo, timeout"
        case .invalidParameter(let name, let value, let expected):
            "SMTP URL parameter \(name)='\(value)' is invalid; expected \(expected)"
        case .passwordWithoutUser: "SMTP URL has a password but no user name"
        }
    }
}

extension SMTPConfiguration {
    /// Reads a configuration from an `smtp://` or `smtps://` URL (see the type's documentation).
    public init(url string: String) throws(SMTPConfigurationError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased() else {
            throw .notAURL
        }
        let implicitTLS: Bool
        switch scheme {
        case "smtp": implicitTLS = false
        case "smtps": implicitTLS = true
        default: throw .unsupportedScheme(scheme)
        }
        guard var host = components.host, !host.isEmpty else { throw .missingHost }
        // URLComponents keeps the brackets of an IPv6 literal; NIO wants the bare address.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }

        if let port = components.port, !(1...65535).contains(port) { throw .invalidPort(String(port)) }

        var credentials: Credentials?
        let user = components.user ?? ""
        let password = components.password ?? ""
        if !user.isEmpty {
            credentials = Credentials(username: user, password: password)
        } else if !password.isEmpty {
            throw .passwordWithoutUser
        }

        var security: Security = implicitTLS ? .implicitTLS : .startTLS(required: credentials != nil)
        var sender: String?
        var helo = "localhost"
        var timeout: Duration?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "from":
                guard MailAddress.isValidAddress(value) else {
                    throw .invalidParameter(name: "from", value: value, expected: "an e-mail address such as noreply@example.org")
                }
                sender = value
            case "tls":
                switch value.lowercased() {
                case "none" where !implicitTLS: security = .plaintext
                case "starttls" where !implicitTLS: security = .startTLS(required: true)
                case "implicit": security = .implicitTLS
                default:
                    throw .invalidParameter(
                        name: "tls", value: value,
                        expected: implicitTLS ? "implicit (smtps:// is always TLS)" : "none, starttls or implicit")
                }
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.[]:".contains($0)) }) else {
                    throw .invalidParameter(name: "helo", value: value, expected: "a host name such as mail.example.org")
                }
                helo = value
            case "timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw .invalidParameter(name: "timeout", value: value, expected: "seconds, from 0 to 3600")
                }
                timeout = .milliseconds(Int64(seconds * 1000))
            default:
                throw .unknownParameter(item.name)
            }
        }

        let port = components.port ?? (security == .implicitTLS ? 465 : 587)
        self.init(host: host, port: port, security: security, credentials: credentials, envelopeSender: sender, heloName: helo)
        if let timeout {
            connectTimeout = timeout
            replyTimeout = timeout
        }
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// The configuration as a URL-like line for logs, without the password.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = credentials.map { "\($0.username):<redacted>@" } ?? ""
        let tls = switch security {
        case .implicitTLS: "implicit"
        case .startTLS(let required): required ? "starttls" : "starttls-if-offered"
        case .plaintext: "none"
        }
        return "\(scheme)://\(user)\(host):\(port) (tls: \(tls))"
    }
}
