/// Drug, regimen and product lookup by any name, brand or abbreviation.
extension KnowledgeBase {
    /// A drug by generic name, brand, synonym or id (case and punctuation ignored).
    public func drug(named name: String) -> Drug? {
        unique(index.drugTerms[TextMatching.compact(name)]).flatMap { drug(id: $0) }
    }

    /// A regimen by acronym, full name, synonym or id ("R-CHOP", "rchop", "Pola-R-CHP").
    public func regimen(named name: String) -> Regimen? {
        unique(index.regimenTerms[TextMatching.compact(name)]).flatMap { regimen(id: $0) }
    }

    /// A product by brand, generic name, short name or id ("Yescarta", "axi-cel").
    public func product(named name: String) -> Product? {
        unique(index.productTerms[TextMatching.compact(name)]).flatMap { product(id: $0) }
    }

    /// Every drug, regimen and product name with its id, for finding mentions in free text.
    public var drugLexicon: [LexiconEntry] {
        var entries: [LexiconEntry] = []
        for drug in content.drugs {
            for term in [drug.generic] + drug.brands + drug.synonyms {
                entries.append(LexiconEntry(term: term, id: drug.id, kind: .drug))
            }
        }
        for regimen in content.regimens {
            for term in [regimen.acronym] + regimen.synonyms {
                entries.append(LexiconEntry(term: term, id: regimen.id, kind: .regimen))
            }
        }
        for product in content.products {
            for term in [product.brand, product.generic] + product.synonyms {
                entries.append(LexiconEntry(term: term, id: product.id, kind: .product))
            }
        }
        var seen: Set<LexiconEntry> = []
        return entries.filter { seen.insert($0).inserted }
    }

    /// The drugs a regimen contains (unknown ids are skipped; the validator reports them).
    public func drugs(in regimen: Regimen) -> [Drug] {
        regimen.drugs.compactMap { drug(id: $0) }
    }

    private func unique(_ ids: Set<String>?) -> String? {
        guard let ids, ids.count == 1 else { return nil }
        return ids.first
    }
}
