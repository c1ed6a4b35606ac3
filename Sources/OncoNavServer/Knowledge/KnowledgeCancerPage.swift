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
        /// Label cards grouped by product: this cancer's approvals and its subtypes'.
        let approved: [ProductApprovals]
        let hasApproved: Bool
        /// Standard treatments are described on these subtypes' pages (this one has none).
        let standardOnSubtypes: [Link]
        let hasStandardOnSubtypes: Bool
        /// The trial search, prefilled with this cancer.
        let trialsLink: String
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

    /// One product's approvals on a cancer page, every region together.
    struct ProductApprovals: Codable, Sendable {
        let product: String
        let productID: String
        let generic: String
        let modality: String
        let indications: [IndicationRow]
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
        let matches = approvals(for: cancer, kb: kb)
        let approved = group(matches, cancer: cancer, kb: kb)
        let standardOnSubtypes = kb.landscape(forCancer: cancer.id) != nil ? [] : kb.descendants(of: cancer.id)
            .compactMap { id in kb.landscapes.first { $0.cancer == id }.flatMap { _ in kb.cancer(id: id) } }
            .sorted { $0.name < $1.name }.map { Link(title: $0.name, href: "/learn/cancers/\($0.id)", note: nil) }
        let approaches = kb.approaches(forCancer: cancer.id)
        let studied = approaches.filter { $0.stage != .approved }.map {
            ApproachStageRow(id: $0.approach.id, name: $0.approach.name, stage: $0.stage.displayName, note: $0.evidence.note)
        }
        let landscape = kb.landscape(forCancer: cancer.id)
        let parent = cancer.parents.first.flatMap { kb.cancer(id: $0) }.map { Link(title: $0.name, href: "/learn/cancers/\($0.id)", note: nil) }
        let subtypes = kb.children(of: cancer.id).sorted { $0.name < $1.name }
            .map { Link(title: $0.name, href: "/learn/cancers/\($0.id)", note: nil) }
        var sourced: [any Sourced] = [cancer]
        sourced += matches.map { $0.product } as [any Sourced]
        sourced += approaches.map(\.approach) as [any Sourced]
        if let landscape { sourced.append(landscape) }
        let modalities = Set(matches.map { $0.product.modality }).map(\.displayName).sorted()
        return CancerPage(
            id: cancer.id, name: cancer.name, summary: cancer.summary, synonyms: cancer.synonyms.isEmpty ? nil : cancer.synonyms.joined(separator: ", "),
            parent: parent, subtypes: subtypes, hasSubtypes: !subtypes.isEmpty,
            approved: approved, hasApproved: !approved.isEmpty,
            standardOnSubtypes: standardOnSubtypes, hasStandardOnSubtypes: !standardOnSubtypes.isEmpty,
            trialsLink: "/trials?condition=\(cancer.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&recruiting=on",
            approvedCarT: matches.contains { $0.product.modality == .carT },
            approvedModalities: modalities.joined(separator: ", "),
            inTrials: studied, hasTrials: !studied.isEmpty,
            standardOfCare: landscape?.standardOfCare, carTRole: landscape?.carTRole, research: landscape?.research,
            questions: landscape?.questionsToAsk ?? [], hasQuestions: !(landscape?.questionsToAsk ?? []).isEmpty,
            provenance: provenance(sourced, kb: kb))
    }

    /// Approvals covering the cancer (or a group it belongs to), then those of its
    /// subtypes: a parent's page must not hide the EU or Japanese approval of a subtype.
    static func approvals(for cancer: CancerType, kb: KnowledgeBase) -> [Approval] {
        let own = kb.indications(forCancer: cancer.id).map { Approval(product: $0.product, indication: $0.indication) }
        let ownIDs = Set(own.map { $0.indication.id })
        let subtypes = kb.descendants(of: cancer.id)
        var extra: [Approval] = []
        for product in kb.products {
            for item in product.indications where item.isActive && !ownIDs.contains(item.id) && item.cancers.contains(where: subtypes.contains) {
                extra.append(Approval(product: product, indication: item))
            }
        }
        return own + extra
    }

    typealias Approval = (product: Product, indication: LabelIndication)

    /// Label cards grouped by product (products in the knowledge base's order), each card
    /// saying which subtype it covers when it is not the page's cancer.
    static func group(_ matches: [Approval], cancer: CancerType, kb: KnowledgeBase) -> [ProductApprovals] {
        var order: [String] = []
        var byProduct: [String: [Approval]] = [:]
        for match in matches {
            if byProduct[match.product.id] == nil { order.append(match.product.id) }
            byProduct[match.product.id, default: []].append(match)
        }
        return order.compactMap { id in
            guard let items = byProduct[id], let product = items.first?.product else { return nil }
            let rows = items.sorted { ($0.indication.region.rawValue, $0.indication.id) < ($1.indication.region.rawValue, $1.indication.id) }.map { match in
                var row = indicationRow(product, match.indication, kb: kb)
                if !kb.indication(match.indication, covers: cancer.id) {
                    let names = match.indication.cancers.compactMap { kb.cancer(id: $0)?.name }
                    row.scope = "For the subtype\(names.count == 1 ? "" : "s") " + names.joined(separator: ", ")
                }
                return row
            }
            return ProductApprovals(product: product.brand, productID: product.id, generic: product.generic, modality: product.modality.displayName, indications: rows)
        }
    }
}
