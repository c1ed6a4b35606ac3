/// A list field that may be left out of a knowledge file: a missing key decodes as `[]`.
///
/// Knowledge files are edited by hand; most items have no synonyms or exclusions, and
/// forcing `synonyms: []` on every one would only add noise.
@propertyWrapper
public struct ListDefault<Element: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var wrappedValue: [Element]

    public init(wrappedValue: [Element] = []) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? [] : try container.decode([Element].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// Lets synthesised `Decodable` treat a missing list as empty.
    public func decode<Element>(_ type: ListDefault<Element>.Type, forKey key: Key) throws -> ListDefault<Element> {
        try decodeIfPresent(type, forKey: key) ?? ListDefault()
    }
}
