/// The loaded, indexed knowledge base. Immutable: load a new one to see edits.
///
/// Encodes as `KnowledgeContent` (every section, in file order), which is what
/// `kb export --format json` writes.
public struct KnowledgeBase: Sendable, Codable {
    /// Everything that was loaded, in file order (duplicates kept, for the validator).
    public let content: KnowledgeContent
    /// Where each item came from: `files[kind][i]` is the file of the i-th item of that
    /// kind's section (relative to the knowledge directory). Empty for built-in KBs.
    public let files: [ItemKind: [String]]
    /// Problems found while reading files that did not stop the load (unknown fields).
    public let loadIssues: [KnowledgeIssue]
    let index: Index

    public init(content: KnowledgeContent, files: [ItemKind: [String]] = [:], loadIssues: [KnowledgeIssue] = []) {
        self.content = content
        self.files = files
        self.loadIssues = loadIssues
        self.index = Index(content)
    }

    public init(from decoder: any Decoder) throws {
        self.init(content: try KnowledgeContent(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try content.encode(to: encoder)
    }

    // MARK: Sections

    public var sources: [Source] { content.sources }
    public var cancers: [CancerType] { content.cancers }
    public var biomarkers: [Biomarker] { content.biomarkers }
    public var drugClasses: [DrugClass] { content.drugClasses }
    public var drugs: [Drug] { content.drugs }
    public var regimens: [Regimen] { content.regimens }
    public var approaches: [Approach] { content.approaches }
    public var products: [Product] { content.products }
    public var safety: [SafetyTopic] { content.safety }
    public var journey: [JourneyStep] { content.journey.sorted { $0.order < $1.order } }
    public var landscapes: [CancerLandscape] { content.landscapes }
    public var glossary: [GlossaryEntry] { content.glossary }
    public var faq: [FAQEntry] { content.faq }

    // MARK: By id (first occurrence wins when an id is duplicated)

    public func source(id: String) -> Source? { index.sources[id] }
    public func cancer(id: String) -> CancerType? { index.cancers[id] }
    public func biomarker(id: String) -> Biomarker? { index.biomarkers[id] }
    public func drugClass(id: String) -> DrugClass? { index.drugClasses[id] }
    public func drug(id: String) -> Drug? { index.drugs[id] }
    public func regimen(id: String) -> Regimen? { index.regimens[id] }
    public func approach(id: String) -> Approach? { index.approaches[id] }
    public func product(id: String) -> Product? { index.products[id] }
    public func landscape(forCancer id: String) -> CancerLandscape? {
        content.landscapes.first { $0.cancer == id }
            ?? ancestors(of: id).lazy.compactMap { a in content.landscapes.first { $0.cancer == a } }.first
    }

    /// The file an item was loaded from, if known.
    public func file(of kind: ItemKind, at position: Int) -> String? {
        guard let list = files[kind], list.indices.contains(position) else { return nil }
        return list[position]
    }
}

/// Lookup tables built once when the knowledge base is created.
struct Index: Sendable {
    var sources: [String: Source] = [:]
    var cancers: [String: CancerType] = [:]
    var biomarkers: [String: Biomarker] = [:]
    var drugClasses: [String: DrugClass] = [:]
    var drugs: [String: Drug] = [:]
    var regimens: [String: Regimen] = [:]
    var approaches: [String: Approach] = [:]
    var products: [String: Product] = [:]
    /// Cancer id → every ancestor id (transitive, not including itself).
    var ancestors: [String: Set<String>] = [:]
    /// Cancer id → direct children.
    var children: [String: [String]] = [:]
    /// Normalised term → ids, per lexicon.
    var cancerTerms: [String: Set<String>] = [:]
    /// Normalised cancer names that may be matched with misspellings: written words,
    /// not acronyms or ids ("myeloma" yes; "DLBCL", "dlbcl-nos" no).
    var fuzzyCancerTerms: Set<String> = []
    var drugTerms: [String: Set<String>] = [:]
    var regimenTerms: [String: Set<String>] = [:]
    var productTerms: [String: Set<String>] = [:]
    var documents: [SearchDocument] = []

    init(_ c: KnowledgeContent) {
        func firstWins<T: Identifiable>(_ items: [T]) -> [String: T] where T.ID == String {
            var map: [String: T] = [:]
            for item in items where map[item.id] == nil { map[item.id] = item }
            return map
        }
        sources = firstWins(c.sources)
        cancers = firstWins(c.cancers)
        biomarkers = firstWins(c.biomarkers)
        drugClasses = firstWins(c.drugClasses)
        drugs = firstWins(c.drugs)
        regimens = firstWins(c.regimens)
        approaches = firstWins(c.approaches)
        products = firstWins(c.products)

        for cancer in cancers.values {
            for parent in cancer.parents { children[parent, default: []].append(cancer.id) }
        }
        for id in cancers.keys { ancestors[id] = Self.closure(of: id, in: cancers) }

        for cancer in cancers.values {
            for term in [cancer.name, cancer.id] + cancer.synonyms {
                cancerTerms[TextMatching.normalize(term), default: []].insert(cancer.id)
            }
            for term in [cancer.name] + cancer.synonyms where !TextMatching.isAcronym(term) {
                fuzzyCancerTerms.insert(TextMatching.normalize(term))
            }
        }
        for drug in drugs.values {
            for term in [drug.generic, drug.id] + drug.brands + drug.synonyms {
                drugTerms[TextMatching.compact(term), default: []].insert(drug.id)
            }
        }
        for regimen in regimens.values {
            for term in [regimen.acronym, regimen.id] + regimen.synonyms + [regimen.name].compactMap({ $0 }) {
                regimenTerms[TextMatching.compact(term), default: []].insert(regimen.id)
            }
        }
        for product in products.values {
            for term in [product.brand, product.generic, product.id] + product.synonyms {
                productTerms[TextMatching.compact(term), default: []].insert(product.id)
            }
        }
        documents = SearchDocument.documents(for: c)
    }

    /// Every ancestor of `id`; safe against cycles (the validator reports those).
    private static func closure(of id: String, in cancers: [String: CancerType]) -> Set<String> {
        var seen: Set<String> = []
        var stack = cancers[id]?.parents ?? []
        while let next = stack.popLast() {
            guard next != id, seen.insert(next).inserted else { continue }
            stack += cancers[next]?.parents ?? []
        }
        return seen
    }
}
