import Fluent
import Foundation
import OncoRecords
import Vapor
import ZIPFoundation

/// A person's data rights: download everything about them (JSON, FHIR and the original
/// documents, zipped) and delete their account. The audit log keeps its entries (who did
/// what, when — no health data) as the law requires.
enum DataRightsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("account", "export", use: export).access(.signedIn)
        routes.post("account", "delete", use: deleteAccount).access(.signedIn)
    }

    struct AccountExport: Encodable {
        let exportedAt: Date
        let account: [String: String?]
        let cases: [CaseExport]
        let note: String
    }

    struct CaseExport: Encodable {
        let id: UUID
        let title: String
        let stage: String
        let createdAt: Date?
        let documents: [DocumentExport]
        let facts: [FactExport]
        let history: [[String: String?]]
        let tasks: [[String: String?]]
        let messages: [[String: String?]]
        let referrals: [[String: String?]]
    }

    struct DocumentExport: Encodable {
        let id: UUID
        let fileName: String
        let kind: String
        let category: String?
        let documentDate: String?
        let status: String
        let pathInArchive: String?
    }

    struct FactExport: Encodable {
        let id: UUID
        let reviewState: String
        let value: ProfileFact?
        let original: ProfileFact?
        let reviewedBy: String?
    }

    static func export(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let userID = try user.requireID()
        // Your own cases (patients); staff get their account record only — the cases they
        // work on belong to the patients.
        let cases = user.role == .patient ? try await CaseRecord.query(on: req.db).filter(\.$owner.$id == userID).all() : []
        let archive = try Archive(accessMode: .create)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let formatter = ISO8601DateFormatter()
        func date(_ value: Date?) -> String? { value.map(formatter.string(from:)) }
        var caseExports: [CaseExport] = []
        for record in cases {
            let caseID = try record.requireID()
            let folder = "cases/\(caseID.uuidString.lowercased())"
            let documents = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt).all()
            var documentExports: [DocumentExport] = []
            for (index, document) in documents.enumerated() {
                var path: String?
                if let address = DocumentStore.Address(document.blobAddress), let data = try? req.application.documentStore.get(address) {
                    path = "\(folder)/documents/\(index + 1)-\(safeName(document.fileName))"
                    try add(data, at: path!, to: archive)
                }
                documentExports.append(DocumentExport(id: try document.requireID(), fileName: document.fileName, kind: document.kind, category: document.category,
                                                      documentDate: document.documentDate, status: document.status.rawValue, pathInArchive: path))
            }
            let decoder = JSONDecoder()
            let facts = try await CaseFact.query(on: req.db).filter(\.$caseRecord.$id == caseID).all().map { row in
                FactExport(id: try row.requireID(), reviewState: row.reviewState.rawValue,
                           value: try? decoder.decode(ProfileFact.self, from: Data(row.payload.utf8)),
                           original: try? decoder.decode(ProfileFact.self, from: Data(row.originalPayload.utf8)), reviewedBy: row.reviewedBy)
            }
            let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
            try add(try FHIRExporter().exportData(stored.profile, patientID: caseID.uuidString.lowercased()), at: "\(folder)/profile.fhir.json", to: archive)
            let history = try await CaseStageChange.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$changedAt).all().map {
                ["from": $0.fromStage, "to": $0.toStage, "by": $0.actorName, "reason": $0.reason, "at": date($0.changedAt)]
            }
            let tasks = try await CaseTask.query(on: req.db).filter(\.$caseRecord.$id == caseID).all().map {
                ["title": $0.title, "status": $0.status.rawValue, "due": date($0.dueAt), "completed": date($0.completedAt)]
            }
            let messages = try await CaseMessage.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$sentAt).all().map {
                ["from": $0.authorName, "role": $0.authorRole, "body": $0.body, "at": date($0.sentAt)]
            }
            let referrals = try await ReferralPacket.query(on: req.db).filter(\.$caseRecord.$id == caseID).with(\.$organization).all().map {
                ["organization": $0.organization.name, "option": $0.option, "status": $0.status.rawValue, "consent": $0.consentBy,
                 "consentAt": date($0.consentAt), "consentWithdrawnAt": date($0.consentWithdrawnAt), "expires": date($0.expiresAt)] as [String: String?]
            }
            caseExports.append(CaseExport(id: caseID, title: record.title, stage: record.stage.rawValue, createdAt: record.createdAt,
                                          documents: documentExports, facts: facts, history: history, tasks: tasks, messages: messages, referrals: referrals))
        }
        let export = AccountExport(
            exportedAt: req.now,
            account: ["email": user.email, "displayName": user.displayName, "role": user.role.rawValue, "createdAt": date(user.createdAt)],
            cases: caseExports,
            note: "Everything OncoNav holds about you: your account, your cases with every value and where it came from (profile.fhir.json is the same as an mCODE FHIR R4 Bundle), and the original documents you uploaded.")
        try add(try encoder.encode(export), at: "onconav-export.json", to: archive)
        try await AuditLog.record(req, action: .export, objectType: "account-export", objectID: userID.uuidString, caseID: nil)
        guard let data = archive.data else { throw Abort(.internalServerError, reason: "The archive could not be written.") }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/zip")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"onconav-export.zip\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    static func add(_ data: Data, at path: String, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    static func safeName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(120))
    }

    struct DeleteForm: Content {
        var password: String
        var confirm: String?
    }

    /// Deletes the account after the password is given again: a patient's cases with their
    /// documents, facts, messages and referrals; sessions and tokens. Staff accounts with
    /// cases assigned are unassigned first.
    static func deleteAccount(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let form = try req.content.decode(DeleteForm.self)
        guard form.confirm == "delete", try await req.verifyPassword(form.password, created: user.passwordHash) else {
            throw AppError.badRequest("To delete your account, tick the box and enter your current password.")
        }
        let userID = try user.requireID()
        try await AuditLog.record(req, action: .delete, objectType: "account", objectID: userID.uuidString, caseID: nil)
        for record in try await CaseRecord.query(on: req.db).filter(\.$owner.$id == userID).all() {
            try await CaseDeletion.delete(record, on: req.db, app: req.application)
        }
        try await CaseRecord.query(on: req.db).filter(\.$navigator.$id == userID).set(\.$navigator.$id, to: nil).update()
        try await CaseTask.query(on: req.db).filter(\.$owner.$id == userID).set(\.$owner.$id, to: nil).update()
        try await UserSession.query(on: req.db).filter(\.$user.$id == userID).delete()
        try await APIToken.query(on: req.db).filter(\.$user.$id == userID).delete()
        try await OneTimeToken.query(on: req.db).filter(\.$user.$id == userID).delete()
        try await MessageRead.query(on: req.db).filter(\.$userID == userID).delete()
        try await user.delete(on: req.db)
        let response = req.redirect(to: "/?notice=account-deleted")
        response.cookies[SessionCookie.name] = Sessions.cookie("", request: req, maxAge: 0)
        return response
    }
}
