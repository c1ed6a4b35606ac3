import Fluent
import Foundation
import OncoTrials

/// One imported registry study. The raw JSON is kept (deflate-compressed) so nothing is
/// lost and the parser can be re-run (`onconav trials reparse`); a few columns are copied
/// out for listing.
public final class TrialRecord: Model, @unchecked Sendable {
    public static let schema = "trials"

    @ID(key: .id) public var id: UUID?
    @Field(key: "nct_id") public var nctID: String
    /// `YYYY-MM-DD` or `YYYY-MM` as the registry gives it; compared as a date on import.
    @OptionalField(key: "last_update") public var lastUpdate: String?
    @Field(key: "title") public var title: String
    @OptionalField(key: "overall_status") public var overallStatus: String?
    @Field(key: "phases") public var phases: String
    @Field(key: "conditions") public var conditions: String
    /// Therapy modalities of the interventions, comma-separated raw values.
    @Field(key: "modalities") public var modalities: String
    @Field(key: "raw") public var raw: Data
    /// SHA-256 (hex) of the eligibility criteria text `parsedCriteria` was read from.
    @OptionalField(key: "criteria_hash") public var criteriaHash: String?
    /// `CriteriaReading.version` of the stored parse; any other value is re-read in the background.
    @OptionalField(key: "parser_version") public var parserVersion: String?
    /// The parsed criteria: `StoredCriteria` JSON, deflate-compressed. Parsed once, at import.
    @OptionalField(key: "parsed_criteria") public var parsedCriteria: Data?
    @Timestamp(key: "imported_at", on: .update) public var importedAt: Date?

    public init() {}
}

/// The listing columns copied out of a parsed study (the importer's SQL and `fill` share this).
struct TrialColumns: Sendable {
    let title: String
    let overallStatus: String?
    let phases: String
    let conditions: String
    let modalities: String

    init(_ study: Study, nctID: String, classifier: ModalityClassifier) {
        title = String((study.briefTitle ?? study.officialTitle ?? nctID).prefix(1000))
        overallStatus = study.overallStatus
        phases = study.phases.joined(separator: ",")
        conditions = String(study.conditions.joined(separator: "; ").prefix(2000))
        modalities = classifier.classify(study).map(\.rawValue).sorted().joined(separator: ",")
    }
}

extension TrialRecord {
    /// Copies the listing columns out of a parsed study (import and reparse share this).
    func fill(from study: Study, classifier: ModalityClassifier) {
        let columns = TrialColumns(study, nctID: nctID, classifier: classifier)
        title = columns.title
        overallStatus = columns.overallStatus
        phases = columns.phases
        conditions = columns.conditions
        modalities = columns.modalities
    }

    /// Keeps a parse of the study's criteria with it.
    func store(_ parsed: CriteriaReading.Parsed) {
        criteriaHash = parsed.hash
        parserVersion = parsed.version
        parsedCriteria = parsed.stored
    }
}
