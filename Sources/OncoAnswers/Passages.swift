import OncoKnowledge
import OncoMatch

/// One sourced statement of the knowledge base, as retrieval sees it: a product fact, an
/// approach's explainer, a glossary definition, a safety topic or one of its key points, an
/// FAQ answer.
struct Passage: Sendable, Hashable {
    enum Owner: Sendable, Hashable {
        case product(String), approach(String), glossary(String), safety(String), faq(String), journey(String)
    }

    var owner: Owner
    /// How the passage opens in an answer ("Kymriah", "Lymphodepleting chemotherapy").
    var label: String
    var text: String
    var citations: [SourceID]
    var region: Region?

    /// The passage as a sentence of an answer.
    var statement: Statement {
        Statement(label.isEmpty ? text : "\(label): \(text)", citations: citations)
    }
}

/// The knowledge base split into passages and indexed with BM25 (the trial index's
/// tokenizer and term table), so an answer can lead with the passages that speak to the
/// question's own words. Query words are widened with the names and synonyms of the terms
/// the analyzer recognised (the knowledge base's ontology), so "lymphodepletion" also
/// finds "lymphodepleting chemotherapy".
struct PassageIndex: Sendable {
    let passages: [Passage]
    private let index: TextIndex

    init(_ kb: KnowledgeBase) {
        var passages: [Passage] = []
        var index = TextIndex()
        func add(_ passage: Passage, indexing extra: String) {
            passages.append(passage)
            index.add("\(extra) \(passage.label) \(passage.text)")
        }
        for product in kb.products {
            let names = ([product.brand, product.generic] + product.synonyms).joined(separator: " ")
            for fact in product.facts {
                add(Passage(owner: .product(product.id), label: product.brand, text: fact.text,
                            citations: fact.sources.isEmpty ? product.sources : fact.sources, region: fact.region),
                    indexing: "\(names) \(fact.aspect.rawValue.replacingOccurrences(of: "-", with: " "))")
            }
        }
        for approach in kb.approaches {
            let names = ([approach.name] + approach.synonyms).joined(separator: " ")
            add(Passage(owner: .approach(approach.id), label: approach.name, text: approach.summary, citations: approach.sources),
                indexing: "\(names) how it works")
            if !approach.risks.isEmpty {
                add(Passage(owner: .approach(approach.id), label: "Known risks of \(approach.name.lowercasedName)",
                            text: Prose.list(approach.risks.map(\.lowercasedName)) + ".", citations: approach.sources),
                    indexing: "\(names) side effects risks")
            }
        }
        for entry in kb.glossary {
            add(Passage(owner: .glossary(entry.id), label: entry.term, text: entry.definition, citations: entry.sources),
                indexing: ([entry.term] + entry.synonyms).joined(separator: " "))
        }
        for topic in kb.safety {
            let names = ([topic.title] + topic.synonyms).joined(separator: " ")
            add(Passage(owner: .safety(topic.id), label: topic.title, text: topic.summary, citations: topic.sources, region: topic.region),
                indexing: names)
        }
        for step in kb.journey {
            add(Passage(owner: .journey(step.id), label: "\(step.name) (\(step.typicalDuration))", text: step.summary, citations: step.sources),
                indexing: "how long time takes weeks days steps")
        }
        for entry in kb.faq {
            add(Passage(owner: .faq(entry.id), label: "", text: entry.answer, citations: entry.sources), indexing: entry.question)
        }
        self.passages = passages
        self.index = index
    }

    /// The passages that best answer the question. `subjects` are the products and
    /// approaches the question is about, in the order it names them: product and approach
    /// passages must belong to one of them, and passages come in subject order (what the
    /// question is about first), then by score. A passage must score at least `relative`
    /// of the best one; risk summaries only when `risks` is asked.
    func retrieve(_ question: String, understanding u: Understanding, knowledge kb: KnowledgeBase,
                  subjects: [Passage.Owner], risks: Bool, regions: [Region] = [], limit: Int = 2, relative: Float = 0.6) -> [Passage] {
        var query = index.queryTerms(question).filter {
            !QuestionVocabulary.stopWords.contains($0) && !QuestionVocabulary.genericWords.contains($0)
                && !Self.fillerWords.contains($0)
        }
        // The ontology's names for what the analyzer recognised.
        var names: [String] = []
        for id in u.glossaryIDs { if let entry = kb.glossary.first(where: { $0.id == id }) { names += [entry.term] + entry.synonyms } }
        for id in u.safetyIDs { if let topic = kb.safety.first(where: { $0.id == id }) { names += [topic.title] + topic.synonyms } }
        for name in names { query += index.queryTerms(name) }
        guard !query.isEmpty else { return [] }
        let rank = Dictionary(subjects.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let allowed: (Int) -> Bool = { document in
            let passage = passages[document]
            if !risks, passage.label.hasPrefix("Known risks of") { return false }
            // Another region's rule never answers for the region asked about.
            if let region = passage.region, !regions.isEmpty, !regions.contains(region) { return false }
            switch passage.owner {
            case .product, .approach: return subjects.isEmpty || rank[passage.owner] != nil
            default: return true
            }
        }
        let hits = index.search(query, limit: limit * 4, allowed: allowed)
        guard let best = hits.first?.score, best > 0 else { return [] }
        var seen = Set<String>()
        let kept = hits.filter { $0.score >= best * relative }.map { passages[$0.document] }.filter { seen.insert($0.text).inserted }
        let ordered = kept.enumerated().sorted { a, b in
            let ra = rank[a.element.owner] ?? subjects.count, rb = rank[b.element.owner] ?? subjects.count
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        return Array(ordered.prefix(limit))
    }

    /// Words of everyday questions that say nothing about their subject.
    static let fillerWords: Set<String> = [
        "one", "thing", "things", "same", "really", "actually", "just", "even", "now", "like", "know", "tell", "heard",
        "said", "say", "mean", "want", "need", "someone", "something", "doctor", "nurse", "my", "your", "his", "her",
        "they", "them", "we", "our", "you", "he", "she", "me", "get", "got", "can", "could", "would", "should", "yet",
    ]

    /// Safety topics whose passages share words with the question, best first.
    func safetyTopics(matching question: String) -> [String] {
        let query = index.queryTerms(question).filter {
            !QuestionVocabulary.stopWords.contains($0) && !QuestionVocabulary.genericWords.contains($0)
                && !QuestionVocabulary.safetyGenericWords.contains($0)
        }
        var ids: [String] = []
        for hit in index.search(query, limit: 40, allowed: { if case .safety = passages[$0].owner { true } else { false } }) {
            if case .safety(let id) = passages[hit.document].owner, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
