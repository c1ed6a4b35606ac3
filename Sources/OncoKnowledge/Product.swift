/// A regulator's jurisdiction. Raw values are stable identifiers used in files and the API.
public enum Region: String, Codable, Sendable, Hashable, CaseIterable {
    case us, eu, uk, cn, jp, ca, au, kr, ch, `in`, other

    /// The agency that grants marketing authorisation there.
    public var regulator: String {
        switch self {
        case .us: "FDA"
        case .eu: "European Commission (EMA)"
        case .uk: "MHRA"
        case .cn: "NMPA"
        case .jp: "MHLW (PMDA)"
        case .ca: "Health Canada"
        case .au: "TGA"
        case .kr: "MFDS"
        case .ch: "Swissmedic"
        case .in: "CDSCO"
        case .other: "Other"
        }
    }

    /// Regions whose cell and gene therapy approvals the knowledge base follows product by
    /// product against the regulator's own documents (FDA labels and letters, EMA EPARs).
    /// Elsewhere it holds only the approvals it could check at a primary source, so a missing
    /// label there says nothing about approval.
    public static let followedInFull: Set<Region> = [.us, .eu]
}

/// The kind of marketing authorisation.
public enum ApprovalType: String, Codable, Sendable, Hashable, CaseIterable {
    case regular
    case accelerated
    /// EU conditional marketing authorisation; China conditional approval.
    case conditional
    /// Japan's conditional and time-limited approval for regenerative medicine products.
    case conditionalTimeLimited = "conditional-time-limited"
    case exceptionalCircumstances = "exceptional-circumstances"
}

/// Whether the authorisation is in force.
public enum ApprovalStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case active
    case withdrawn
    /// Replaced by a later version of the same indication (e.g. widened to earlier lines).
    case superseded
}

/// The disease state a label requires.
public enum DiseaseStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case relapsed
    case refractory
    case relapsedOrRefractory = "relapsed-or-refractory"
    /// Not restricted to relapse (e.g. first-line, or a label defined by prior therapy only).
    case any
}

/// A timing rule about response to an earlier treatment, e.g. refractory to, or relapsed
/// within 12 months of, first-line chemo-immunotherapy.
public struct TimingRule: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// Refractory to the therapy, or relapsed within `months` of completing it.
        case refractoryOrRelapseWithin = "refractory-or-relapse-within"
        /// Relapsed at least `months` after it (rarely used).
        case relapseAfter = "relapse-after"
    }
    public var kind: Kind
    public var months: Int?
    /// What the rule is measured from, e.g. `first-line chemoimmunotherapy`.
    public var after: String
}

/// How far a relapse must have gone, as a label words it: "refractory or in second or
/// later relapse", "relapse post-transplant". Any one of the routes suffices.
public struct RelapseRequirement: Codable, Sendable, Hashable {
    /// Number of relapses at least (2: "second or later relapse").
    public var minRelapses: Int?
    /// Refractory disease qualifies too.
    @ListDefault public var routes: [RelapseRoute]

    public init(minRelapses: Int? = nil, routes: [RelapseRoute] = []) {
        self.minRelapses = minRelapses
        self.routes = routes
    }
}

/// Another way to meet a `RelapseRequirement` than the relapse count.
public enum RelapseRoute: String, Codable, Sendable, Hashable, CaseIterable {
    /// The disease is refractory (did not respond).
    case refractory
    /// The disease relapsed after a stem cell transplant.
    case relapseAfterTransplant = "relapse-after-transplant"
}

/// A disease state a label names: "metastatic castration-resistant", "unresectable or
/// metastatic", "BCG-unresponsive", "asymptomatic or minimally symptomatic".
public enum RequiredDiseaseState: String, Codable, Sendable, Hashable, CaseIterable {
    case metastatic
    case unresectableOrMetastatic = "unresectable-or-metastatic"
    case castrationResistant = "castration-resistant"
    case bcgUnresponsive = "bcg-unresponsive"
    case minimallySymptomatic = "minimally-symptomatic"
    /// Locally advanced or metastatic ("advanced").
    case advanced
    /// Carcinoma in situ is present (bladder: with or without papillary tumours).
    case carcinomaInSitu = "carcinoma-in-situ"
    /// Skin, under-skin or lymph-node lesions (that an injected product can reach).
    case injectableLesions = "injectable-lesions"
}

/// A prior-therapy requirement that applies only with a biomarker, e.g. "if BRAF V600
/// mutation positive, a BRAF inhibitor".
public struct ConditionalPriorTherapy: Codable, Sendable, Hashable {
    /// `Biomarker` id whose positive result triggers the requirement.
    public var ifBiomarker: String
    /// `DrugClass` ids; each is required.
    public var classes: [String]

    public init(ifBiomarker: String, classes: [String]) {
        self.ifBiomarker = ifBiomarker
        self.classes = classes
    }
}

/// A biomarker a label requires, e.g. MAGE-A4 expression.
public struct BiomarkerRequirement: Codable, Sendable, Hashable {
    /// `Biomarker` id.
    public var biomarker: String
    /// e.g. `positive`, `expression`, `mutation`.
    public var status: String
    public var note: String?

    public init(biomarker: String, status: String, note: String? = nil) {
        self.biomarker = biomarker
        self.status = status
        self.note = note
    }
}

/// Whether a label asks about eligibility for a stem cell transplant.
public enum TransplantRequirement: String, Codable, Sendable, Hashable, CaseIterable {
    /// Not eligible for high-dose chemotherapy and transplant.
    case ineligible
    /// Candidate for transplant.
    case eligible
}

/// One approved use of a product in one jurisdiction, written as criteria a matcher
/// can check. Free-text `additionalCriteria` hold what cannot yet be encoded.
public struct LabelIndication: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var region: Region
    /// Defaults to the region's regulator.
    public var regulator: String?
    public var approvalDate: Day?
    public var approvalType: ApprovalType
    public var status: ApprovalStatus?
    /// Cancer ids covered; descendants are covered too.
    public var cancers: [String]
    /// Cancer ids excluded even though they descend from a covered id.
    @ListDefault public var excludedCancers: [String]
    public var diseaseStatus: DiseaseStatus
    /// Minimum number of prior lines of systemic therapy (nil: no minimum stated).
    public var minPriorLines: Int?
    /// `DrugClass` ids the person must have received before.
    @ListDefault public var requiredPriorTherapyClasses: [String]
    /// `DrugClass` or `Drug` ids the disease must be refractory to.
    @ListDefault public var refractoryTo: [String]
    @ListDefault public var timing: [TimingRule]
    /// Relapse count or the other routes the label accepts ("refractory or second or later relapse").
    public var relapse: RelapseRequirement?
    /// Disease states the label names (metastatic, castration-resistant …); each is required.
    @ListDefault public var diseaseStates: [RequiredDiseaseState]
    /// Prior therapy required only with a biomarker (a BRAF inhibitor for BRAF V600).
    @ListDefault public var conditionalPriorTherapy: [ConditionalPriorTherapy]
    /// The label excludes people who had a CAR-T (or other cell therapy) against the product's target before.
    public var excludesPriorSameTargetCellTherapy: Bool?
    public var transplant: TransplantRequirement?
    public var ageMin: Int?
    /// Inclusive upper age bound ("up to 25 years" → 25).
    public var ageMax: Int?
    @ListDefault public var biomarkers: [BiomarkerRequirement]
    /// Required HLA alleles (any one suffices).
    @ListDefault public var hla: [String]
    @ListDefault public var additionalCriteria: [String]
    /// The indication in plain words (the editor's own words, not the label's).
    public var summary: String
    @ListDefault public var sources: [SourceID]

    public var isActive: Bool { (status ?? .active) == .active }
    public var regulatorName: String { regulator ?? region.regulator }

    /// Whether an `additionalCriteria` line is a note about the knowledge base's record of
    /// the label ("… not captured here", "conditional and time-limited") rather than a
    /// condition a person could check: a note for the label card, never a to-do.
    public static func isCaveat(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.contains("not captured") || lowered.hasPrefix("conditional and time-limited")
    }

    /// The `additionalCriteria` that are notes about this record (see `isCaveat`).
    public var caveats: [String] { additionalCriteria.filter(Self.isCaveat) }
}

/// An approved cell or gene therapy product and its label indications.
public struct Product: Codable, Sendable, Hashable, Identifiable, Sourced {
    public var id: String
    public var brand: String
    public var generic: String
    /// Short names and development codes (`axi-cel`, `KTE-C19`).
    @ListDefault public var synonyms: [String]
    public var sponsor: String
    public var modality: TherapyModality
    /// The antigen or gene the product acts through, e.g. `CD19`, `BCMA`, `p53`.
    public var target: String?
    /// `autologous` or `allogeneic` for cell products.
    public var cellSource: String?
    /// HLA alleles the product is restricted to (TCR-T), if any.
    @ListDefault public var hlaRestriction: [String]
    public var summary: String
    @ListDefault public var indications: [LabelIndication]
    /// The product's profile as sourced passages: how it works, what it targets, how it is
    /// made and given, its warnings and the trial behind its approval.
    @ListDefault public var facts: [ProductFact]
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?

    /// The facts about one aspect, those of `region` (or of every region) first.
    public func facts(_ aspect: ProductFact.Aspect, region: Region? = nil) -> [ProductFact] {
        facts.filter { $0.aspect == aspect && (region == nil || $0.region == nil || $0.region == region) }
    }
}

/// One sourced statement of a product's profile, in plain words.
public struct ProductFact: Codable, Sendable, Hashable {
    public enum Aspect: String, Codable, Sendable, Hashable, CaseIterable {
        /// How it works, in plain words.
        case mechanism
        /// The antigen, gene or pathway it acts through.
        case target
        /// How the gene is delivered (lentiviral, gammaretroviral, adenoviral, HSV-1 …) or that none is used.
        case vector
        /// Whose cells, and what is done to them (autologous, allogeneic, not engineered).
        case cellSource = "cell-source"
        /// CAR design: co-stimulatory domain, binder.
        case construct
        /// Route, dose form and how often it is given (one infusion, split dose, every 3 months …).
        case administration
        /// Where and by whom: certified centres, inpatient / outpatient, bridging, manufacturing time.
        case setting
        /// The US boxed warning, in plain words.
        case boxedWarning = "boxed-warning"
        /// The REMS status (US) or other controlled-distribution rules.
        case rems
        /// Warnings shared by the product's class (secondary T-cell cancers, HLH, prolonged cytopenia …).
        case classWarning = "class-warning"
        /// Side effects the label lists as most common or most serious.
        case sideEffects = "side-effects"
        /// Monitoring after treatment: staying near the centre, driving, lifelong follow-up.
        case monitoring
        /// The trial behind the approval and its headline result.
        case pivotalTrial = "pivotal-trial"
        /// Cost, reimbursement or access facts with a primary source.
        case access
    }

    public var aspect: Aspect
    /// The region the statement holds for (a label's country); none when it holds everywhere.
    public var region: Region?
    public var text: String
    @ListDefault public var sources: [SourceID]
    public var reviewed: Day?

    public init(aspect: Aspect, region: Region? = nil, text: String, sources: [SourceID], reviewed: Day? = nil) {
        self.aspect = aspect
        self.region = region
        self.text = text
        self.sources = sources
        self.reviewed = reviewed
    }
}
