import Foundation

/// Why a message could not be built. Checked when the message is made, so nothing
/// unsafe ever reaches the wire.
public enum MailMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A header value contains CR or LF, which would let it add headers of its own.
    case lineBreakInHeader(field: String)
    /// Not a plain ASCII `local@domain` address.
    case invalidAddress(String)
    /// Not `<printable-ASCII>` without spaces.
    case invalidMessageID(String)
    case noRecipients

    public var description: String {
        switch self {
        case .lineBreakInHeader(let field): "the \(field) header contains a line break, which is not allowed"
        case .invalidAddress(let address):
            "'\(address)' is not an e-mail address we can send to (expected ASCII local@domain)"
        case .invalidMessageID(let id): "'\(id)' is not a Message-ID (expected <unique@domain> in ASCII)"
        case .noRecipients: "a message needs at least one recipient"
        }
    }
}

/// An e-mail address with an optional display name, e.g. `"OncoNav" <noreply@onconav.org>`.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bare `local@domain` address used on the envelope.
    public let address: String
    /// A name shown by mail programs; may be any Unicode text without line breaks.
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(MailMessageError) {
        guard Self.isValidAddress(address) else { throw .invalidAddress(address) }
        if let displayName, displayName.containsLineBreak { throw .lineBreakInHeader(field: "display name") }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String { displayName.map { "\($0) <\(address)>" } ?? address }

    /// ASCII `local@domain` with no spaces, angle brackets or control characters: safe in
    /// `MAIL FROM:<…>`/`RCPT TO:<…>` and in headers. (Internationalised addresses would need SMTPUTF8.)
    static func isValidAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 254 else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 32 && scalar.value < 127 && !"<>()[]\\,;:\"".unicodeScalars.contains(scalar)
        }
    }
}

/// One e-mail: plain text, optionally with an HTML alternative. Header values are checked
/// when the message is made; see ``MailMessage/rendered()`` for what goes on the wire.
public struct MailMessage: Sendable, Hashable {
    public let from: MailAddress
    public let to: [MailAddress]
    public let subject: String
    public let textBody: String
    public let htmlBody: String?
    /// `<unique@domain>`, generated from the sender's domain unless given.
    public let messageID: String
    public let date: Date

    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        textBody: String,
        htmlBody: String? = nil,
        messageID: String? = nil,
        date: Date = Date()
    ) throws(MailMessageError) {
        guard !to.isEmpty else { throw .noRecipients }
        if subject.containsLineBreak { throw .lineBreakInHeader(field: "Subject") }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let id = messageID ?? "<\(UUID().uuidString.lowercased())@\(domain)>"
        guard id.hasPrefix("<"), id.hasSuffix(">"), id.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) else {
            throw id.containsLineBreak ? MailMessageError.lineBreakInHeader(field: "Message-ID") : MailMessageError.invalidMessageID(id)
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.messageID = id
        self.date = date
    }
}

extension StringProtocol {
    var containsLineBreak: Bool { unicodeScalars.contains { $0 == "\r" || $0 == "\n" } }
}
