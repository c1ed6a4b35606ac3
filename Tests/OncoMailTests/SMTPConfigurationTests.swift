import Testing
@testable import OncoMail

/// Reading `ONCONAV_SMTP_URL`.
struct SMTPConfigurationTests {
    @Test func submissionPortWithCredentialsRequiresSTARTTLS() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mailer%40onconav.org:p%40ss@mail.example.org:587")
        #expect(configuration.host == "mail.example.org")
        #expect(configuration.port == 587)
        #expect(configuration.security == .startTLS(required: true))
        #expect(configuration.credentials == .init(username: "mailer@onconav.org", password: "p@ss"))
    }

    @Test func withoutCredentialsSTARTTLSIsUsedWhenOffered() throws {
        let configuration = try SMTPConfiguration(url: "smtp://relay.internal")
        #expect(configuration.security == .startTLS(required: false))
        #expect(configuration.port == 587)
        #expect(configuration.credentials == nil)
    }

    @Test func smtpsIsImplicitTLSOnPort465() throws {
        let configuration = try SMTPConfiguration(url: "smtps://user:pass@mail.example.org")
        #expect(configuration.security == .implicitTLS)
        #expect(configuration.port == 465)
    }

    @Test func implicitTLSOnAnSMTPURLDefaultsToPort465() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.org?tls=implicit")
        #expect(configuration.security == .implicitTLS)
        #expect(configuration.port == 465)
    }

    @Test func localTestServerWithoutTLSAndAnEnvelopeSender() throws {
        let configuration = try SMTPConfiguration(url: "smtp://localhost:2525?tls=none&from=bounces@onconav.org&helo=app.onconav.org&timeout=2.5")
        #expect(configuration.security == .plaintext)
        #expect(configuration.port == 2525)
        #expect(configuration.envelopeSender == "bounces@onconav.org")
        #expect(configuration.heloName == "app.onconav.org")
        #expect(configuration.replyTimeout == .milliseconds(2500))
        #expect(configuration.connectTimeout == .milliseconds(2500))
    }

    @Test func ipv6LiteralLosesItsBrackets() throws {
        let configuration = try SMTPConfiguration(url: "smtp://[::1]:2525?tls=none")
        #expect(configuration.host == "::1")
        #expect(configuration.serverHostname == nil)
    }

    @Test(arguments: [
        ("http://mail.example.org", SMTPConfigurationError.unsupportedScheme("http")),
        ("smtp://", .missingHost),
        ("smtp://:secret@mail.example.org", .passwordWithoutUser),
        ("smtp://mail.example.org?tsl=none", .unknownParameter("tsl")),
        ("smtp://mail.example.org?from=nobody", .invalidParameter(name: "from", value: "nobody", expected: "an e-mail address such as noreply@example.org")),
        ("smtp://mail.example.org?timeout=-1", .invalidParameter(name: "timeout", value: "-1", expected: "seconds, from 0 to 3600")),
        ("smtps://mail.example.org?tls=none", .invalidParameter(name: "tls", value: "none", expected: "implicit (smtps:// is always TLS)")),
        ("not a url at all", .notAURL),
    ])
    func badURLsAreRefusedWithAReason(url: String, expected: SMTPConfigurationError) {
        #expect(throws: expected) { try SMTPConfiguration(url: url) }
    }

    @Test func portOutOfRangeIsRefused() {
        #expect(throws: SMTPConfigurationError.invalidPort("70000")) { try SMTPConfiguration(url: "smtp://mail.example.org:70000") }
    }

    @Test func thePasswordIsNeverPrinted() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mailer:hunter2-secret@mail.example.org:587")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(reflecting: configuration), dumped, "\(configuration.credentials!)"] {
            #expect(!text.contains("hunter2-secret"), "printed: \(text.prefix(80))")
        }
        #expect("\(configuration)" == "smtp://mailer:<redacted>@mail.example.org:587 (tls: starttls)")
    }
}
