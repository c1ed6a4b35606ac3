import Foundation
import Vapor

/// One answer from the registry, as the sync needs it.
public struct RegistryResponse: Sendable {
    public var status: UInt
    /// The `Retry-After` header, when the registry sent one (seconds or an HTTP date).
    public var retryAfter: String?
    public var body: Data

    public init(status: UInt, retryAfter: String? = nil, body: Data) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }
}

/// The outside service behind the sync: GET a URL within a time limit. The live value uses
/// Vapor's shared HTTP client (AsyncHTTPClient); tests use the same live value against a
/// replay server on localhost, so the real HTTP path is what they exercise.
public protocol RegistryClient: Sendable {
    func get(_ url: URL, timeout: TimeInterval) async throws -> RegistryResponse
}

/// `RegistryClient` over `app.client`.
public struct LiveRegistryClient: RegistryClient {
    let client: any Client

    public init(client: any Client) { self.client = client }

    public func get(_ url: URL, timeout: TimeInterval) async throws -> RegistryResponse {
        let response = try await client.get(URI(string: url.absoluteString)) { request in
            request.timeout = .milliseconds(Int64(max(timeout, 0.001) * 1_000))
            request.headers.replaceOrAdd(name: .accept, value: "application/json")
            request.headers.replaceOrAdd(name: .userAgent, value: "OncoNav registry sync")
        }
        let body = response.body.map { Data(buffer: $0) } ?? Data()
        return RegistryResponse(status: response.status.code, retryAfter: response.headers.first(name: "Retry-After"), body: body)
    }
}

extension Application {
    private struct RegistryClientKey: StorageKey { typealias Value = any RegistryClient }

    /// The registry client the sync uses (live unless replaced).
    public var registryClient: any RegistryClient {
        get { storage[RegistryClientKey.self] ?? LiveRegistryClient(client: client) }
        set { storage[RegistryClientKey.self] = newValue }
    }
}
