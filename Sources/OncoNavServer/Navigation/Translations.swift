import Fluent
import Foundation
import OncoRecords
import Vapor

/// A translation of one of a case's documents: requested into a language, the translated
/// version attached (uploaded like any document), shown beside the original, and marked
/// verified by a named person.
public final class DocumentTranslation: Model, @unchecked Sendable {
    public static let schema = "document_translations"

    public enum Status: String, Codable, Sendable {
        case requested
        case attached
        case verified
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @Parent(key: "document_id") public var document: CaseDocument
    @Field(key: "language") public var language: String
    @Enum(key: "status") public var status: Status
    @OptionalParent(key: "translated_document_id") public var translatedDocument: CaseDocument?
    @Field(key: "requested_by") public var requestedBy: String
    @OptionalField(key: "verified_by") public var verifiedBy: String?
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(caseID: UUID, documentID: UUID, language: String, requestedBy: String) {
        self.$caseRecord.id = caseID
        self.$document.id = documentID
        self.language = language
        self.status = .requested
        self.requestedBy = requestedBy
    }
}

enum TranslationController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("cases", ":caseID", "documents", ":documentID", "translations", use: request).access(.signedIn)
        routes.on(.POST, "cases", ":caseID", "translations", ":translationID", "attach", bodyLimit: "30mb", use: attach).access(.signedIn)
        routes.post("cases", ":caseID", "translations", ":translationID", "verify", use: verify).access(.staff)
        routes.get("cases", ":caseID", "translations", ":translationID", use: show).access(.signedIn)
    }

    struct RequestForm: Content { var language: String }

    static func request(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        let document = try await DocumentController.document(req, caseID: caseID)
        let language = try req.content.decode(RequestForm.self).language.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !language.isEmpty, language.count <= 60 else { throw AppError.badRequest("Name the language to translate into, e.g. English or Deutsch.") }
        let translation = DocumentTranslation(caseID: caseID, documentID: try document.requireID(), language: language, requestedBy: "\(user.displayName) (\(user.role.displayName))")
        try await translation.create(on: req.db)
        try await CaseTask(caseID: caseID, title: "Translate \(document.fileName) into \(language)", ownerID: record.$navigator.id,
                           dueAt: CaseWorkflow.addingWorkingDays(5, to: req.now), stage: nil, createdBy: user.id).create(on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "translation", objectID: translation.id?.uuidString, caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)/documents/\(try document.requireID())?notice=task-saved#translations")
    }

    static func load(_ req: Request, caseID: UUID) async throws -> DocumentTranslation {
        guard let raw = req.parameters.get("translationID"), let id = UUID(uuidString: raw),
              let translation = try await DocumentTranslation.query(on: req.db).filter(\.$id == id).filter(\.$caseRecord.$id == caseID).first() else {
            throw AppError.notFound
        }
        return translation
    }

    struct AttachForm: Content { var file: File }

    /// The translated version is stored like any upload (encrypted, read by the worker).
    static func attach(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        let translation = try await load(req, caseID: caseID)
        let file = try req.content.decode(AttachForm.self).file
        let outcome = try await DocumentIntake.ingest(req, caseID: caseID, fileName: file.filename, declaredType: file.contentType?.serialize(), data: Data(buffer: file.data))
        switch outcome {
        case .stored(let document), .duplicate(let document):
            translation.$translatedDocument.id = try document.requireID()
            translation.status = .attached
            translation.verifiedBy = nil
            translation.verifiedAt = nil
            try await translation.save(on: req.db)
            try await AuditLog.record(req, action: .update, objectType: "translation", objectID: translation.id?.uuidString, caseID: caseID)
            return req.redirect(to: "/cases/\(caseID)/translations/\(try translation.requireID())")
        case .rejected(_, let reason):
            throw AppError.badRequest(reason)
        }
    }

    struct VerifyForm: Content { var verifier: String }

    static func verify(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        let translation = try await load(req, caseID: caseID)
        guard translation.status != .requested else { throw AppError.badRequest("Attach the translated version before marking it verified.") }
        let verifier = try req.content.decode(VerifyForm.self).verifier.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !verifier.isEmpty, verifier.count <= 200 else { throw AppError.badRequest("Give the name of the person who checked the translation.") }
        translation.status = .verified
        translation.verifiedBy = verifier
        translation.verifiedAt = req.now
        try await translation.save(on: req.db)
        try await AuditLog.record(req, action: .update, objectType: "translation-verified", objectID: translation.id?.uuidString, caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)/translations/\(try translation.requireID())")
    }

    struct SideBySide: Encodable, Sendable {
        let caseID: String
        let translationID: String
        let language: String
        let status: String
        let original: String
        let originalName: String
        let originalID: String
        let translated: String?
        let translatedName: String?
        let verified: String?
        let mayEdit: Bool
        let mayVerify: Bool
    }

    static func show(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let caseID = try record.requireID()
        let translation = try await load(req, caseID: caseID)
        let original = try await translation.$document.get(on: req.db)
        let translated = try await translation.$translatedDocument.get(on: req.db)
        let store = req.application.documentStore
        try await AuditLog.record(req, action: .read, objectType: "translation", objectID: translation.id?.uuidString, caseID: caseID)
        let facts = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        let mayEdit = CasePolicy.permits(.update, actor: try CaseAccess.actor(for: user), on: facts)
        let page = SideBySide(
            caseID: caseID.uuidString, translationID: try translation.requireID().uuidString, language: translation.language, status: translation.status.rawValue,
            original: try CaseRecordViews.extractedText(of: original, store: store) ?? "(no text could be read from the original)", originalName: original.fileName, originalID: try original.requireID().uuidString,
            translated: try translated.map { try CaseRecordViews.extractedText(of: $0, store: store) ?? "(the translated document is still being read)" }, translatedName: translated?.fileName,
            verified: translation.verifiedAt.map { "Verified by \(translation.verifiedBy ?? "?") on \(DisplayDate.string($0))" },
            mayEdit: mayEdit, mayVerify: mayEdit && user.role != .patient && translation.status == .attached)
        return try await req.page("cases/translation", title: "Translation into \(translation.language)", content: page)
    }
}
