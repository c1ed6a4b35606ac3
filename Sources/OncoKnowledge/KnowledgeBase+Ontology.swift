/// Cancer hierarchy and name lookup.
extension KnowledgeBase {
    /// Every ancestor id of `id` (not including `id`).
    public func ancestors(of id: String) -> Set<String> {
        index.ancestors[id] ?? []
    }

    /// Every descendant id of `id` (not including `id`).
    public func descendants(of id: String) -> Set<String> {
        var seen: Set<String> = []
        var stack = index.children[id] ?? []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack += index.children[next] ?? []
        }
        return seen
    }

    /// Whether `id` is `ancestor` or one of its descendants: `isA("dlbcl-nos",
    /// "large-b-cell-lymphoma")` is true; `isA("pmbcl", "dlbcl-nos")` is false.
    public func isA(_ id: String, _ ancestor: String) -> Bool {
        id == ancestor || ancestors(of: id).contains(ancestor)
    }

    /// A cancer found by name, synonym, abbreviation or id, ignoring case and punctuation,
    /// and forgiving small misspellings of longer names (see `TextMatching.allowedEdits`).
    /// Returns nil when nothing matches or when a misspelling is equally close to two
    /// different cancers.
    public func cancer(named name: String) -> CancerType? {
        let matches = cancerMatches(named: name)
        guard let first = matches.first else { return nil }
        let tied = Set(matches.filter { $0.distance == first.distance }.map(\.cancer.id))
        return tied.count == 1 ? first.cancer : nil
    }

    /// Candidate cancers for a name with their edit distance (0 = exact), closest first.
    public func cancerMatches(named name: String) -> [(cancer: CancerType, distance: Int)] {
        let query = TextMatching.normalize(name)
        guard !query.isEmpty else { return [] }
        if let ids = index.cancerTerms[query] {
            return ids.sorted().compactMap { cancer(id: $0) }.map { ($0, 0) }
        }
        let compactQuery = query.replacingOccurrences(of: " ", with: "")
        var exactCompact: Set<String> = []
        for (term, ids) in index.cancerTerms where term.replacingOccurrences(of: " ", with: "") == compactQuery {
            exactCompact.formUnion(ids)
        }
        if !exactCompact.isEmpty {
            return exactCompact.sorted().compactMap { cancer(id: $0) }.map { ($0, 0) }
        }
        let allowed = TextMatching.allowedEdits(forLength: compactQuery.count)
        guard allowed > 0, !TextMatching.isAcronym(name) else { return [] }
        var best: [String: Int] = [:]
        for (term, ids) in index.cancerTerms where index.fuzzyCancerTerms.contains(term) {
            let termLength = term.replacingOccurrences(of: " ", with: "").count
            let limit = min(allowed, TextMatching.allowedEdits(forLength: termLength))
            guard limit > 0 else { continue }
            let distance = TextMatching.editDistance(query, term, limit: limit)
            guard distance <= limit else { continue }
            for id in ids where distance < best[id] ?? .max { best[id] = distance }
        }
        return best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
            .compactMap { entry in cancer(id: entry.key).map { ($0, entry.value) } }
    }

    /// Every cancer name, synonym and abbreviation with its id, for finding mentions in
    /// free text. Terms are as written in the knowledge files; match them with
    /// `TextMatching.normalize` on both sides.
    public var cancerLexicon: [LexiconEntry] {
        var seen: Set<LexiconEntry> = []
        return content.cancers.flatMap { cancer in
            ([cancer.name] + cancer.synonyms).map { LexiconEntry(term: $0, id: cancer.id, kind: .cancer) }
        }.filter { seen.insert($0).inserted }
    }
}

/// A term that names an item: `"DLBCL" → dlbcl-nos`, `"R-CHOP" → r-chop`.
public struct LexiconEntry: Codable, Sendable, Hashable {
    public var term: String
    public var id: String
    public var kind: ItemKind
}
