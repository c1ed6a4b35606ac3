import Foundation

/// What the sync reads of an API page before importing it: the paging token, the total and
/// each study's NCT ID. Decoding it checks that the whole page arrived as JSON, so a
/// truncated or garbled page is refetched rather than half imported.
struct RegistrySyncPage: Decodable {
    let studies: [StudyKey]
    let nextPageToken: String?
    let totalCount: Int?

    /// A study's NCT ID when it has one; any element decodes (a bad record is the importer's
    /// to report, not a reason to refuse the page).
    struct StudyKey: Decodable {
        let nctID: String?

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let study = try? decoder.container(keyedBy: Key.self)
            let protocolSection = try? study?.nestedContainer(keyedBy: Key.self, forKey: Key("protocolSection"))
            let identification = try? protocolSection?.nestedContainer(keyedBy: Key.self, forKey: Key("identificationModule"))
            nctID = (try? identification?.decodeIfPresent(String.self, forKey: Key("nctId"))) ?? nil
        }
    }

    /// Why the body is not an API page, or nil when it is one.
    static func decode(_ body: Data) -> Result<RegistrySyncPage, RegistrySyncError> {
        do {
            return .success(try JSONDecoder().decode(RegistrySyncPage.self, from: body))
        } catch {
            let reason = body.isEmpty ? "an empty body" : "\(body.count) bytes that are not an API page (\(String(describing: error).prefix(160)))"
            return .failure(.malformedPage(reason))
        }
    }
}

/// Why one request for a page did not give a usable page.
enum RegistrySyncError: Error, CustomStringConvertible {
    case transport(String)
    case malformedPage(String)
    case rateLimited(retryAfter: TimeInterval?)
    case server(status: UInt)
    case refused(status: UInt, body: String)
    case retryAfterTooLong(TimeInterval)

    var description: String {
        switch self {
        case .transport(let reason): "the request failed (\(reason))"
        case .malformedPage(let reason): "the registry sent \(reason)"
        case .rateLimited(let seconds): "the registry asked to slow down (HTTP 429\(seconds.map { ", Retry-After \(Int($0)) s" } ?? ""))"
        case .server(let status): "the registry answered HTTP \(status)"
        case .refused(let status, let body): "the registry refused the query (HTTP \(status)\(body.isEmpty ? "" : ": \(body)"))"
        case .retryAfterTooLong(let seconds): "the registry asked to wait \(Int(seconds)) s, longer than OncoNav waits within a run"
        }
    }

    /// Faults worth another attempt after a pause.
    var isRetryable: Bool {
        switch self {
        case .transport, .malformedPage, .rateLimited, .server: true
        case .refused, .retryAfterTooLong: false
        }
    }
}
