import Foundation
import OncoKnowledge

extension KnowledgeView {
    struct CancerPage: Codable, Sendable {
        let id: String
        let name: String
        let summary: String?
        let synonyms: String?
        let parent: Link?
        let subtypes: [Link]
        let hasSubtypes: Bool
        let approved: [IndicationRow]
        let hasApproved: Bool
        let approvedCarT: Bool
        let approvedModalities: String
        let inTrials: [ApproachStageRow]
        let hasTrials: Bool
        let standardOfCare: String?
        let carTRole: String?
        let research: String?
        let questions: [String]
        let hasQuestions: Bool
        let provenance: Provenance
    }

    struct ApproachStageRow: Codable, Sendable {
        let id: String
        let name: String
        let stage: String
        let note: String?
    }

    /// "Options for <cancer>": what is approved where, what is being studied, the standard
    /// of care and what to ask — assembled only from the knowledge base.
    static func cancerPage(_ cancer: CancerType, kb: KnowledgeBase) -> CancerPage {
        let matches = kb.indications(forCancer: cancer.id)
        let approved = matches.map { indicationRow($0.product, $0.indication, kb: kb) }
        let approaches = kb.approaches(forCancer: cancer.id)
        let studied = approaches.filter { $0.stage != .approved }.map {
            ApproachStageRow(id: $0.approach.id, name: $0.approach.name, stage: $0.stage.displayName, note: $0.evidence.note)
        }
        let landscape = kb.landscape(forCancer: cancer.id)
        let parent = cancer.parents.first.flatMap { kb.cancer(id: $0) }.map { Link(title: $0.name, href: "/learn/cancers/\($0.id)", note: nil) }
        let subtypes = kb.children(of: cancer.id).sorted { $0.name < $1.name }
            .map { Link(title: $0.name, href: "/learn/cancers/\($0.id)", note: nil) }
        var sourced: [any Sourced] = [cancer]
        sourced += matches.map(\.product) as [any Sourced]
        sourced += approaches.map(\.approach) as [any Sourced]
        if let landscape { sourced.append(landscape) }
        let modalities = Set(matches.map(\.product.modality)).map(\.displayName).sorted()
        return CancerPage(
            id: cancer.id, name: cancer.name, summary: cancer.summary, synonyms: cancer.synonyms.isEmpty ? nil : cancer.synonyms.joined(separator: ", "),
            parent: parent, subtypes: subtypes, hasSubtypes: !subtypes.isEmpty,
            approved: approved, hasApproved: !approved.isEmpty,
            approvedCarT: matches.contains { $0.product.modality == .carT },
            approvedModalities: modalities.joined(separator: ", "),
            inTrials: studied, hasTrials: !studied.isEmpty,
            standardOfCare: landscape?.standardOfCare, carTRole: landscape?.carTRole, research: landscape?.research,
            questions: landscape?.questionsToAsk ?? [], hasQuestions: !(landscape?.questionsToAsk ?? []).isEmpty,
            provenance: provenance(sourced, kb: kb))
    }
}
