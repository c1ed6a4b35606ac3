import Foundation
import OncoKnowledge
import OncoRecords

extension ClinicalLexicon {
    /// The records lexicon filled from the knowledge base — cancers (names and synonyms),
    /// drugs (generic, brands, synonyms), regimens with their drugs, cell-therapy products
    /// with their targets — merged over the built-in default, so extracted facts carry the
    /// knowledge base's concept ids.
    public static func knowledgeBase(_ knowledge: KnowledgeBase) -> ClinicalLexicon {
        var entries: [Entry] = []
        for cancer in knowledge.cancers where cancer.category != .any {
            for term in [cancer.name] + cancer.synonyms {
                entries.append(Entry(term: term, conceptID: cancer.id, kind: .cancer, displayName: cancer.name))
            }
        }
        for drug in knowledge.drugs {
            for term in [drug.generic] + drug.brands + drug.synonyms where term.count > 2 {
                entries.append(Entry(term: term, conceptID: drug.id, kind: .drug, displayName: drug.generic))
            }
        }
        for regimen in knowledge.regimens {
            for term in [regimen.acronym] + regimen.synonyms + [regimen.name].compactMap({ $0 }) {
                entries.append(Entry(term: term, conceptID: regimen.id, kind: .regimen, displayName: regimen.acronym, components: regimen.drugs))
            }
        }
        for product in knowledge.products where product.modality == .carT || product.modality == .tcrT || product.modality == .til || product.modality == .nkCell {
            for term in [product.brand, product.generic] + product.synonyms {
                entries.append(Entry(term: term, conceptID: product.id, kind: .cellTherapyProduct, displayName: product.generic, target: product.target))
            }
        }
        return ClinicalLexicon(entries: entries).merging(.builtIn)
    }
}
