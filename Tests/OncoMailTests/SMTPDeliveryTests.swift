import Foundation
import Testing
@testable import OncoMail

/// Sending to a real SMTP server (aiosmtpd) and reading back what it received.
@Suite(.enabled(if: SMTPTestServer.availableOrRequired, "needs python3-aiosmtpd"))
struct SMTPDeliveryTests {
    @Test func plainMessageArrivesWithItsHeadersAndBody() async throws {
        try await SMTPTestServer.with { server in
            // given
            let message = try Messages.make(text: "Hello,\nyour summary is ready.\n")
            // when
            try await SMTPClient(configuration: SMTPConfiguration(url: server.url())).send(message)
            // then
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.mailFrom == Messages.sender)
            #expect(received.rcptTos == ["patient@example.org"])
            #expect(received.subject == "Your visit summary")
            #expect(received.headers["From"] == "OncoNav <noreply@onconav.test>")
            #expect(received.headers["Message-ID"] == message.messageID)
            #expect(received.headers["Date"]?.hasSuffix("+0000") == true)
            #expect(received.headers["Content-Type"] == "text/plain; charset=\"utf-8\"" || received.headers["Content-Type"] == "text/plain; charset=utf-8")
            #expect(received.textLines.prefix(2) == ["Hello,", "your summary is ready."])
            #expect(received.defects.isEmpty)
        }
    }

    @Test func linesStartingWithADotSurviveDotStuffing() async throws {
        try await SMTPTestServer.with { server in
            let text = "Before\n.\n.hidden line\n..two dots\nAfter"
            try await SMTPClient(configuration: SMTPConfiguration(url: server.url())).send(Messages.make(text: text))
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.textLines.prefix(5) == ["Before", ".", ".hidden line", "..two dots", "After"])
        }
    }

    @Test func nonASCIISubjectAndBodyAreDecodedByTheReceiver() async throws {
        try await SMTPTestServer.with { server in
            let subject = "Résumé de votre consultation — 肿瘤科 🎗️ with a long tail to force several encoded words"
            let text = "Bonjour Zoë,\nvoici le résumé. ½ dose, 37,5 °C.\n"
            try await SMTPClient(configuration: SMTPConfiguration(url: server.url())).send(Messages.make(subject: subject, text: text))
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.subject == subject)
            #expect(received.textLines.prefix(2) == ["Bonjour Zoë,", "voici le résumé. ½ dose, 37,5 °C."])
            let sevenBit = received.raw.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(sevenBit, "the message on the wire is 7-bit")
            #expect(received.defects.isEmpty)
        }
    }

    @Test func everyRecipientIsOnTheEnvelopeAndInTheToHeader() async throws {
        try await SMTPTestServer.with { server in
            let recipients = ["a@example.org", "b@example.org", "c@example.net"]
            try await SMTPClient(configuration: SMTPConfiguration(url: server.url())).send(Messages.make(to: recipients))
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.rcptTos == recipients)
            #expect(received.headers["To"] == recipients.joined(separator: ", "))
        }
    }

    @Test func htmlAlternativeTravelsAsMultipartAlternative() async throws {
        try await SMTPTestServer.with { server in
            let html = "<p>Your <b>summary</b> is ready — <a href=\"https://onconav.test/s?a=1&b=2\">open it</a>.</p>"
            try await SMTPClient(configuration: SMTPConfiguration(url: server.url()))
                .send(Messages.make(text: "Your summary is ready.", html: html))
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.contentType == "multipart/alternative")
            #expect(received.textLines.first == "Your summary is ready.")
            #expect(received.html?.trimmingCharacters(in: .whitespacesAndNewlines) == html)
        }
    }

    @Test func envelopeSenderComesFromTheURLWhenGiven() async throws {
        try await SMTPTestServer.with { server in
            let url = server.url(query: "&from=bounces@onconav.test")
            try await SMTPClient(configuration: SMTPConfiguration(url: url)).send(Messages.make())
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.mailFrom == "bounces@onconav.test")
            #expect(received.headers["From"] == "OncoNav <noreply@onconav.test>")
        }
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func authenticatesWithTheMechanismTheServerOffers(mechanism: String) async throws {
        try await SMTPTestServer.with(["--auth", "mailer:s3cret pass", "--auth-mechanisms", mechanism]) { server in
            let url = server.url(user: "mailer:s3cret%20pass")
            try await SMTPClient(configuration: SMTPConfiguration(url: url)).send(Messages.make())
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.auth?.user == "mailer")
            #expect(received.auth?.mechanism == mechanism)
        }
    }

    @Test func severalMessagesOneAfterAnotherEachArrive() async throws {
        try await SMTPTestServer.with { server in
            let client = try SMTPClient(configuration: SMTPConfiguration(url: server.url()))
            for number in 1...3 {
                try await client.send(Messages.make(subject: "Reminder \(number)"))
            }
            let received = try await server.received(count: 3)
            #expect(Set(received.map(\.subject)) == ["Reminder 1", "Reminder 2", "Reminder 3"])
        }
    }
}
