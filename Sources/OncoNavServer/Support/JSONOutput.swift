import Foundation
import Vapor

/// The one way OncoNav writes JSON it builds itself (knowledge API, OpenAPI document,
/// command-line `--json`): sorted keys and unescaped slashes, so output is stable and
/// URLs stay readable.
enum JSONOutput {
    static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func response(_ value: some Encodable, pretty: Bool = false) throws -> Response {
        let response = Response(status: .ok, body: .init(data: try encoder(pretty: pretty).encode(value)))
        response.headers.contentType = .json
        return response
    }
}
