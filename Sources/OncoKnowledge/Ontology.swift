/// Whether a cancer arises from blood-forming tissue or is a solid tumour.
public enum CancerCategory: String, Codable, Sendable, Hashable, CaseIterable {
    case haematologic
    case solid
    /// Umbrella nodes such as `cancer` that group both.
    case any
}

/// Classification codes for a cancer type. Only codes an editor is sure of are listed.
public struct CancerCodes: Codable, Sendable, Hashable {
    /// ICD-10 (WHO) codes, e.g. `C83.3`.
    @ListDefault public var icd10: [String]
    /// ICD-O-3 morphology codes, e.g. `9680/3`.
    @ListDefault public var icdO3: [String]
    /// OncoTree codes, e.g. `DLBCLNOS`.
    @ListDefault public var oncotree: [String]
}

/// A node of the cancer ontology. A node may have several parents (for example DLBCL
/// arising from follicular lymphoma is a large B-cell lymphoma and a transformed
/// follicular lymphoma).
public struct CancerType: Codable, Sendable, Hashable, Identifiable, Sourced {
    /// Kebab-case identifier, e.g. `dlbcl-nos`.
    public var id: String
    public var name: String
    @ListDefault public var parents: [String]
    /// Other names and abbreviations a record or a person may use.
    @ListDefault public var synonyms: [String]
    public var codes: CancerCodes?
    public var category: CancerCategory
    /// One or two plain-language sentences.
    public var summary: String?
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// A measurable characteristic of a cancer or a person used by labels and trials
/// (an antigen such as CD19, a mutation such as EGFR, an HLA type).
public struct Biomarker: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var name: String
    /// Gene or protein symbol, e.g. `MS4A1` for CD20.
    public var gene: String?
    @ListDefault public var synonyms: [String]
    /// e.g. `expression`, `mutation`, `fusion`, `amplification`, `genotype`.
    @ListDefault public var alterationTypes: [String]
    public var summary: String?
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}
