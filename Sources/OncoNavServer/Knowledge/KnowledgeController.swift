import OncoKnowledge
import Vapor

/// The public knowledge pages under `/learn`: explainers, comparison, products, cancers,
/// glossary, the CAR-T journey and search. No sign-in needed; no health data involved.
enum KnowledgeController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("learn", use: index).access(.anyone)
        routes.get("learn", "approaches", ":id", use: approach).access(.anyone)
        routes.get("learn", "compare", use: compare).access(.anyone)
        routes.get("learn", "products", use: products).access(.anyone)
        routes.get("learn", "products", ":id", use: product).access(.anyone)
        routes.get("learn", "cancers", use: cancers).access(.anyone)
        routes.get("learn", "cancers", ":id", use: cancer).access(.anyone)
        routes.get("learn", "glossary", use: glossary).access(.anyone)
        routes.get("learn", "car-t-journey", use: journey).access(.anyone)
        routes.get("learn", "search", use: search).access(.anyone)
    }

    struct IndexPage: Encodable, Sendable {
        let cellAndGene: [KnowledgeView.ApproachCard]
        let comparators: [KnowledgeView.ApproachCard]
        let cancers: [KnowledgeView.Link]
        let productCount: Int
        let faq: [FAQRow]
        let provenance: KnowledgeView.Provenance
    }

    struct FAQRow: Encodable, Sendable {
        let question: String
        let answer: String
    }

    static func index(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        let cards = kb.approaches.map(KnowledgeView.card)
        let landscapeCancers = kb.landscapes.compactMap { kb.cancer(id: $0.cancer) }.sorted { $0.name < $1.name }
        let page = IndexPage(
            cellAndGene: cards.filter { !$0.isComparator }, comparators: cards.filter(\.isComparator),
            cancers: landscapeCancers.map { .init(title: $0.name, href: "/learn/cancers/\($0.id)", note: nil) },
            productCount: kb.products.count,
            faq: kb.faq.map { FAQRow(question: $0.question, answer: $0.answer) },
            provenance: KnowledgeView.provenance(kb.faq, kb: kb))
        return try await req.page("learn/index", title: "Learn about cell and gene therapies", content: page)
    }

    static func approach(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        guard let approach = kb.approach(id: req.parameters.get("id") ?? "") else { throw AppError.notFound }
        return try await req.page("learn/approach", title: approach.name, content: KnowledgeView.approachPage(approach, kb: kb))
    }

    struct ComparePage: Encodable, Sendable {
        let rows: [KnowledgeView.ApproachCard]
        let diagram: TherapyDiagram.Diagram
        let provenance: KnowledgeView.Provenance
    }

    static func compare(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        return try await req.page("learn/compare", title: "Comparing the approaches",
                                  content: ComparePage(rows: kb.approaches.map(KnowledgeView.card), diagram: TherapyDiagram.diagram(kb: kb),
                                                       provenance: KnowledgeView.provenance(kb.approaches, kb: kb)))
    }

    struct ProductsPage: Encodable, Sendable {
        let products: [ProductRow]
    }

    struct ProductRow: Encodable, Sendable {
        let id: String
        let brand: String
        let generic: String
        let modality: String
        let target: String
        let regions: String
    }

    static func products(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        let rows = kb.products.sorted { $0.brand.lowercased() < $1.brand.lowercased() }.map { product in
            ProductRow(id: product.id, brand: product.brand, generic: product.generic, modality: product.modality.displayName, target: product.target ?? "",
                       regions: Region.allCases.filter { region in product.indications.contains { $0.region == region && $0.isActive } }
                           .map(KnowledgeView.regionName).joined(separator: ", "))
        }
        return try await req.page("learn/products", title: "Approved cell and gene therapies for cancer", content: ProductsPage(products: rows))
    }

    static func product(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        guard let product = kb.product(id: req.parameters.get("id") ?? "") else { throw AppError.notFound }
        return try await req.page("learn/product", title: "\(product.brand) (\(product.generic))", content: KnowledgeView.productPage(product, kb: kb))
    }

    struct CancersPage: Encodable, Sendable {
        let haematologic: [KnowledgeView.Link]
        let solid: [KnowledgeView.Link]
    }

    static func cancers(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        func links(_ category: CancerCategory) -> [KnowledgeView.Link] {
            kb.cancers.filter { $0.category == category }.sorted { $0.name < $1.name }
                .map { .init(title: $0.name, href: "/learn/cancers/\($0.id)", note: $0.synonyms.first) }
        }
        return try await req.page("learn/cancers", title: "Options by cancer type", content: CancersPage(haematologic: links(.haematologic), solid: links(.solid)))
    }

    static func cancer(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        guard let cancer = kb.cancer(id: req.parameters.get("id") ?? "") else { throw AppError.notFound }
        return try await req.page("learn/cancer", title: "Options for \(cancer.name)", content: KnowledgeView.cancerPage(cancer, kb: kb))
    }

    struct GlossaryPage: Encodable, Sendable {
        let entries: [Entry]
        let provenance: KnowledgeView.Provenance
        struct Entry: Encodable, Sendable {
            let id: String
            let term: String
            let definition: String
        }
    }

    static func glossary(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        let entries = kb.glossary.sorted { $0.term.lowercased() < $1.term.lowercased() }
        return try await req.page("learn/glossary", title: "Glossary", content: GlossaryPage(
            entries: entries.map { .init(id: $0.id, term: $0.term, definition: $0.definition) },
            provenance: KnowledgeView.provenance(entries, kb: kb)))
    }

    static func journey(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        return try await req.page("learn/journey", title: "The CAR-T journey", content: JourneyDiagram.page(kb: kb))
    }

    struct SearchPage: Encodable, Sendable {
        let query: String
        let hits: [Hit]
        let hasHits: Bool
        let searched: Bool
        struct Hit: Encodable, Sendable {
            let title: String
            let href: String
            let kind: String
            let snippet: String
        }
    }

    static func href(for hit: SearchHit, kb: KnowledgeBase) -> String {
        switch hit.kind {
        case .approach: "/learn/approaches/\(hit.id)"
        case .product: "/learn/products/\(hit.id)"
        case .indication: "/learn/products/\(kb.products.first { $0.indications.contains { $0.id == hit.id } }?.id ?? "")"
        case .cancer: "/learn/cancers/\(hit.id)"
        case .landscape: "/learn/cancers/\(kb.landscapes.first { $0.id == hit.id }?.cancer ?? hit.id)"
        case .journey: "/learn/car-t-journey"
        case .glossary: "/learn/glossary#\(hit.id)"
        default: "/learn"
        }
    }

    static func search(req: Request) async throws -> Response {
        let query = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(200))
        let kb = req.application.knowledge
        let hits = query.trimmingCharacters(in: .whitespaces).isEmpty ? [] : kb.search(query, limit: 30)
        let page = SearchPage(query: query, hits: hits.map { .init(title: $0.title, href: href(for: $0, kb: kb), kind: $0.kind == .landscape ? "treatment overview" : $0.kind.rawValue.replacingOccurrences(of: "-", with: " "), snippet: $0.snippet) },
                              hasHits: !hits.isEmpty, searched: !query.isEmpty)
        return try await req.page("learn/search", title: query.isEmpty ? "Search" : "Search: \(query)", content: page)
    }
}
