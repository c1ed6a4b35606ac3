import Foundation

extension MailMessage {
    /// The message as RFC 5322 text with CRLF line endings, 7-bit ASCII only: UTF-8 bodies
    /// are quoted-printable, non-ASCII header text is RFC 2047 encoded words.
    /// (Dot-stuffing is the transport's job; see ``SMTPDataEncoding``.)
    public func rendered() -> String {
        var headers = [
            "Date: \(MailFormat.rfc5322Date(date))",
            "From: \(MailFormat.mailbox(from))",
            "To: \(to.map(MailFormat.mailbox).joined(separator: ",\r\n "))",
            "Subject: \(MailFormat.headerText(subject, alreadyUsed: "Subject: ".count))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
        ]
        guard let htmlBody else {
            headers += MailFormat.textPartHeaders(subtype: "plain")
            return headers.joined(separator: "\r\n") + "\r\n\r\n" + MailFormat.quotedPrintable(textBody) + "\r\n"
        }
        // "=_" never occurs in quoted-printable output, so the boundary cannot clash with a body.
        let boundary = "=_OncoMail_\(UUID().uuidString)"
        headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
        var lines = headers + ["", "This is a MIME message with plain text and HTML versions."]
        for (subtype, body) in [("plain", textBody), ("html", htmlBody)] {
            lines.append("--\(boundary)")
            lines += MailFormat.textPartHeaders(subtype: subtype)
            lines += ["", MailFormat.quotedPrintable(body)]
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

/// The encodings a message needs on the wire. Pure functions, tested on their own.
enum MailFormat {
    static func textPartHeaders(subtype: String) -> [String] {
        ["Content-Type: text/\(subtype); charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
    }

    /// `Sun, 29 Nov 2026 21:48:28 +0000`; always UTC, always English names (RFC 5322 §3.3).
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    /// `Name <address>`, with the name quoted or encoded as needed.
    static func mailbox(_ mailbox: MailAddress) -> String {
        guard let name = mailbox.displayName else { return mailbox.address }
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 } && !name.contains("=?")
        let phrase = plain
            ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            : encodedWords(name)
        return "\(phrase) <\(mailbox.address)>"
    }

    /// Header text as it is when short plain ASCII, otherwise as RFC 2047 encoded words
    /// (`=?utf-8?B?…?=`), folded so no line is longer than 76 characters.
    static func headerText(_ text: String, alreadyUsed: Int) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 }
        if plain, !text.contains("=?"), alreadyUsed + text.count <= 78 { return text }
        return encodedWords(text)
    }

    /// Splits on whole characters so no UTF-8 sequence is cut: 45 bytes make 60 base64
    /// characters, and with `=?utf-8?B?` and `?=` a word stays within the 75 RFC 2047 allows.
    static func encodedWords(_ text: String) -> String {
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(character.utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?utf-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045 §6.7) of UTF-8 text, any line endings becoming CRLF.
    /// Lines stay within 76 characters with soft breaks; a line starting with "." is left
    /// as it is, since dot-stuffing on the wire takes care of it.
    static func quotedPrintable(_ text: String) -> String {
        normalizedLines(text).map { line in
            let bytes = Array(line.utf8)
            var encoded = ""
            var lineLength = 0
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
                let token = literal ? String(UnicodeScalar(byte)) : hexEscape(byte)
                if lineLength + token.count > 75 {
                    encoded += "=\r\n"
                    lineLength = 0
                }
                encoded += token
                lineLength += token.count
            }
            return encoded
        }.joined(separator: "\r\n")
    }

    /// The lines of a text whatever its line endings (CRLF, LF or a lone CR).
    static func normalizedLines(_ text: String) -> [Substring] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
    }

    private static func hexEscape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
    }
}

/// What goes between `DATA` and the end of the message (RFC 5321 §4.5.2).
enum SMTPDataEncoding {
    /// CRLF line endings throughout, a "." doubled at the start of any line, then the
    /// terminating `.` line.
    static func dataSection(_ message: String) -> String {
        var lines = MailFormat.normalizedLines(message)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n") + "\r\n.\r\n"
    }
}
