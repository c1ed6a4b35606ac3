import NIOCore

/// One server reply: a three-digit code and its text lines (`250-first`, …, `250 last`).
struct SMTPReply: Sendable, Hashable {
    var code: Int
    var lines: [String]

    /// The text of all lines, for error messages.
    var message: String { lines.joined(separator: " / ") }

    /// The EHLO keywords after the greeting line, upper-cased, e.g. `["STARTTLS", "AUTH PLAIN LOGIN"]`.
    var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }

    func offers(_ keyword: String) -> Bool {
        extensions.contains { $0 == keyword || $0.hasPrefix(keyword + " ") }
    }

    /// AUTH mechanisms from `AUTH PLAIN LOGIN` (or the old `AUTH=PLAIN LOGIN`) lines.
    var authMechanisms: [String] {
        extensions.flatMap { line -> [String] in
            guard line.hasPrefix("AUTH ") || line.hasPrefix("AUTH=") else { return [] }
            return line.dropFirst(5).split(separator: " ").map(String.init)
        }
    }
}

/// Assembles reply lines into replies (RFC 5321 §4.2): `250-…` continues, `250 …` or `250` ends.
struct SMTPReplyParser {
    private var code: Int?
    private var lines: [String] = []

    /// Takes one line without its CRLF; returns the reply when this line completes it.
    mutating func consume(_ line: String) throws(SMTPReplyParser.Malformed) -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let lineCode = Int(String(decoding: bytes[0...2], as: UTF8.self)), (200...599).contains(lineCode) || (100...199).contains(lineCode)
        else { throw Malformed(line: line) }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { throw Malformed(line: line) }
        if let code, code != lineCode { throw Malformed(line: line) }
        code = lineCode
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard separator == UInt8(ascii: " ") else { return nil }
        defer { code = nil; lines = [] }
        return SMTPReply(code: lineCode, lines: lines)
    }

    struct Malformed: Error {
        var line: String
    }
}

/// Frames the byte stream into ``SMTPReply`` values and counts them, so the client can tell
/// when a server sent more than it was asked for (before STARTTLS that would be an injection).
final class SMTPReplyFramer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply

    /// A reply is a few lines; anything this long without a line end is not SMTP.
    static let maximumPendingBytes = 64 * 1024

    private var pending = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var lineCount = 0
    private(set) var repliesForwarded = 0

    /// Bytes received that are not yet part of a finished reply.
    var hasPartialReply: Bool { pending.readableBytes > 0 || lineCount > 0 }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        pending.writeBuffer(&incoming)
        do {
            while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - pending.readableBytesView.startIndex + 1
                var bytes = pending.readBytes(length: length) ?? []
                while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
                let line = String(decoding: bytes, as: UTF8.self)
                lineCount += 1
                if let reply = try parser.consume(line) {
                    lineCount = 0
                    repliesForwarded += 1
                    context.fireChannelRead(wrapInboundOut(reply))
                }
            }
            pending.discardReadBytes()
            if pending.readableBytes > Self.maximumPendingBytes || lineCount > 1000 {
                throw SMTPReplyParser.Malformed(line: "reply longer than \(Self.maximumPendingBytes) bytes")
            }
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }
}
