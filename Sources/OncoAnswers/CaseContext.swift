import OncoKnowledge

/// What the server knows about the asker's own case, as plain data. The server fills it
/// from the confirmed patient profile and the label-matching results; OncoAnswers never
/// reads the profile or runs the matcher itself.
public struct CaseContext: Codable, Sendable, Hashable {
    /// The confirmed diagnosis as written for the person ("Diffuse large B-cell lymphoma").
    public var diagnosisName: String?
    /// Its ontology id in the knowledge base (`dlbcl-nos`), if confirmed.
    public var cancerID: String?
    /// Lines of systemic therapy received so far, if known.
    public var linesOfTherapy: Int?
    /// Whether the disease relapsed or did not respond, if known.
    public var relapsedOrRefractory: Bool?
    public var age: Int?
    /// Approved label indications the matcher found to fit (every criterion met or unknown).
    public var fittingLabels: [FittingLabel]
    /// Facts the matcher could not decide on ("CD19 status", "LVEF"), in plain words.
    public var unknowns: [String]
    /// The confirmed values the answer rests on, as the case summary words them
    /// ("Primary cancer: diffuse large B-cell lymphoma"); the answer names them.
    public var usedValues: [String]
    /// Values read from documents that nobody has confirmed yet (not used).
    public var pendingValues: Int

    public init(
        diagnosisName: String? = nil, cancerID: String? = nil, linesOfTherapy: Int? = nil,
        relapsedOrRefractory: Bool? = nil, age: Int? = nil,
        fittingLabels: [FittingLabel] = [], unknowns: [String] = [], usedValues: [String] = [], pendingValues: Int = 0
    ) {
        self.diagnosisName = diagnosisName
        self.cancerID = cancerID
        self.linesOfTherapy = linesOfTherapy
        self.relapsedOrRefractory = relapsedOrRefractory
        self.age = age
        self.fittingLabels = fittingLabels
        self.unknowns = unknowns
        self.usedValues = usedValues
        self.pendingValues = pendingValues
    }
}

/// One label indication that fits the case, by knowledge-base ids.
public struct FittingLabel: Codable, Sendable, Hashable {
    public var productID: String
    public var indicationID: String
    public var region: Region
    /// True when every criterion was met; false when some were unknown.
    public var allCriteriaMet: Bool

    public init(productID: String, indicationID: String, region: Region, allCriteriaMet: Bool) {
        self.productID = productID
        self.indicationID = indicationID
        self.region = region
        self.allCriteriaMet = allCriteriaMet
    }
}

/// Counts and lists recruiting trials for the answer. The server supplies one backed by
/// its trial index; without one the answer points to the trials page.
public protocol TrialLookup: Sendable {
    func trials(cancerID: String?, modalities: [TherapyModality], region: Region?) -> TrialSummary
}

/// What the trial index found for a question.
public struct TrialSummary: Codable, Sendable, Hashable {
    public var count: Int
    /// A few of the best matches.
    public var examples: [TrialExample]
    public init(count: Int, examples: [TrialExample] = []) {
        self.count = count
        self.examples = examples
    }
}

public struct TrialExample: Codable, Sendable, Hashable {
    public var nctID: String
    public var title: String
    public init(nctID: String, title: String) {
        self.nctID = nctID
        self.title = title
    }
}

/// A `TrialLookup` made from a closure, for a server that already has a search function.
public struct TrialLookupFunction: TrialLookup {
    private let body: @Sendable (String?, [TherapyModality], Region?) -> TrialSummary

    public init(_ body: @escaping @Sendable (_ cancerID: String?, _ modalities: [TherapyModality], _ region: Region?) -> TrialSummary) {
        self.body = body
    }

    public func trials(cancerID: String?, modalities: [TherapyModality], region: Region?) -> TrialSummary {
        body(cancerID, modalities, region)
    }
}
