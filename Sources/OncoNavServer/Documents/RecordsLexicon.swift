import OncoKnowledge
import OncoRecords

/// The knowledge base's vocabulary as the records extractor needs it: cancers, drugs,
/// regimens (with their drugs), products (with their targets) and biomarkers, by every name
/// and synonym, on top of the extractor's built-in terms.
enum RecordsLexicon {
    static func make(from knowledge: KnowledgeBase) -> ClinicalLexicon {
        var entries: [ClinicalLexicon.Entry] = []
        for cancer in knowledge.cancers {
            for term in [cancer.name] + cancer.synonyms {
                entries.append(.init(term: term, conceptID: cancer.id, kind: .cancer, displayName: cancer.name))
            }
        }
        for drug in knowledge.drugs {
            for term in [drug.generic] + drug.brands + drug.synonyms {
                entries.append(.init(term: term, conceptID: drug.id, kind: .drug, displayName: drug.generic))
            }
        }
        for regimen in knowledge.regimens {
            for term in [regimen.acronym] + regimen.synonyms + (regimen.name.map { [$0] } ?? []) {
                entries.append(.init(term: term, conceptID: regimen.id, kind: .regimen, displayName: regimen.acronym, components: regimen.drugs))
            }
        }
        for product in knowledge.products where [.carT, .tcrT, .til, .nkCell].contains(product.modality) {
            for term in [product.brand, product.generic] + product.synonyms {
                entries.append(.init(term: term, conceptID: product.id, kind: .cellTherapyProduct, displayName: product.brand, target: product.target))
            }
        }
        for biomarker in knowledge.biomarkers {
            let symbol = biomarker.gene ?? biomarker.name
            for term in [biomarker.name] + biomarker.synonyms + (biomarker.gene.map { [$0] } ?? []) {
                entries.append(.init(term: term, conceptID: biomarker.id, kind: .biomarker, displayName: symbol))
            }
        }
        // The lexicon matches without regard to case, so an abbreviation that is also an
        // everyday word ("ALL") would turn ordinary prose into a diagnosis; those stay with
        // the built-in extractor, which handles them in context.
        let everydayWords: Set<String> = ["all", "men", "cup", "aid", "can", "net", "mm", "us", "it", "is", "on", "or", "per"]
        return ClinicalLexicon(entries: entries.filter { $0.term.count >= 2 && !everydayWords.contains($0.term.lowercased()) }).merging(.builtIn)
    }
}
