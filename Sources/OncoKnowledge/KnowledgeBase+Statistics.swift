/// Counts of what the knowledge base holds, for `kb check` output and status pages.
public struct KnowledgeStatistics: Codable, Sendable, Hashable {
    public var sources: Int
    public var cancers: Int
    public var biomarkers: Int
    public var drugClasses: Int
    public var drugs: Int
    public var regimens: Int
    public var approaches: Int
    public var products: Int
    /// Active (not withdrawn or superseded) indications per region raw value.
    public var activeIndicationsByRegion: [String: Int]
    public var safetyTopics: Int
    public var journeySteps: Int
    public var landscapes: Int
    public var glossary: Int
    public var faq: Int
}

extension KnowledgeBase {
    /// How many items of each kind the knowledge base holds.
    public var statistics: KnowledgeStatistics {
        var byRegion: [String: Int] = [:]
        for product in content.products {
            for indication in product.indications where indication.isActive {
                byRegion[indication.region.rawValue, default: 0] += 1
            }
        }
        return KnowledgeStatistics(
            sources: content.sources.count, cancers: content.cancers.count,
            biomarkers: content.biomarkers.count, drugClasses: content.drugClasses.count,
            drugs: content.drugs.count, regimens: content.regimens.count,
            approaches: content.approaches.count, products: content.products.count,
            activeIndicationsByRegion: byRegion, safetyTopics: content.safety.count,
            journeySteps: content.journey.count, landscapes: content.landscapes.count,
            glossary: content.glossary.count, faq: content.faq.count)
    }
}
