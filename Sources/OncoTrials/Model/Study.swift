import Foundation

/// One ClinicalTrials.gov study in the API v2 JSON shape (`protocolSection`,
/// `derivedSection`, …), reduced to the fields OncoNav navigates by.
///
/// The nesting mirrors the registry's JSON on purpose: the same type decodes a record from
/// the API, the bulk ZIP and our own stored raw bytes, and a reader can compare a field
/// with the registry's documentation by name. Every field is optional except the NCT ID;
/// unknown fields (results, documents, annotations …) are ignored when decoding.
public struct Study: Codable, Sendable, Hashable {
    public var protocolSection: ProtocolSection
    public var derivedSection: DerivedSection?
    public var hasResults: Bool?

    public init(protocolSection: ProtocolSection, derivedSection: DerivedSection? = nil, hasResults: Bool? = nil) {
        self.protocolSection = protocolSection
        self.derivedSection = derivedSection
        self.hasResults = hasResults
    }

    /// The modules of the protocol section that OncoNav reads.
    public struct ProtocolSection: Codable, Sendable, Hashable {
        public var identificationModule: Identification
        public var statusModule: Status?
        public var conditionsModule: Conditions?
        public var armsInterventionsModule: ArmsInterventions?
        public var designModule: Design?
        public var descriptionModule: Description?
        public var eligibilityModule: Eligibility?
        public var contactsLocationsModule: ContactsLocations?
        public var sponsorCollaboratorsModule: SponsorCollaborators?

        public init(identificationModule: Identification) {
            self.identificationModule = identificationModule
        }
    }

    public struct Identification: Codable, Sendable, Hashable {
        public var nctId: String
        public var briefTitle: String?
        public var officialTitle: String?
        public var acronym: String?
        public var nctIdAliases: [String]?

        public init(nctId: String, briefTitle: String? = nil, officialTitle: String? = nil, acronym: String? = nil) {
            self.nctId = nctId
            self.briefTitle = briefTitle
            self.officialTitle = officialTitle
            self.acronym = acronym
        }
    }

    /// A registry date with its type (`ACTUAL` / `ESTIMATED`); `date` is `yyyy-MM-dd` or `yyyy-MM`.
    public struct DateStruct: Codable, Sendable, Hashable {
        public var date: String?
        public var type: String?
        public init(date: String?, type: String? = nil) { self.date = date; self.type = type }
        /// The date as a UTC day (a month-only date means its first day).
        public var parsed: RegistryDate? { date.flatMap(RegistryDate.init(_:)) }
    }

    public struct Status: Codable, Sendable, Hashable {
        public var overallStatus: String?
        public var lastKnownStatus: String?
        public var whyStopped: String?
        public var statusVerifiedDate: String?
        public var startDateStruct: DateStruct?
        public var primaryCompletionDateStruct: DateStruct?
        public var completionDateStruct: DateStruct?
        public var studyFirstPostDateStruct: DateStruct?
        public var lastUpdateSubmitDate: String?
        public var lastUpdatePostDateStruct: DateStruct?
        public init() {}
    }

    public struct Conditions: Codable, Sendable, Hashable {
        public var conditions: [String]?
        public var keywords: [String]?
        public init(conditions: [String]? = nil, keywords: [String]? = nil) {
            self.conditions = conditions
            self.keywords = keywords
        }
    }

    public struct ArmsInterventions: Codable, Sendable, Hashable {
        public var interventions: [Intervention]?
        public var armGroups: [ArmGroup]?
        public init(interventions: [Intervention]? = nil) { self.interventions = interventions }
    }

    public struct Intervention: Codable, Sendable, Hashable {
        /// `DRUG`, `BIOLOGICAL`, `GENETIC`, `PROCEDURE`, `DEVICE`, `RADIATION`, `OTHER` …
        public var type: String?
        public var name: String?
        public var description: String?
        public var otherNames: [String]?
        public var armGroupLabels: [String]?
        public init(type: String? = nil, name: String? = nil, description: String? = nil, otherNames: [String]? = nil) {
            self.type = type
            self.name = name
            self.description = description
            self.otherNames = otherNames
        }
    }

    public struct ArmGroup: Codable, Sendable, Hashable {
        public var label: String?
        public var type: String?
        public var description: String?
        public var interventionNames: [String]?
    }

    public struct Design: Codable, Sendable, Hashable {
        public var studyType: String?
        /// `EARLY_PHASE1`, `PHASE1` … `PHASE4`, `NA`.
        public var phases: [String]?
        public var designInfo: DesignInfo?
        public var enrollmentInfo: EnrollmentInfo?
        public init(studyType: String? = nil, phases: [String]? = nil) {
            self.studyType = studyType
            self.phases = phases
        }
    }

    public struct DesignInfo: Codable, Sendable, Hashable {
        public var allocation: String?
        public var interventionModel: String?
        public var primaryPurpose: String?
        public var maskingInfo: MaskingInfo?
    }

    public struct MaskingInfo: Codable, Sendable, Hashable {
        public var masking: String?
    }

    public struct EnrollmentInfo: Codable, Sendable, Hashable {
        public var count: Int?
        public var type: String?
    }

    public struct Description: Codable, Sendable, Hashable {
        public var briefSummary: String?
        public var detailedDescription: String?
        public init(briefSummary: String? = nil) { self.briefSummary = briefSummary }
    }

    public struct Eligibility: Codable, Sendable, Hashable {
        public var eligibilityCriteria: String?
        public var healthyVolunteers: Bool?
        /// `ALL`, `FEMALE`, `MALE`.
        public var sex: String?
        public var minimumAge: String?
        public var maximumAge: String?
        public var stdAges: [String]?
        public init(eligibilityCriteria: String? = nil, sex: String? = nil, minimumAge: String? = nil, maximumAge: String? = nil) {
            self.eligibilityCriteria = eligibilityCriteria
            self.sex = sex
            self.minimumAge = minimumAge
            self.maximumAge = maximumAge
        }
        /// `minimumAge` parsed ("18 Years" → 18 years); nil when absent or "N/A".
        public var minimumAgeLimit: AgeLimit? { minimumAge.flatMap(AgeLimit.init(_:)) }
        /// `maximumAge` parsed; nil when absent or "N/A".
        public var maximumAgeLimit: AgeLimit? { maximumAge.flatMap(AgeLimit.init(_:)) }
    }

    public struct ContactsLocations: Codable, Sendable, Hashable {
        public var centralContacts: [Contact]?
        public var locations: [Location]?
        public init(centralContacts: [Contact]? = nil, locations: [Location]? = nil) {
            self.centralContacts = centralContacts
            self.locations = locations
        }
    }

    public struct Contact: Codable, Sendable, Hashable {
        public var name: String?
        public var role: String?
        public var phone: String?
        public var phoneExt: String?
        public var email: String?
    }

    public struct Location: Codable, Sendable, Hashable {
        public var facility: String?
        /// Site recruiting status: `RECRUITING`, `NOT_YET_RECRUITING`, `COMPLETED` …
        public var status: String?
        public var city: String?
        public var state: String?
        public var zip: String?
        public var country: String?
        public var geoPoint: GeoPoint?
        public var contacts: [Contact]?
        public init(facility: String? = nil, status: String? = nil, city: String? = nil, state: String? = nil,
                    country: String? = nil, geoPoint: GeoPoint? = nil) {
            self.facility = facility
            self.status = status
            self.city = city
            self.state = state
            self.country = country
            self.geoPoint = geoPoint
        }
    }

    public struct GeoPoint: Codable, Sendable, Hashable {
        public var lat: Double
        public var lon: Double
        public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }
    }

    public struct SponsorCollaborators: Codable, Sendable, Hashable {
        public var leadSponsor: Sponsor?
        public var collaborators: [Sponsor]?
    }

    public struct Sponsor: Codable, Sendable, Hashable {
        public var name: String?
        public var `class`: String?
    }

    public struct DerivedSection: Codable, Sendable, Hashable {
        public var conditionBrowseModule: BrowseModule?
        public var interventionBrowseModule: BrowseModule?
        public init(conditionBrowseModule: BrowseModule? = nil, interventionBrowseModule: BrowseModule? = nil) {
            self.conditionBrowseModule = conditionBrowseModule
            self.interventionBrowseModule = interventionBrowseModule
        }
    }

    /// MeSH terms the registry derived from the conditions or interventions.
    public struct BrowseModule: Codable, Sendable, Hashable {
        public var meshes: [MeshTerm]?
        public var ancestors: [MeshTerm]?
        public init(meshes: [MeshTerm]? = nil, ancestors: [MeshTerm]? = nil) {
            self.meshes = meshes
            self.ancestors = ancestors
        }
    }

    public struct MeshTerm: Codable, Sendable, Hashable {
        public var id: String?
        public var term: String?
        public init(id: String? = nil, term: String? = nil) { self.id = id; self.term = term }
    }
}
