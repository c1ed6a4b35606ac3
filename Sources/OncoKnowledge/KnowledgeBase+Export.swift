import Foundation

extension KnowledgeBase {
    /// A knowledge base with nothing in it (for tests of other modules and for start-up
    /// before the files are loaded).
    public static let empty = KnowledgeBase(content: KnowledgeContent())

    /// The whole knowledge base as JSON (`kb export --format json`): every section in file
    /// order, keys sorted so exports diff cleanly, dates as `YYYY-MM-DD` strings.
    public func exportJSON(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        return try encoder.encode(self)
    }

    /// One label indication by its id, with its product (for citing a verdict's source).
    public func indication(id: String) -> IndicationMatch? {
        for product in content.products {
            if let item = product.indications.first(where: { $0.id == id }) {
                return IndicationMatch(product: product, indication: item)
            }
        }
        return nil
    }

    /// The direct children of a cancer in the ontology.
    public func children(of id: String) -> [CancerType] {
        (index.children[id] ?? []).sorted().compactMap { cancer(id: $0) }
    }

    /// The sources an item cites, resolved (unknown ids are skipped; the validator reports them).
    public func sources(for ids: [SourceID]) -> [Source] {
        ids.compactMap { source(id: $0) }
    }
}
