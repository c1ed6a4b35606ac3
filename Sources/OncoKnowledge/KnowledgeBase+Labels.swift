/// One label indication of one product.
public struct IndicationMatch: Codable, Sendable, Hashable {
    public var product: Product
    public var indication: LabelIndication
}

/// An approach and how far it has come for one cancer.
public struct ApproachMatch: Codable, Sendable, Hashable {
    public var approach: Approach
    public var stage: EvidenceStage
    /// The statement the stage comes from.
    public var evidence: EvidenceStatement
}

/// Label and approach queries by cancer.
extension KnowledgeBase {
    /// Whether an indication covers a cancer: the cancer is, or descends from, a covered
    /// id, and is not, and does not descend from, an excluded id.
    public func indication(_ indication: LabelIndication, covers cancerID: String) -> Bool {
        indication.cancers.contains { isA(cancerID, $0) }
            && !indication.excludedCancers.contains { isA(cancerID, $0) }
    }

    /// Active label indications covering `cancerID` (see `indication(_:covers:)`), in
    /// one region or all, optionally of one modality (e.g. `.carT`). Optionally screened
    /// by the number of prior lines and age: an indication is dropped only when the value
    /// given is known to fall outside it.
    public func indications(
        forCancer cancerID: String,
        region: Region? = nil,
        modality: TherapyModality? = nil,
        priorLines: Int? = nil,
        age: Int? = nil,
        includeWithdrawn: Bool = false
    ) -> [IndicationMatch] {
        var matches: [IndicationMatch] = []
        for product in content.products where modality == nil || product.modality == modality {
            for item in product.indications {
                guard includeWithdrawn || item.isActive,
                      region == nil || item.region == region,
                      indication(item, covers: cancerID)
                else { continue }
                if let priorLines, let minimum = item.minPriorLines, priorLines < minimum { continue }
                if let age, let low = item.ageMin, age < low { continue }
                if let age, let high = item.ageMax, age > high { continue }
                matches.append(IndicationMatch(product: product, indication: item))
            }
        }
        return matches
    }

    /// Approaches with an evidence statement that applies to `cancerID`, each with the
    /// stage from the most specific statement, most advanced first.
    public func approaches(forCancer cancerID: String) -> [ApproachMatch] {
        let lineage = ancestors(of: cancerID).union([cancerID])
        func depth(_ id: String) -> Int { ancestors(of: id).count }
        var result: [ApproachMatch] = []
        for approach in content.approaches {
            let applicable = approach.evidence.compactMap { statement -> (EvidenceStatement, Int)? in
                let hits = statement.cancers.filter { lineage.contains($0) }
                return hits.isEmpty ? nil : (statement, hits.map(depth).max() ?? 0)
            }
            guard let best = applicable.max(by: { ($0.1, $0.0.stage) < ($1.1, $1.0.stage) }) else { continue }
            result.append(ApproachMatch(approach: approach, stage: best.0.stage, evidence: best.0))
        }
        return result.sorted { ($0.stage, $1.approach.name) > ($1.stage, $0.approach.name) }
    }
}
