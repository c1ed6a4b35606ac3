/// A family of drugs that labels refer to as a group ("an anti-CD20 antibody",
/// "a proteasome inhibitor").
public struct DrugClass: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var name: String
    @ListDefault public var synonyms: [String]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// A medicine as it appears in treatment histories: generic name, brands, code names.
public struct Drug: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var generic: String
    @ListDefault public var brands: [String]
    /// `DrugClass` ids.
    @ListDefault public var classes: [String]
    /// Abbreviations and development codes, e.g. `len`, `CC-5013`.
    @ListDefault public var synonyms: [String]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// A named combination (R-CHOP, VRd …) and the drugs it contains.
public struct Regimen: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var acronym: String
    public var name: String?
    /// `Drug` ids.
    public var drugs: [String]
    @ListDefault public var synonyms: [String]
    /// Cancer ids the regimen is typically used in (informational).
    @ListDefault public var usedIn: [String]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}
