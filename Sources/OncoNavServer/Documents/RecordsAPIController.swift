import Fluent
import Foundation
import OncoRecords
import Vapor

/// The case's records over the JSON API: documents (upload, status, original), the profile
/// with every value's provenance, review, and the mCODE FHIR export.
enum RecordsAPIController {
    static func register(_ api: any RoutesBuilder) {
        api.get("cases", ":caseID", "documents", use: list).access(.signedIn)
        api.on(.POST, "cases", ":caseID", "documents", bodyLimit: "26mb", use: upload).access(.signedIn)
        api.get("cases", ":caseID", "documents", ":documentID", use: get).access(.signedIn)
        api.get("cases", ":caseID", "documents", ":documentID", "content", use: content).access(.signedIn)
        api.delete("cases", ":caseID", "documents", ":documentID", use: delete).access(.signedIn)
        api.get("cases", ":caseID", "profile", use: profile).access(.signedIn)
        api.post("cases", ":caseID", "facts", ":factID", "review", use: review).access(.signedIn)
        api.get("cases", ":caseID", "fhir", use: fhir).access(.signedIn)
    }

    struct DocumentDTO: Content {
        let id: UUID
        let fileName: String
        let kind: String
        let category: String?
        let documentDate: String?
        let sizeBytes: Int
        let pageCount: Int?
        let usedOCR: Bool?
        let status: String
        let statusDetail: String?
        let warnings: [String]
        let factCount: Int
        let createdAt: Date?

        init(_ document: CaseDocument) throws {
            id = try document.requireID()
            fileName = document.fileName
            kind = document.kind
            category = document.category
            documentDate = document.documentDate
            sizeBytes = document.sizeBytes
            pageCount = document.pageCount
            usedOCR = document.usedOCR
            status = document.status.rawValue
            statusDetail = document.statusDetail
            warnings = document.warnings
            factCount = document.factCount ?? 0
            createdAt = document.createdAt
        }
    }

    struct DocumentListDTO: Content {
        let documents: [DocumentDTO]
    }

    static func list(req: Request) async throws -> DocumentListDTO {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let documents = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).sort(\.$createdAt).all()
        return DocumentListDTO(documents: try documents.map(DocumentDTO.init))
    }

    struct UploadResultDTO: Content {
        let outcome: String
        let message: String
        let document: DocumentDTO?
    }

    /// The request body is the file; its name comes from `?name=` and its declared type from
    /// Content-Type (checked against the content, never trusted).
    static func upload(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let data = req.body.data.map { Data(buffer: $0) } ?? Data()
        let name = try? req.query.get(String.self, at: "name")
        let declared = req.headers.contentType.map { $0.serialize() }
        let outcome = try await DocumentIntake.ingest(req, caseID: record.requireID(), fileName: name, declaredType: declared == "application/octet-stream" ? nil : declared, data: data)
        switch outcome {
        case .stored(let document):
            let response = try await UploadResultDTO(outcome: "stored", message: DocumentIntake.result(outcome).message, document: DocumentDTO(document)).encodeResponse(status: .created, for: req)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/cases/\(try record.requireID())/documents/\(try document.requireID())")
            return response
        case .duplicate(let document):
            return try await UploadResultDTO(outcome: "duplicate", message: DocumentIntake.result(outcome).message, document: DocumentDTO(document)).encodeResponse(status: .ok, for: req)
        case .rejected(_, let reason):
            throw Abort(.unprocessableEntity, reason: reason)
        }
    }

    static func get(req: Request) async throws -> DocumentDTO {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let document = try await DocumentController.document(req, caseID: record.requireID())
        try await AuditLog.record(req, action: .read, objectType: "document", objectID: document.id?.uuidString, caseID: record.id)
        return try DocumentDTO(document)
    }

    static func content(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let document = try await DocumentController.document(req, caseID: record.requireID())
        guard let address = DocumentStore.Address(document.blobAddress) else { throw AppError.notFound }
        let data = try req.application.documentStore.get(address)
        try await AuditLog.record(req, action: .read, objectType: "document-original", objectID: document.id?.uuidString, caseID: record.id)
        return DocumentController.downloadResponse(data: data, fileName: document.fileName, kind: DocumentKind(rawValue: document.kind) ?? .unknown)
    }

    static func delete(req: Request) async throws -> HTTPStatus {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .delete)
        let document = try await DocumentController.document(req, caseID: record.requireID())
        try await DocumentIntake.delete(document, on: req.db, app: req.application)
        try await AuditLog.record(req, action: .delete, objectType: "document", objectID: document.id?.uuidString, caseID: record.id)
        return .noContent
    }

    struct FactDTO: Content {
        let fact: FactSummary
        let reviewState: String
        let documentID: UUID?
        let correctsID: UUID?
        let reviewedBy: String?
        let reviewedAt: Date?
    }

    struct ProfileDTO: Content {
        let caseID: UUID
        let facts: [FactDTO]
        let conflicts: [FactConflict]
        let summary: CaseSummary
        let unknowns: [String]
        let disclaimer: String
    }

    static func profile(req: Request) async throws -> ProfileDTO {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let stored = try await CaseProfiles.load(caseID: record.requireID(), on: req.db)
        try await AuditLog.record(req, action: .read, objectType: "profile", objectID: nil, caseID: record.id)
        let summary = CaseSummary(profile: stored.profile)
        let facts = stored.profile.facts.compactMap { fact -> FactDTO? in
            guard let row = stored.rows[fact.id] else { return nil }
            return FactDTO(fact: fact.summary, reviewState: row.reviewState.rawValue, documentID: row.$document.id, correctsID: row.correctsID,
                           reviewedBy: row.reviewedBy, reviewedAt: row.reviewedAt)
        }
        return ProfileDTO(caseID: try record.requireID(), facts: facts, conflicts: stored.profile.conflicts, summary: summary,
                          unknowns: summary.unknowns, disclaimer: CaseSummary.disclaimer)
    }

    struct ReviewDTO: Content {
        /// confirm, reject or correct.
        let action: String
        let reason: String?
        /// For correct: the value as a report would write it ("ECOG 1").
        let correction: String?
    }

    static func review(req: Request) async throws -> FactDTO {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        guard let raw = req.parameters.get("factID"), let factID = UUID(uuidString: raw) else { throw AppError.notFound }
        let input = try req.content.decode(ReviewDTO.self)
        let review: CaseProfiles.Review
        switch input.action {
        case "confirm": review = .confirm
        case "reject": review = .reject(reason: input.reason)
        case "correct":
            guard let text = input.correction?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                throw AppError.badRequest("`correction` is required for action `correct`.")
            }
            review = .correct(text: text)
        default: throw AppError.badRequest("`action` must be confirm, reject or correct.")
        }
        let reviewer = req.currentUser.map { "\($0.displayName) (\($0.email))" } ?? "unknown"
        let row: CaseFact
        do {
            row = try await CaseProfiles.review(review, factID: factID, caseID: caseID, by: reviewer, lexicon: req.application.recordsLexicon, now: req.now, on: req.db)
        } catch let error as CaseProfiles.ReviewError {
            if case .notFound = error { throw AppError.notFound }
            throw Abort(.unprocessableEntity, reason: error.description)
        }
        try await AuditLog.record(req, action: .update, objectType: "fact", objectID: row.id?.uuidString, caseID: caseID)
        let fact = try JSONDecoder().decode(ProfileFact.self, from: Data(row.payload.utf8))
        return FactDTO(fact: fact.summary, reviewState: row.reviewState.rawValue, documentID: row.$document.id, correctsID: row.correctsID,
                       reviewedBy: row.reviewedBy, reviewedAt: row.reviewedAt)
    }

    /// The confirmed profile as an mCODE FHIR R4 Bundle (`?include=pending` adds values not
    /// yet confirmed).
    static func fhir(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let stored = try await CaseProfiles.load(caseID: record.requireID(), on: req.db)
        let includePending = (try? req.query.get(String.self, at: "include")) == "pending"
        let profile = includePending ? stored.profile : stored.confirmedProfile
        let data = try FHIRExporter().exportData(profile, patientID: try record.requireID().uuidString.lowercased())
        try await AuditLog.record(req, action: .read, objectType: "fhir-export", objectID: nil, caseID: record.id)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/fhir+json")
        return response
    }
}
