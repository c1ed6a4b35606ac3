import Fluent
import Foundation

/// One uploaded file of a case. The bytes live encrypted in the `DocumentStore` under
/// `blobAddress`; the text extracted from them under `textAddress`. The row is committed
/// before any processing starts, so a failed or interrupted extraction never loses the upload.
public final class CaseDocument: Model, @unchecked Sendable {
    public static let schema = "documents"

    /// Where a document is in its processing.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Stored, waiting for the extraction job.
        case queued
        case processing
        /// Text extracted (or FHIR imported) and facts added to the case.
        case ready
        /// The last attempt failed; another is scheduled (see the job).
        case retrying
        /// Every attempt failed, or the file cannot be read; the reason is in `statusDetail`.
        case failed
        /// A tool the server needs is not installed ("text extraction unavailable: install …").
        case unavailable

        public var label: String {
            switch self {
            case .queued: "Waiting to be read"
            case .processing: "Reading…"
            case .ready: "Read"
            case .retrying: "Will try again"
            case .failed: "Could not be read"
            case .unavailable: "Text extraction unavailable"
            }
        }

        /// Whether the status can still change without anyone doing anything.
        public var isSettled: Bool { self == .ready || self == .failed || self == .unavailable }
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @Field(key: "blob_address") public var blobAddress: String
    @OptionalField(key: "text_address") public var textAddress: String?
    @Field(key: "file_name") public var fileName: String
    @OptionalField(key: "declared_type") public var declaredType: String?
    /// `DocumentKind` raw value, sniffed from the content.
    @Field(key: "kind") public var kind: String
    @Field(key: "size_bytes") public var sizeBytes: Int
    @OptionalField(key: "page_count") public var pageCount: Int?
    /// `DocumentCategory` raw value once classified.
    @OptionalField(key: "category") public var category: String?
    /// ISO date (YYYY, YYYY-MM or YYYY-MM-DD) the document was written, once found.
    @OptionalField(key: "document_date") public var documentDate: String?
    @Enum(key: "status") public var status: Status
    @OptionalField(key: "status_detail") public var statusDetail: String?
    /// JSON array of warnings for the reviewer (type mismatch, OCR used, pages skipped…).
    @OptionalField(key: "warnings") public var warningsJSON: String?
    @OptionalField(key: "used_ocr") public var usedOCR: Bool?
    @OptionalField(key: "fact_count") public var factCount: Int?
    @OptionalParent(key: "uploaded_by") public var uploadedBy: User?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, caseID: UUID, blobAddress: String, fileName: String, declaredType: String?,
                kind: String, sizeBytes: Int, uploadedBy: UUID?) {
        self.id = id
        self.$caseRecord.id = caseID
        self.blobAddress = blobAddress
        self.fileName = fileName
        self.declaredType = declaredType
        self.kind = kind
        self.sizeBytes = sizeBytes
        self.status = .queued
        self.$uploadedBy.id = uploadedBy
    }

    public var warnings: [String] {
        guard let warningsJSON, let data = warningsJSON.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }

    public func setWarnings(_ warnings: [String]) {
        warningsJSON = warnings.isEmpty ? nil : String(decoding: (try? JSONEncoder().encode(warnings)) ?? Data(), as: UTF8.self)
    }
}

/// A unit of background work, persisted so it survives a restart: claimed by a worker,
/// retried with backoff, given up after `maxAttempts` with the reason kept.
public final class DocumentJob: Model, @unchecked Sendable {
    public static let schema = "document_jobs"

    public enum State: String, Codable, Sendable {
        case queued
        case running
        case done
        case failed
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "document_id") public var document: CaseDocument
    @Enum(key: "state") public var state: State
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "max_attempts") public var maxAttempts: Int
    /// Not before this time (backoff after a failure).
    @Field(key: "run_after") public var runAfter: Date
    /// When a worker claimed it; a job `running` for too long was orphaned by a crash.
    @OptionalField(key: "claimed_at") public var claimedAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, documentID: UUID, runAfter: Date, maxAttempts: Int = 4) {
        self.id = id
        self.$document.id = documentID
        self.state = .queued
        self.attempts = 0
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
    }
}

/// One value of a case's profile with its provenance (`payload` is the `ProfileFact` as
/// JSON). `originalPayload` is what the extractor or importer produced and is never changed;
/// review changes `payload`, `reviewState` and who/when, and is audited.
public final class CaseFact: Model, @unchecked Sendable {
    public static let schema = "case_facts"

    public enum ReviewState: String, Codable, Sendable, CaseIterable {
        case pending
        case confirmed
        case rejected
        /// Replaced by a person's correction (`correctedBy` points at the new fact).
        case corrected
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @OptionalParent(key: "document_id") public var document: CaseDocument?
    @Field(key: "field") public var field: String
    @Field(key: "payload") public var payload: String
    @Field(key: "original_payload") public var originalPayload: String
    @Enum(key: "review_state") public var reviewState: ReviewState
    @OptionalField(key: "reviewed_by") public var reviewedBy: String?
    @OptionalField(key: "reviewed_at") public var reviewedAt: Date?
    @OptionalField(key: "review_note") public var reviewNote: String?
    /// For a correction: the fact it replaces. For a corrected fact: nil.
    @OptionalField(key: "corrects_id") public var correctsID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID, caseID: UUID, documentID: UUID?, field: String, payload: String, correctsID: UUID? = nil) {
        self.id = id
        self.$caseRecord.id = caseID
        self.$document.id = documentID
        self.field = field
        self.payload = payload
        self.originalPayload = payload
        self.reviewState = .pending
        self.correctsID = correctsID
    }
}
