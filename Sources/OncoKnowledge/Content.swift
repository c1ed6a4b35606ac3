/// A safety subject as currently labelled (CRS, ICANS, boxed warnings, monitoring).
public struct SafetyTopic: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var title: String
    @ListDefault public var synonyms: [String]
    /// Modalities the topic applies to.
    @ListDefault public var modalities: [TherapyModality]
    /// Region the statement is specific to (nil: general).
    public var region: Region?
    public var summary: String
    @ListDefault public var keyPoints: [String]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// A typical duration range in days.
public struct DurationRange: Codable, Sendable, Hashable {
    public var minDays: Int
    public var maxDays: Int
}

/// One step of the CAR-T (and similar) treatment journey.
public struct JourneyStep: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var order: Int
    public var name: String
    public var summary: String
    /// In words ("about 3 to 5 weeks").
    public var typicalDuration: String
    public var duration: DurationRange?
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// The treatment landscape of one cancer: standard of care and where cell and gene
/// therapy stands.
public struct CancerLandscape: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    /// `CancerType` id.
    public var cancer: String
    public var standardOfCare: String
    /// Why CAR-T is, or is not, used.
    public var carTRole: String
    /// Where cell and gene therapy research stands.
    public var research: String
    @ListDefault public var questionsToAsk: [String]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// A term explained in plain words.
public struct GlossaryEntry: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var term: String
    @ListDefault public var synonyms: [String]
    public var definition: String
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

/// A frequently asked question with a sourced answer.
public struct FAQEntry: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var question: String
    public var answer: String
    /// Glossary, approach or safety ids to read next.
    @ListDefault public var related: [String]
    /// The region whose labels the answer describes, when it is region-specific.
    public var region: Region?
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?
}

extension SafetyTopic {
    /// The safety topics on staying near the centre and on driving that apply where a cell
    /// therapy is given: the US prescribing information, or the EU SmPC (also followed in the
    /// UK); both when the place is not known.
    public static func stayAndDriveIDs(for region: Region?) -> [String] {
        switch region {
        case .us?: ["stay-near-centre", "driving-restriction"]
        case .eu?, .uk?: ["stay-near-centre-eu", "driving-restriction-eu"]
        default: ["stay-near-centre", "driving-restriction", "stay-near-centre-eu", "driving-restriction-eu"]
        }
    }
}
