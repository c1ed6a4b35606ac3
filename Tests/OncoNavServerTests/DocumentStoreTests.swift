import Crypto
import Foundation
import Testing
@testable import OncoNavServer

@Suite struct DocumentStoreTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("onconav-store-\(UUID().uuidString)")
    }

    @Test func storesEncryptedAndContentAddressed() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try DocumentStore.open(dataDirectory: directory, masterKeyBase64: nil)
        let secret = Data("Diagnosis: diffuse large B-cell lymphoma. CD19 positive.".utf8)
        let address = try store.put(secret)
        #expect(try store.put(secret) == address, "the same bytes get the same address")
        #expect(try store.get(address) == secret)

        let onDisk = try Data(contentsOf: store.path(for: address))
        #expect(onDisk.range(of: Data("lymphoma".utf8)) == nil, "the file on disk must not contain the plain text")
        #expect(onDisk.count == secret.count + 12 + 16, "nonce + ciphertext + tag")
        // The address is keyed: a plain SHA-256 of the content does not reveal it.
        #expect(address.hex != SHA256.hash(data: secret).map { String(format: "%02x", $0) }.joined())

        let keyFile = directory.appendingPathComponent("master.key")
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Re-opening with the same key file reads the same blob.
        #expect(try DocumentStore.open(dataDirectory: directory, masterKeyBase64: nil).get(address) == secret)
    }

    @Test func tamperingAndWrongKeysAreDetected() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        let store = try DocumentStore.open(dataDirectory: directory, masterKeyBase64: key)
        let address = try store.put(Data("ECOG 1".utf8))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("master.key").path), "an explicit key writes no key file")

        let other = try DocumentStore.open(dataDirectory: directory, masterKeyBase64: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() })
        #expect(throws: DocumentStore.StoreError.self) { try other.get(address) }

        var bytes = try Data(contentsOf: store.path(for: address))
        bytes[bytes.count - 1] ^= 0x01
        try bytes.write(to: store.path(for: address))
        #expect(throws: DocumentStore.StoreError.self) { try store.get(address) }
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DocumentStore.open(dataDirectory: directory, masterKeyBase64: nil)
        let keyFile = directory.appendingPathComponent("master.key")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        #expect(throws: DocumentStore.StoreError.self) { try DocumentStore.open(dataDirectory: directory, masterKeyBase64: nil) }
    }
}
