import Foundation
import OncoKnowledge

/// View models for the knowledge pages: plain values with text ready to show. Every page
/// carries its sources and the date it was last reviewed.
enum KnowledgeView {
    struct SourceRow: Codable, Sendable {
        let title: String
        let publisher: String
        let url: String
        let accessed: String
    }

    struct Provenance: Codable, Sendable {
        let sources: [SourceRow]
        let reviewed: String
    }

    static func provenance(_ items: [any Sourced], kb: KnowledgeBase) -> Provenance {
        var seen = Set<String>()
        var rows: [SourceRow] = []
        for id in items.flatMap(\.sources) where seen.insert(id).inserted {
            guard let source = kb.source(id: id) else { continue }
            rows.append(SourceRow(title: source.title, publisher: source.publisher, url: source.url, accessed: source.accessed?.description ?? ""))
        }
        // The oldest review date is the honest one for a page built from several items.
        let reviewed = items.compactMap(\.reviewed).min()
        return Provenance(sources: rows, reviewed: reviewed?.description ?? "not recorded")
    }

    struct Link: Codable, Sendable {
        let title: String
        let href: String
        let note: String?
    }

    struct ApproachCard: Codable, Sendable {
        let id: String
        let name: String
        let modality: String
        let isComparator: Bool
        let summary: String
        let relevantWhen: String
        let stage: String
        let risks: [String]
    }

    static func card(_ approach: Approach) -> ApproachCard {
        let best = approach.evidence.map(\.stage).max()
        return ApproachCard(
            id: approach.id, name: approach.name, modality: approach.modality.displayName,
            isComparator: approach.modality.isComparator, summary: approach.summary, relevantWhen: approach.relevantWhen,
            stage: best?.displayName ?? "Not stated", risks: approach.risks)
    }

    struct EvidenceRow: Codable, Sendable {
        let stage: String
        let cancers: String
        let note: String?
    }

    struct ApproachPage: Codable, Sendable {
        let approach: ApproachCard
        let evidence: [EvidenceRow]
        let related: [Link]
        let hasRelated: Bool
        let provenance: Provenance
    }

    static func approachPage(_ approach: Approach, kb: KnowledgeBase) -> ApproachPage {
        let evidence = approach.evidence.map { statement in
            EvidenceRow(stage: statement.stage.displayName,
                        cancers: statement.cancers.map { kb.cancer(id: $0)?.name ?? $0 }.joined(separator: ", "),
                        note: statement.note)
        }
        let related = approach.related.compactMap { id in kb.approach(id: id).map { Link(title: $0.name, href: "/learn/approaches/\($0.id)", note: nil) } }
        return ApproachPage(approach: card(approach), evidence: evidence, related: related, hasRelated: !related.isEmpty, provenance: provenance([approach], kb: kb))
    }

    struct IndicationRow: Codable, Sendable {
        let product: String
        let productID: String
        let generic: String
        let modality: String
        let target: String
        let region: String
        let regulator: String
        let date: String
        let approvalType: String
        let status: String
        let isActive: Bool
        let summary: String
        let criteria: [String]
        /// On a parent cancer's page: the subtype this approval covers ("for its subtype …").
        var scope: String? = nil
    }

    static func criteria(_ indication: LabelIndication, kb: KnowledgeBase) -> [String] {
        var lines: [String] = []
        lines.append("Cancer: " + indication.cancers.map { kb.cancer(id: $0)?.name ?? $0 }.joined(separator: ", "))
        if !indication.excludedCancers.isEmpty {
            lines.append("Not covered: " + indication.excludedCancers.map { kb.cancer(id: $0)?.name ?? $0 }.joined(separator: ", "))
        }
        switch indication.diseaseStatus {
        case .relapsed: lines.append("Disease status: relapsed")
        case .refractory: lines.append("Disease status: refractory")
        case .relapsedOrRefractory: lines.append("Disease status: relapsed or refractory")
        case .any: break
        }
        if let lines0 = indication.minPriorLines { lines.append("At least \(lines0) prior line\(lines0 == 1 ? "" : "s") of therapy") }
        if !indication.requiredPriorTherapyClasses.isEmpty {
            lines.append("Prior therapy must include: " + indication.requiredPriorTherapyClasses.map { kb.drugClass(id: $0)?.name ?? $0 }.joined(separator: "; "))
        }
        if !indication.refractoryTo.isEmpty {
            lines.append("Refractory to: " + indication.refractoryTo.map { kb.drugClass(id: $0)?.name ?? kb.drug(id: $0)?.generic ?? $0 }.joined(separator: "; "))
        }
        for rule in indication.timing {
            switch rule.kind {
            case .refractoryOrRelapseWithin: lines.append("Refractory to, or relapsed within \(rule.months.map(String.init) ?? "?") months of, \(rule.after)")
            case .relapseAfter: lines.append("Relapsed after \(rule.after)")
            }
        }
        if let transplant = indication.transplant { lines.append("Transplant: \(transplant == .ineligible ? "not eligible for" : "eligible for") high-dose therapy and transplant") }
        switch (indication.ageMin, indication.ageMax) {
        case let (low?, high?): lines.append("Age \(low) to \(high) years")
        case let (low?, nil): lines.append("Age \(low) years or older")
        case let (nil, high?): lines.append("Age up to \(high) years")
        default: break
        }
        for biomarker in indication.biomarkers {
            lines.append("Biomarker: \(kb.biomarker(id: biomarker.biomarker)?.name ?? biomarker.biomarker) \(biomarker.status)" + (biomarker.note.map { " (\($0))" } ?? ""))
        }
        if !indication.hla.isEmpty { lines.append("HLA type: " + indication.hla.joined(separator: ", ")) }
        lines += indication.additionalCriteria
        return lines
    }

    static func indicationRow(_ product: Product, _ indication: LabelIndication, kb: KnowledgeBase) -> IndicationRow {
        IndicationRow(
            product: product.brand, productID: product.id, generic: product.generic, modality: product.modality.displayName,
            target: product.target ?? "", region: regionName(indication.region), regulator: indication.regulatorName,
            date: indication.approvalDate?.description ?? "date not recorded", approvalType: indication.approvalType.rawValue.replacingOccurrences(of: "-", with: " "),
            status: (indication.status ?? .active).rawValue, isActive: indication.isActive,
            summary: indication.summary, criteria: criteria(indication, kb: kb))
    }

    static func regionName(_ region: Region) -> String {
        switch region {
        case .us: "United States"
        case .eu: "European Union"
        case .uk: "United Kingdom"
        case .cn: "China"
        case .jp: "Japan"
        case .ca: "Canada"
        case .au: "Australia"
        case .kr: "South Korea"
        case .ch: "Switzerland"
        case .in: "India"
        case .other: "Other"
        }
    }

    struct ProductPage: Codable, Sendable {
        let id: String
        let brand: String
        let generic: String
        let sponsor: String
        let modality: String
        let target: String?
        let hla: String?
        let summary: String
        let regions: [RegionGroup]
        let provenance: Provenance
    }

    struct RegionGroup: Codable, Sendable {
        let region: String
        let indications: [IndicationRow]
    }

    static func productPage(_ product: Product, kb: KnowledgeBase) -> ProductPage {
        let grouped = Dictionary(grouping: product.indications, by: \.region)
        let regions = Region.allCases.compactMap { region -> RegionGroup? in
            guard let items = grouped[region] else { return nil }
            return RegionGroup(region: "\(regionName(region)) (\(items.first?.regulatorName ?? region.regulator))",
                               indications: items.map { indicationRow(product, $0, kb: kb) })
        }
        let sourcedIndications = product.indications.map { IndicationSources(id: $0.id, sources: $0.sources, reviewed: product.reviewed) }
        return ProductPage(
            id: product.id, brand: product.brand, generic: product.generic, sponsor: product.sponsor, modality: product.modality.displayName,
            target: product.target, hla: product.hlaRestriction.isEmpty ? nil : product.hlaRestriction.joined(separator: ", "),
            summary: product.summary, regions: regions, provenance: provenance([product] + sourcedIndications, kb: kb))
    }

    /// Lets an indication's own sources join its product's on the page.
    struct IndicationSources: Sourced {
        let id: String
        let sources: [SourceID]
        let reviewed: Day?
    }
}
