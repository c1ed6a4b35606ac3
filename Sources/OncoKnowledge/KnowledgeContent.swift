/// The sections a knowledge file may hold. Every file under `knowledge/` is one of
/// these; sections left out are empty. The whole knowledge base has the same shape,
/// which is also its JSON export format.
public struct KnowledgeContent: Codable, Sendable, Hashable {
    @ListDefault public var sources: [Source]
    @ListDefault public var cancers: [CancerType]
    @ListDefault public var biomarkers: [Biomarker]
    @ListDefault public var drugClasses: [DrugClass]
    @ListDefault public var drugs: [Drug]
    @ListDefault public var regimens: [Regimen]
    @ListDefault public var approaches: [Approach]
    @ListDefault public var products: [Product]
    @ListDefault public var safety: [SafetyTopic]
    @ListDefault public var journey: [JourneyStep]
    @ListDefault public var landscapes: [CancerLandscape]
    @ListDefault public var glossary: [GlossaryEntry]
    @ListDefault public var faq: [FAQEntry]

    public init() {}

    /// Appends every section of `other`.
    mutating func append(_ other: KnowledgeContent) {
        sources += other.sources
        cancers += other.cancers
        biomarkers += other.biomarkers
        drugClasses += other.drugClasses
        drugs += other.drugs
        regimens += other.regimens
        approaches += other.approaches
        products += other.products
        safety += other.safety
        journey += other.journey
        landscapes += other.landscapes
        glossary += other.glossary
        faq += other.faq
    }
}

/// The kinds of item in the knowledge base; used in issues and search hits.
public enum ItemKind: String, Codable, Sendable, Hashable, CaseIterable {
    case source, cancer, biomarker, drugClass = "drug-class", drug, regimen, approach, product
    case indication, safety, journey, landscape, glossary, faq
}
