import Fluent
import Foundation
import OncoRecords
import Vapor

/// Takes an upload into a case: checks it, stores it encrypted, commits the document row and
/// its processing job, and wakes the worker. Nothing is processed before the upload is safe.
enum DocumentIntake {
    /// Per-file limit; the upload route's body limit allows several such files at once.
    static let maximumFileBytes = 25 << 20
    static let maximumFilesPerUpload = 20

    enum Outcome: Sendable {
        case stored(CaseDocument)
        /// The same bytes are already in this case.
        case duplicate(CaseDocument)
        case rejected(fileName: String, reason: String)

        var fileName: String {
            switch self {
            case .stored(let document), .duplicate(let document): document.fileName
            case .rejected(let name, _): name
            }
        }
    }

    /// What a reader of the upload page sees for one file.
    struct FileResult: Content {
        let fileName: String
        let outcome: String
        let message: String
        let documentID: UUID?
        let status: String?
    }

    static func result(_ outcome: Outcome) -> FileResult {
        switch outcome {
        case .stored(let document):
            FileResult(fileName: document.fileName, outcome: "stored", message: "Stored safely; OncoNav is reading it now.", documentID: document.id, status: document.status.rawValue)
        case .duplicate(let document):
            FileResult(fileName: document.fileName, outcome: "duplicate",
                       message: "This file is already in the case (uploaded \(DisplayDate.string(document.createdAt)) as \"\(document.fileName)\"); nothing was added.",
                       documentID: document.id, status: document.status.rawValue)
        case .rejected(let name, let reason):
            FileResult(fileName: name, outcome: "rejected", message: reason, documentID: nil, status: nil)
        }
    }

    /// A display-safe file name: no directories, no control characters, at most 200 characters.
    static func cleanFileName(_ raw: String?) -> String {
        let base = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "unnamed file" : String(cleaned.prefix(200))
    }

    /// Checks, stores and queues an upload from a request, and audits it.
    static func ingest(_ request: Request, caseID: UUID, fileName rawName: String?, declaredType: String?, data: Data) async throws -> Outcome {
        let outcome = try await store(request.application, on: request.db, caseID: caseID, fileName: rawName, declaredType: declaredType,
                                      data: data, uploaderID: request.currentUser?.id, now: request.now)
        if case .stored(let document) = outcome {
            try await AuditLog.record(request, action: .create, objectType: "document", objectID: document.id?.uuidString, caseID: caseID)
        }
        return outcome
    }

    /// Checks an upload, stores it encrypted and commits the document with its job, then
    /// wakes the worker. Refusals store nothing.
    static func store(_ app: Application, on db: any Database, caseID: UUID, fileName rawName: String?, declaredType: String?,
                      data: Data, uploaderID: UUID?, now: Date) async throws -> Outcome {
        let fileName = cleanFileName(rawName)
        if data.isEmpty {
            return .rejected(fileName: fileName, reason: "The file is empty. Choose the file again; if it opens on your device, try exporting it as PDF.")
        }
        if data.count > maximumFileBytes {
            return .rejected(fileName: fileName, reason: "The file is \(ByteCountFormatter.string(fromByteCount: Int64(data.count), countStyle: .file)); the limit is \(maximumFileBytes >> 20) MB per file. Split a long PDF into parts, or scan at a lower resolution (200–300 dpi is plenty).")
        }
        let kind = DocumentKind.sniff(data: data)
        if kind == .unknown {
            return .rejected(fileName: fileName, reason: "OncoNav could not recognise this file's content. It reads PDF, JPEG, PNG and TIFF images, plain text, Word (DOCX) and FHIR R4 JSON. Photos in HEIC format: set the phone to save as JPEG, or export the photo as JPEG first.")
        }
        let mismatches = DocumentKind.mismatches(fileName: fileName, mimeType: declaredType, sniffed: kind)
        if let mismatch = mismatches.first {
            return .rejected(fileName: fileName, reason: "The file says it is \(mismatch.claimedKind.displayName) but its content is \(kind.displayName), so it was not stored. Upload the original file, or rename it to match its content.")
        }

        let address = try app.documentStore.put(data)
        if let existing = try await CaseDocument.query(on: db)
            .filter(\.$caseRecord.$id == caseID)
            .filter(\.$blobAddress == address.hex)
            .first() {
            return .duplicate(existing)
        }
        let document = CaseDocument(caseID: caseID, blobAddress: address.hex, fileName: fileName, declaredType: declaredType.map { String($0.prefix(120)) },
                                    kind: kind.rawValue, sizeBytes: data.count, uploadedBy: uploaderID)
        try await db.transaction { db in
            try await document.create(on: db)
            try await DocumentJob(documentID: try document.requireID(), runAfter: now).create(on: db)
        }
        app.logger.info("document stored", metadata: ["kind": .string(kind.rawValue), "bytes": .stringConvertible(data.count)])
        app.documentWorker.wake()
        return .stored(document)
    }

    /// Removes a document, its facts and — when no other document refers to them — its
    /// encrypted bytes and text.
    static func delete(_ document: CaseDocument, on db: any Database, app: Application) async throws {
        let store = app.documentStore
        // A job still reading the document stops now (its tools are killed), not minutes later.
        app.documentWorker.cancel(documentID: try document.requireID())
        let addresses = [document.blobAddress] + (document.textAddress.map { [$0] } ?? [])
        try await db.transaction { db in
            try await CaseFact.query(on: db).filter(\.$document.$id == document.requireID()).delete()
            try await DocumentJob.query(on: db).filter(\.$document.$id == document.requireID()).delete()
            try await document.delete(on: db)
        }
        for hex in addresses {
            let stillUsed = try await CaseDocument.query(on: db).group(.or) { $0.filter(\.$blobAddress == hex).filter(\.$textAddress == hex) }.count()
            if stillUsed == 0, let address = DocumentStore.Address(hex) { try store.remove(address) }
        }
    }
}

/// Deleting a case removes its documents' encrypted bytes as well as its rows.
enum CaseDeletion {
    static func delete(_ record: CaseRecord, on db: any Database, app: Application) async throws {
        let documents = try await CaseDocument.query(on: db).filter(\.$caseRecord.$id == record.requireID()).all()
        for document in documents { try await DocumentIntake.delete(document, on: db, app: app) }
        try await CaseFact.query(on: db).filter(\.$caseRecord.$id == record.requireID()).delete()
        try await record.delete(on: db)
    }
}
