import Foundation
import Testing
@testable import OncoMail

/// Building a message and rendering it for the wire, without a server.
struct MailMessageTests {
    @Test(arguments: ["Hello\r\nBcc: victim@example.org", "Hello\nX-Injected: 1", "Hello\r"])
    func lineBreaksInTheSubjectAreRefused(subject: String) {
        #expect(throws: MailMessageError.lineBreakInHeader(field: "Subject")) {
            try Messages.make(subject: subject)
        }
    }

    @Test func lineBreaksInADisplayNameAreRefused() {
        #expect(throws: MailMessageError.lineBreakInHeader(field: "display name")) {
            try MailAddress("a@example.org", displayName: "Eve\r\nBcc: victim@example.org")
        }
    }

    @Test(arguments: ["no-at-sign", "a@b@c", "@example.org", "a@", "a b@example.org", "a@example.org>\r\nRCPT TO:<b@c", "zoë@example.org", "<a@example.org>"])
    func addressesThatCouldBreakTheEnvelopeAreRefused(address: String) {
        #expect(throws: MailMessageError.invalidAddress(address)) { try MailAddress(address) }
    }

    @Test func aMessageNeedsARecipient() throws {
        #expect(throws: MailMessageError.noRecipients) {
            try MailMessage(from: MailAddress("a@example.org"), to: [], subject: "s", textBody: "b")
        }
    }

    @Test func renderedHeadersAreRFC5322() throws {
        let message = try MailMessage(
            from: MailAddress("noreply@onconav.test", displayName: "OncoNav \"Care\" Team"),
            to: [MailAddress("a@example.org"), MailAddress("b@example.org", displayName: "Zoë")],
            subject: "Hi", textBody: "x", messageID: "<fixed@onconav.test>",
            date: Date(timeIntervalSince1970: 1_795_988_908))
        let headers = message.rendered().components(separatedBy: "\r\n\r\n")[0]
        #expect(headers == """
            Date: Sun, 29 Nov 2026 21:48:28 +0000\r
            From: "OncoNav \\"Care\\" Team" <noreply@onconav.test>\r
            To: a@example.org,\r
             =?utf-8?B?Wm/Dqw==?= <b@example.org>\r
            Subject: Hi\r
            Message-ID: <fixed@onconav.test>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable
            """)
    }

    @Test func messageIDIsMadeFromTheSendersDomain() throws {
        let message = try Messages.make()
        #expect(message.messageID.hasPrefix("<") && message.messageID.hasSuffix("@onconav.test>"))
    }

    @Test func nonASCIISubjectBecomesEncodedWordsOfAtMost75Characters() {
        let encoded = MailFormat.headerText(String(repeating: "é", count: 60), alreadyUsed: 9)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count == 3)
        #expect(words.allSatisfy { $0.hasPrefix("=?utf-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = words.map { word in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
        }.joined()
        #expect(decoded == String(repeating: "é", count: 60))
    }

    @Test func emojiAreNeverSplitAcrossEncodedWords() {
        let subject = String(repeating: "🎗️", count: 20)
        let words = MailFormat.encodedWords(subject).components(separatedBy: "\r\n ")
        for word in words {
            let bytes = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
            #expect(String(data: bytes, encoding: .utf8) != nil, "each word is valid UTF-8 on its own")
        }
    }

    @Test func quotedPrintableKeepsLinesShortAndEncodesWhatItMust() {
        let encoded = MailFormat.quotedPrintable("a=b café \n" + String(repeating: "x", count: 200) + "\r\nend\t")
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.first == "a=3Db caf=C3=A9=20")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.last == "end=09")
        let joined = lines.dropFirst().dropLast().map { $0.hasSuffix("=") ? String($0.dropLast()) : $0 }.joined()
        #expect(joined == String(repeating: "x", count: 200))
    }

    @Test func dataSectionUsesCRLFAndDoublesLeadingDots() {
        let data = SMTPDataEncoding.dataSection("Subject: x\n\n.hidden\r\nplain\r..\n.")
        #expect(data == "Subject: x\r\n\r\n..hidden\r\nplain\r\n...\r\n..\r\n.\r\n")
    }
}
