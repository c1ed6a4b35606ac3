import Foundation

/// A search result: what was found and a short excerpt to show.
public struct SearchHit: Codable, Sendable, Hashable {
    public var kind: ItemKind
    public var id: String
    public var title: String
    public var snippet: String
    public var score: Double
}

/// One searchable item: a title (names, synonyms) and a body (the explanations).
struct SearchDocument: Sendable {
    var kind: ItemKind
    var id: String
    var title: String
    var titleTokens: Set<String>
    var bodyTokens: [String: Int]
    var body: String

    init(kind: ItemKind, id: String, title: String, aliases: [String] = [], body: [String]) {
        self.kind = kind
        self.id = id
        self.title = title
        self.titleTokens = Set(([title] + aliases).flatMap(TextMatching.tokens))
        self.body = body.filter { !$0.isEmpty }.joined(separator: " ")
        self.bodyTokens = TextMatching.tokens(self.body).reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static func documents(for c: KnowledgeContent) -> [SearchDocument] {
        var docs: [SearchDocument] = []
        docs += c.cancers.map { .init(kind: .cancer, id: $0.id, title: $0.name, aliases: $0.synonyms, body: [$0.summary ?? ""]) }
        docs += c.biomarkers.map { .init(kind: .biomarker, id: $0.id, title: $0.name, aliases: $0.synonyms + [$0.gene ?? ""], body: [$0.summary ?? ""]) }
        docs += c.drugs.map { .init(kind: .drug, id: $0.id, title: $0.generic, aliases: $0.brands + $0.synonyms, body: []) }
        docs += c.regimens.map { .init(kind: .regimen, id: $0.id, title: $0.acronym, aliases: $0.synonyms, body: [$0.name ?? ""]) }
        docs += c.approaches.map {
            .init(kind: .approach, id: $0.id, title: $0.name, aliases: $0.synonyms,
                  body: [$0.summary, $0.relevantWhen] + $0.risks + $0.evidence.compactMap(\.note))
        }
        docs += c.products.map {
            .init(kind: .product, id: $0.id, title: "\($0.brand) (\($0.generic))", aliases: $0.synonyms + [$0.target ?? ""],
                  body: [$0.summary] + $0.indications.map(\.summary))
        }
        docs += c.safety.map { .init(kind: .safety, id: $0.id, title: $0.title, aliases: $0.synonyms, body: [$0.summary] + $0.keyPoints) }
        docs += c.journey.map { .init(kind: .journey, id: $0.id, title: $0.name, body: [$0.summary, $0.typicalDuration]) }
        // A landscape is shown under its cancer's name, never its file id ("landscape nsclc").
        let cancerNames = Dictionary(c.cancers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        docs += c.landscapes.map {
            .init(kind: .landscape, id: $0.id, title: "\(cancerNames[$0.cancer] ?? $0.cancer.replacingOccurrences(of: "-", with: " ")): treatment landscape",
                  body: [$0.standardOfCare, $0.carTRole, $0.research] + $0.questionsToAsk)
        }
        docs += c.glossary.map { .init(kind: .glossary, id: $0.id, title: $0.term, aliases: $0.synonyms, body: [$0.definition]) }
        docs += c.faq.map { .init(kind: .faq, id: $0.id, title: $0.question, body: [$0.answer]) }
        return docs
    }
}

extension KnowledgeBase {
    private static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
        "i", "in", "is", "it", "me", "my", "of", "on", "or", "the", "to", "what", "when", "which",
        "who", "why", "will", "with", "work", "works",
    ]

    /// Items matching the words of `query`, best first. A word in an item's title or
    /// synonyms counts three times a word in its text; each query word counts once per
    /// item, with a small bonus for repetition in the text.
    public func search(_ query: String, limit: Int = 20) -> [SearchHit] {
        let words = Array(Set(TextMatching.tokens(query).filter { !Self.stopWords.contains($0) }))
        guard !words.isEmpty else { return [] }
        var hits: [SearchHit] = []
        for doc in index.documents {
            var score = 0.0
            var matched = 0
            for word in words {
                let inTitle = doc.titleTokens.contains(word)
                let inBody = doc.bodyTokens[word] ?? 0
                guard inTitle || inBody > 0 else { continue }
                matched += 1
                score += (inTitle ? 3 : 0) + (inBody > 0 ? 1 + min(Double(inBody - 1), 3) * 0.25 : 0)
            }
            guard matched > 0 else { continue }
            score *= Double(matched) / Double(words.count)
            hits.append(SearchHit(kind: doc.kind, id: doc.id, title: doc.title,
                                  snippet: Self.snippet(doc.body, words: words), score: score))
        }
        return Array(hits.sorted { ($0.score, $1.id) > ($1.score, $0.id) }.prefix(limit))
    }

    /// The first sentence of `text` that mentions one of `words`, shortened to ~200 characters.
    static func snippet(_ text: String, words: [String]) -> String {
        let sentences = text.split(whereSeparator: { ".!?".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
        let chosen = sentences.first { sentence in
            let tokens = Set(TextMatching.tokens(sentence))
            return words.contains { tokens.contains($0) }
        } ?? sentences.first ?? ""
        return chosen.count > 200 ? String(chosen.prefix(197)) + "…" : chosen
    }
}
