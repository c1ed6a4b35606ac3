import Foundation
import OncoKnowledge

extension ClinicalLexicon {
    /// The lexicon of a loaded knowledge base — cancers, drugs, regimens (with their
    /// drugs), cell-therapy products (with their targets) and biomarkers — merged with
    /// `builtIn` for what the knowledge base does not name (histology, extra markers).
    ///
    /// The knowledge base wins for cancers, drugs, regimens and products (its ids are the
    /// ones matching uses). For biomarkers the built-in entries win: their display names
    /// are the symbols a report prints ("EGFR", "CD20"), where the knowledge base names
    /// the eligibility concept ("EGFR mutation") or the gene (`MS4A1`).
    public init(knowledgeBase kb: KnowledgeBase) {
        var entries: [Entry] = []
        let parents = Dictionary(kb.content.cancers.map { ($0.id, $0.parents) }, uniquingKeysWith: { first, _ in first })
        func ancestors(of id: String) -> [String] {
            var found: [String] = []
            var queue = parents[id] ?? []
            while let next = queue.popLast() {
                guard !found.contains(next) else { continue }
                found.append(next)
                queue += parents[next] ?? []
            }
            return found.sorted()
        }
        for cancer in kb.content.cancers {
            let broader = ancestors(of: cancer.id)
            for term in [cancer.name] + cancer.synonyms {
                entries.append(Entry(term: term, conceptID: cancer.id, kind: .cancer, displayName: cancer.name,
                                     broaderConceptIDs: broader))
            }
        }
        for drug in kb.content.drugs {
            for term in [drug.generic] + drug.brands + drug.synonyms {
                entries.append(Entry(term: term, conceptID: drug.id, kind: .drug, displayName: drug.generic, classes: drug.classes))
            }
        }
        for regimen in kb.content.regimens {
            for term in [regimen.acronym] + regimen.synonyms {
                entries.append(Entry(term: term, conceptID: regimen.id, kind: .regimen, displayName: regimen.acronym,
                                     components: regimen.drugs))
            }
        }
        for product in kb.content.products {
            for term in [product.brand, product.generic] + product.synonyms {
                entries.append(Entry(term: term, conceptID: product.id, kind: .cellTherapyProduct, displayName: product.generic,
                                     target: product.target))
            }
        }
        let builtIn = ClinicalLexicon.builtIn
        var biomarkers: [Entry] = []
        for marker in kb.content.biomarkers {
            // Only symbols are mention terms: the knowledge base also lists eligibility phrases
            // ("EGFR exon 19 deletion", "ALK-positive") whose result words the extractor must read itself.
            let terms = ([marker.name] + marker.synonyms).filter { term in
                !term.contains(" ") && (term.count >= 4 || term.contains(where: \.isNumber))
                    && !["positive", "negative", "mutant", "mutation", "deletion", "fusion"].contains { term.lowercased().contains($0) }
            }
            // Show the symbol the built-in lexicon uses for any of its names, else the knowledge base's name.
            let display = terms.lazy.compactMap { builtIn.lookup($0, kinds: [.biomarker])?.displayName }.first ?? marker.name
            biomarkers += terms.map { Entry(term: $0, conceptID: marker.id, kind: .biomarker, displayName: display) }
        }
        self = ClinicalLexicon(entries: entries).merging(builtIn).merging(ClinicalLexicon(entries: biomarkers))
    }
}
