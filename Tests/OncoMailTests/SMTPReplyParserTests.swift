import Testing
@testable import OncoMail

/// Assembling server reply lines (RFC 5321 §4.2).
struct SMTPReplyParserTests {
    @Test func multiLineReplyEndsAtTheLineWithASpace() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.consume("250-mail.example.org greets you") == nil)
        #expect(try parser.consume("250-STARTTLS") == nil)
        #expect(try parser.consume("250-AUTH PLAIN LOGIN") == nil)
        let reply = try #require(try parser.consume("250 8BITMIME"))
        #expect(reply.code == 250)
        #expect(reply.lines == ["mail.example.org greets you", "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME"])
        #expect(reply.offers("STARTTLS"))
        #expect(!reply.offers("SMTPUTF8"))
        #expect(reply.authMechanisms == ["PLAIN", "LOGIN"])
    }

    @Test func replyWithoutTextIsAccepted() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.consume("250") == SMTPReply(code: 250, lines: [""]))
    }

    @Test func oldStyleAuthEqualsLineListsMechanisms() throws {
        var parser = SMTPReplyParser()
        _ = try parser.consume("250-host")
        let reply = try #require(try parser.consume("250 AUTH=LOGIN"))
        #expect(reply.authMechanisms == ["LOGIN"])
    }

    @Test(arguments: ["hello", "25", "2500 x", "abc text", "250_x", "700 bad code"])
    func linesThatAreNotRepliesAreMalformed(line: String) {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.consume(line) }
    }

    @Test func codeChangingInsideAReplyIsMalformed() throws {
        var parser = SMTPReplyParser()
        _ = try parser.consume("250-first")
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.consume("354 second") }
    }
}
