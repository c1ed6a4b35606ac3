import Foundation
import NIOSSL
import Testing
@testable import OncoMail

/// `openssl` makes the test certificates; like aiosmtpd, CI requires it.
private var opensslAvailableOrRequired: Bool {
    SMTPTestServer.required || (try? SMTPTestServer.run("openssl", ["version"])) == 0
}

/// STARTTLS against aiosmtpd with a certificate made for the test by `openssl`.
@Suite(.enabled(if: SMTPTestServer.availableOrRequired && opensslAvailableOrRequired, "needs python3-aiosmtpd and openssl"))
struct SMTPTLSTests {

    /// A self-signed certificate for `localhost`, in a fresh folder.
    static func makeCertificate() throws -> (certificate: String, key: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onconav-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let status = try SMTPTestServer.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", certificate,
        ])
        try #require(status == 0, "openssl could not make a test certificate")
        return (certificate, key)
    }

    @Test func credentialsTravelOnlyAfterSTARTTLS() async throws {
        let tls = try Self.makeCertificate()
        try await SMTPTestServer.with(["--auth", "mailer:secret", "--tls-cert", tls.certificate, "--tls-key", tls.key]) { server in
            // given a server that offers STARTTLS with a certificate we were told to trust
            var configuration = try SMTPConfiguration(url: "smtp://mailer:secret@localhost:\(server.port)")
            configuration.tls.trustRoots = .file(tls.certificate)
            // when
            try await SMTPClient(configuration: configuration).send(Messages.make())
            // then
            let received = try #require(try await server.received(count: 1).first)
            #expect(received.tls)
            #expect(received.auth?.user == "mailer")
        }
    }

    @Test func untrustedCertificateFailsTheHandshake() async throws {
        let tls = try Self.makeCertificate()
        try await SMTPTestServer.with(["--tls-cert", tls.certificate, "--tls-key", tls.key]) { server in
            let configuration = try SMTPConfiguration(url: "smtp://localhost:\(server.port)?tls=starttls&timeout=5")
            let error = await #expect(throws: SMTPError.self) { try await SMTPClient(configuration: configuration).send(Messages.make()) }
            guard case .tlsHandshakeFailed(let host, _) = error else {
                Issue.record("expected .tlsHandshakeFailed, got \(String(describing: error))")
                return
            }
            #expect(host == "localhost")
            #expect(try await server.received(count: 0).isEmpty)
        }
    }
}
