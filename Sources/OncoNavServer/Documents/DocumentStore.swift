import Crypto
import Foundation

/// Where uploaded documents (and the text extracted from them) live: content-addressed and
/// encrypted at rest with AES-GCM.
///
/// - The address is an HMAC-SHA256 of the content under a key derived from the master key,
///   so identical uploads share one blob, yet someone holding a file cannot confirm from the
///   directory listing that it is stored here.
/// - Each blob is sealed with AES-256-GCM (random 96-bit nonce, 128-bit tag) under a second
///   derived key, with the address as authenticated data: a blob renamed to another address
///   fails to open.
/// - Writes go to a temporary file, are flushed and renamed into place, so a crash leaves
///   either the whole blob or nothing.
///
/// The master key comes from `ONCONAV_MASTER_KEY` (32 bytes, base64) or, when that is not
/// set, from `master.key` in the data directory, generated with mode 0600 on first start.
/// Losing the key loses the documents: back it up separately from the data directory.
public struct DocumentStore: Sendable {
    public struct Address: Hashable, Sendable, CustomStringConvertible {
        public let hex: String
        public init?(_ hex: String) {
            guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
            self.hex = hex
        }
        public var description: String { hex }
    }

    public enum StoreError: Error, CustomStringConvertible {
        case missing(Address)
        case damaged(Address)
        case keyFile(String)

        public var description: String {
            switch self {
            case .missing(let address): "The stored document \(address.hex.prefix(12))… is missing from the document store."
            case .damaged(let address): "The stored document \(address.hex.prefix(12))… could not be decrypted (wrong key or damaged file)."
            case .keyFile(let detail): detail
            }
        }
    }

    public let directory: URL
    private let sealingKey: SymmetricKey
    private let addressingKey: SymmetricKey
    /// Seals short secrets kept in the database (an email's one-time link until it is sent),
    /// so that a copy of the database alone reveals none.
    private let secretsKey: SymmetricKey
    /// Signs CSRF form tokens (bound to the browser's cookie and session).
    let formTokenKey: SymmetricKey

    public init(directory: URL, masterKey: SymmetricKey) throws {
        self.directory = directory
        self.sealingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("onconav document sealing v1".utf8), outputByteCount: 32)
        self.addressingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("onconav document addressing v1".utf8), outputByteCount: 32)
        self.secretsKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("onconav database secrets v1".utf8), outputByteCount: 32)
        self.formTokenKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Data("onconav form tokens v1".utf8), outputByteCount: 32)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// The store for a data directory: `<data>/documents`, keyed by `masterKeyBase64` or the
    /// key file `<data>/master.key` (created with mode 0600 when missing).
    public static func open(dataDirectory: URL, masterKeyBase64: String?) throws -> DocumentStore {
        let key = try masterKey(dataDirectory: dataDirectory, base64: masterKeyBase64)
        return try DocumentStore(directory: dataDirectory.appendingPathComponent("documents", isDirectory: true), masterKey: key)
    }

    static func masterKey(dataDirectory: URL, base64: String?) throws -> SymmetricKey {
        if let base64, let data = Data(base64Encoded: base64), data.count == 32 {
            return SymmetricKey(data: data)
        }
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let keyFile = dataDirectory.appendingPathComponent("master.key")
        if fileManager.fileExists(atPath: keyFile.path) {
            let attributes = try fileManager.attributesOfItem(atPath: keyFile.path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw StoreError.keyFile("\(keyFile.path) is readable by other users (mode \(String(mode, radix: 8))); run `chmod 600 \(keyFile.path)`.")
            }
            let text = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw StoreError.keyFile("\(keyFile.path) does not hold a 32-byte base64 key; restore it from your backup.")
            }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() }
        // Create with 0600 from the start: the key is never readable by others, not even briefly.
        guard fileManager.createFile(atPath: keyFile.path, contents: Data((encoded + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw StoreError.keyFile("Could not create the key file \(keyFile.path); check that the data directory is writable.")
        }
        return key
    }

    /// `secret` sealed with AES-GCM (base64), bound to `context` (a row's id, say) so a sealed
    /// value copied to another row does not open there.
    func sealSecret(_ secret: String, context: String) throws -> String {
        let sealed = try AES.GCM.seal(Data(secret.utf8), using: secretsKey, authenticating: Data(context.utf8))
        guard let combined = sealed.combined else { throw CocoaError(.coderInvalidValue) }
        return combined.base64EncodedString()
    }

    /// The secret `sealSecret` sealed, or nil when it does not open (wrong key, row or data).
    func openSecret(_ sealed: String, context: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let opened = try? AES.GCM.open(box, using: secretsKey, authenticating: Data(context.utf8)) else { return nil }
        return String(data: opened, encoding: .utf8)
    }

    /// The address `data` would be stored under.
    public func address(of data: Data) -> Address {
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: addressingKey)
        return Address(mac.map { String(format: "%02x", $0) }.joined())!
    }

    /// Stores `data` (once: storing the same bytes again is a no-op) and returns its address.
    @discardableResult
    public func put(_ data: Data) throws -> Address {
        let address = address(of: data)
        let file = path(for: address)
        if FileManager.default.fileExists(atPath: file.path) { return address }
        let sealed = try AES.GCM.seal(data, using: sealingKey, authenticating: Data(address.hex.utf8))
        guard let combined = sealed.combined else { throw StoreError.damaged(address) }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: combined)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, file.path) != 0 { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return address
    }

    /// The decrypted bytes at `address`.
    public func get(_ address: Address) throws -> Data {
        let file = path(for: address)
        guard let combined = FileManager.default.contents(atPath: file.path) else { throw StoreError.missing(address) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: sealingKey, authenticating: Data(address.hex.utf8))
        } catch {
            throw StoreError.damaged(address)
        }
    }

    public func contains(_ address: Address) -> Bool {
        FileManager.default.fileExists(atPath: path(for: address).path)
    }

    /// Removes the blob (the caller checks that nothing refers to it any more).
    public func remove(_ address: Address) throws {
        let file = path(for: address)
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
    }

    /// The on-disk path: two levels of fan-out keep directories small.
    func path(for address: Address) -> URL {
        let hex = address.hex
        return directory
            .appendingPathComponent(String(hex.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(hex.dropFirst(2).prefix(2)), isDirectory: true)
            .appendingPathComponent(hex)
    }
}
