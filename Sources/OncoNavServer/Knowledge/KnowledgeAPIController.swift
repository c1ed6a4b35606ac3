import OncoKnowledge
import Vapor

/// The knowledge base as JSON under `/api/v1/knowledge`. Public, like the pages.
enum KnowledgeAPIController {
    static func register(_ api: any RoutesBuilder) {
        api.get("knowledge", "approaches", use: approaches).access(.anyone)
        api.get("knowledge", "approaches", ":id", use: approach).access(.anyone)
        api.get("knowledge", "products", use: products).access(.anyone)
        api.get("knowledge", "products", ":id", use: product).access(.anyone)
        api.get("knowledge", "cancers", ":id", use: cancer).access(.anyone)
        api.get("knowledge", "glossary", use: glossary).access(.anyone)
        api.get("knowledge", "journey", use: journey).access(.anyone)
        api.get("knowledge", "search", use: search).access(.anyone)
    }

    static func json(_ value: some Encodable, for req: Request) throws -> Response {
        try JSONOutput.response(value)
    }

    static func approaches(req: Request) async throws -> Response {
        try json(["approaches": req.application.knowledge.approaches.map { KnowledgeView.approachPage($0, kb: req.application.knowledge) }], for: req)
    }

    static func approach(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        guard let approach = kb.approach(id: req.parameters.get("id") ?? "") else { throw AppError.notFound }
        return try json(KnowledgeView.approachPage(approach, kb: kb), for: req)
    }

    static func products(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        return try json(["products": kb.products.map { KnowledgeView.productPage($0, kb: kb) }], for: req)
    }

    static func product(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        guard let product = kb.product(id: req.parameters.get("id") ?? "") else { throw AppError.notFound }
        return try json(KnowledgeView.productPage(product, kb: kb), for: req)
    }

    static func cancer(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        let raw = req.parameters.get("id") ?? ""
        // Accept an id or any name, abbreviation or small misspelling.
        guard let cancer = kb.cancer(id: raw) ?? kb.cancer(named: raw) else { throw AppError.notFound }
        return try json(KnowledgeView.cancerPage(cancer, kb: kb), for: req)
    }

    static func glossary(req: Request) async throws -> Response {
        let kb = req.application.knowledge
        return try json(["entries": AnyEncodable(kb.glossary), "provenance": AnyEncodable(KnowledgeView.provenance(kb.glossary, kb: kb))], for: req)
    }

    static func journey(req: Request) async throws -> Response {
        let page = JourneyDiagram.page(kb: req.application.knowledge)
        return try json(["steps": AnyEncodable(page.steps), "provenance": AnyEncodable(page.provenance)], for: req)
    }

    static func search(req: Request) async throws -> Response {
        let query = String(((try? req.query.get(String.self, at: "q")) ?? "").prefix(200))
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { throw AppError.badRequest("Give a search text in `q`.") }
        return try json(["query": AnyEncodable(query), "hits": AnyEncodable(req.application.knowledge.search(query, limit: 30))], for: req)
    }
}

/// Wraps values of different types for one JSON object.
struct AnyEncodable: Encodable, Sendable {
    private let encodeValue: @Sendable (any Encoder) throws -> Void
    init<T: Encodable & Sendable>(_ value: T) { encodeValue = { try value.encode(to: $0) } }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
