import OncoKnowledge

/// What OncoNav understood a question to be about. Ids refer to the knowledge base.
public struct Understanding: Codable, Sendable, Hashable {
    public var intents: [QuestionIntent] = []
    /// Treatment families named ("CAR-T", "gene therapy", "bispecifics").
    public var modalities: [TherapyModality] = []
    /// Approaches named by name or synonym ("TIL", "BiTE").
    public var approachIDs: [String] = []
    /// Products named by brand, generic name, short name or code ("Kymriah", "tisa-cel").
    public var productIDs: [String] = []
    /// Cancers named, most specific first; umbrella terms ("cancer") are left out.
    public var cancerIDs: [String] = []
    /// Countries or regions named ("China", "Europe", "FDA").
    public var regions: [Region] = []
    /// Glossary entries and safety topics named ("CRS", "apheresis").
    public var glossaryIDs: [String] = []
    public var safetyIDs: [String] = []
    /// True when the question reports something someone said or read ("my doctor said …"),
    /// which the answer checks against the knowledge base rather than repeats.
    public var reportsClaim = false
    /// Why the question is declined, if it is.
    public var concern: Concern?
    /// The words that were read as a misspelling, with the term they were taken for.
    public var corrections: [Correction] = []
    /// Words used as the name of a product the knowledge base has no record of ("Zelantrix").
    public var unknownProductNames: [String] = []
    /// What about a product is asked (how it is given, its target, its vector …), in the order asked.
    public var aspects: [ProductFact.Aspect] = []

    public init() {}

    /// Whether nothing medical was recognised.
    public var isEmpty: Bool {
        modalities.isEmpty && approachIDs.isEmpty && productIDs.isEmpty && cancerIDs.isEmpty
            && glossaryIDs.isEmpty && safetyIDs.isEmpty
    }
}

/// What the person wants to know. A question may carry several.
public enum QuestionIntent: String, Codable, Sendable, Hashable, CaseIterable {
    case howItWorks = "how-it-works"
    case approval
    case comparison
    case eligibility
    case sideEffects = "side-effects"
    case logistics
    case cost
    case trials
    case standardTreatment = "standard-treatment"
    case definition
    /// "What should I ask my team?": the questions to take to an appointment.
    case questionsToAsk = "questions-to-ask"
    /// Survival, response or success rates, which the knowledge base does not hold.
    case outcomes
}

/// Why a question gets a referral instead of an answer.
public enum Concern: String, Codable, Sendable, Hashable, CaseIterable {
    /// Doses, amounts, schedules.
    case dosing
    /// Stopping, starting, skipping or changing a treatment.
    case changeTreatment = "change-treatment"
    /// "Should I …", "what would you do": a decision for the person and their team.
    case personalDecision = "personal-decision"
    /// Faking eligibility, jumping a queue, buying without a prescription.
    case ruleEvasion = "rule-evasion"
    /// A disease other than cancer, or not a health question.
    case outOfScope = "out-of-scope"
    /// Symptoms happening now ("I have a fever after my infusion"): the care team first.
    case urgentSymptoms = "urgent-symptoms"
    /// "Are my scan results good?": reading a person's own results is for their team.
    case interpretation
}

/// A word read as a misspelling of a known term.
public struct Correction: Codable, Sendable, Hashable {
    public var written: String
    public var understoodAs: String
}
