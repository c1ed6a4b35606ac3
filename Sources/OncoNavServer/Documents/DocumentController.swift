import Fluent
import Foundation
import OncoRecords
import Vapor

/// Documents and facts of a case in the browser: upload, processing status, the document
/// viewer with the source words highlighted, download of the original, review of values.
/// Every handler loads the case through `CaseAccess` (policy + audit).
enum DocumentController {
    static func register(_ routes: any RoutesBuilder) {
        routes.on(.POST, "cases", ":caseID", "documents", bodyLimit: "110mb", use: upload).access(.signedIn)
        routes.get("cases", ":caseID", "documents", "status", use: status).access(.signedIn)
        routes.get("cases", ":caseID", "documents", ":documentID", use: show).access(.signedIn)
        routes.get("cases", ":caseID", "documents", ":documentID", "original", use: original).access(.signedIn)
        routes.post("cases", ":caseID", "documents", ":documentID", "retry", use: retry).access(.signedIn)
        routes.post("cases", ":caseID", "documents", ":documentID", "delete", use: delete).access(.signedIn)
        routes.get("cases", ":caseID", "review", use: reviewPage).access(.signedIn)
        routes.post("cases", ":caseID", "facts", ":factID", use: reviewFact).access(.signedIn)
    }

    struct UploadForm: Content {
        var files: [File]?
    }

    struct UploadResultPage: Encodable, Sendable {
        let caseID: String
        let results: [DocumentIntake.FileResult]
        let storedCount: Int
    }

    static func upload(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        let form = try req.content.decode(UploadForm.self)
        let files = (form.files ?? []).filter { !($0.filename.isEmpty && $0.data.readableBytes == 0) }
        var results: [DocumentIntake.FileResult] = []
        if files.isEmpty {
            results.append(DocumentIntake.FileResult(fileName: "", outcome: "rejected", message: "No file was chosen. Choose one or more files and press Upload.", documentID: nil, status: nil))
        } else if files.count > DocumentIntake.maximumFilesPerUpload {
            results.append(DocumentIntake.FileResult(fileName: "", outcome: "rejected", message: "That is \(files.count) files at once; upload at most \(DocumentIntake.maximumFilesPerUpload) at a time. Nothing was stored.", documentID: nil, status: nil))
        } else {
            for file in files {
                let data = Data(buffer: file.data)
                let outcome = try await DocumentIntake.ingest(req, caseID: caseID, fileName: file.filename,
                                                              declaredType: file.contentType?.serialize(), data: data)
                results.append(DocumentIntake.result(outcome))
            }
        }
        let stored = results.filter { $0.outcome == "stored" }.count
        let anyAccepted = results.contains { $0.outcome != "rejected" }
        if req.asksForJSON {
            return try await results.encodeResponse(status: anyAccepted ? .ok : .unprocessableEntity, for: req)
        }
        return try await req.page("cases/upload-result", title: "Upload", content: UploadResultPage(caseID: caseID.uuidString, results: results, storedCount: stored),
                                  status: anyAccepted ? .ok : .unprocessableEntity)
    }

    struct StatusDTO: Content {
        let documents: [DocumentStatusDTO]
        let allSettled: Bool
    }

    struct DocumentStatusDTO: Content {
        let id: String
        let fileName: String
        let status: String
        let statusLabel: String
        let statusDetail: String?
        let factCount: Int
    }

    /// For the upload page's script: the status of each document, polled while any is busy.
    static func status(req: Request) async throws -> StatusDTO {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let documents = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).sort(\.$createdAt).all()
        return StatusDTO(documents: documents.map { doc in
            DocumentStatusDTO(id: doc.id?.uuidString ?? "", fileName: doc.fileName, status: doc.status.rawValue, statusLabel: doc.status.label,
                              statusDetail: doc.statusDetail, factCount: doc.factCount ?? 0)
        }, allSettled: documents.allSatisfy(\.status.isSettled))
    }

    /// Loads a document of an already authorised case (404 when it belongs to another case).
    static func document(_ req: Request, caseID: UUID) async throws -> CaseDocument {
        guard let raw = req.parameters.get("documentID"), let id = UUID(uuidString: raw),
              let document = try await CaseDocument.query(on: req.db).filter(\.$id == id).filter(\.$caseRecord.$id == caseID).first() else {
            throw AppError.notFound
        }
        return document
    }

    struct ViewerPage: Encodable, Sendable {
        let caseID: String
        let caseTitle: String
        let document: CaseRecordViews.DocumentRow
        let hasText: Bool
        let before: String
        let highlight: String?
        let after: String
        let factValue: String?
        let fhirReference: String?
        let facts: [CaseRecordViews.FactRow]
        let hasFacts: Bool
        let mayDelete: Bool
        let mayUpdate: Bool
        let translations: [SelectOption]
        let hasTranslations: Bool
        /// Values from this document still to review ("confirm all from this document").
        let pendingFacts: Int
    }

    static func show(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let caseID = try record.requireID()
        let document = try await document(req, caseID: caseID)
        try await AuditLog.record(req, action: .read, objectType: "document", objectID: document.id?.uuidString, caseID: caseID)
        let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
        let store = req.application.documentStore

        var text = ""
        if let hex = document.textAddress, let address = DocumentStore.Address(hex) {
            let extracted = try JSONDecoder().decode(ExtractedText.self, from: store.get(address))
            text = extracted.text
        } else if document.kind == DocumentKind.fhirJSON.rawValue, let address = DocumentStore.Address(document.blobAddress) {
            let raw = try store.get(address)
            text = String(decoding: raw.prefix(2 << 20), as: UTF8.self)
        }

        // The fact whose source to highlight.
        let factID = (try? req.query.get(String.self, at: "fact")).flatMap(UUID.init(uuidString:))
        var fact = factID.flatMap { id in stored.profile.facts.first { $0.id == id } }
        if fact == nil, let factID, let row = try await CaseFact.query(on: req.db).filter(\.$id == factID).filter(\.$caseRecord.$id == caseID).first() {
            // A corrected original: still shown with its source.
            fact = try? JSONDecoder().decode(ProfileFact.self, from: Data(row.payload.utf8))
        }
        var before = text, highlight: String?, after = "", fhirReference: String?
        if let summary = fact?.summary {
            switch summary.provenance.source {
            case .document(let id, let span) where id == document.id?.uuidString:
                let utf16 = text.utf16
                if span.start >= 0, span.end <= utf16.count, span.start < span.end,
                   let lower = utf16.index(utf16.startIndex, offsetBy: span.start, limitedBy: utf16.endIndex),
                   let upper = utf16.index(utf16.startIndex, offsetBy: span.end, limitedBy: utf16.endIndex) {
                    before = String(text[..<lower])
                    highlight = String(text[lower..<upper])
                    after = String(text[upper...])
                }
            case .fhirResource(_, let reference, let element):
                fhirReference = element.map { "\(reference) — \($0)" } ?? reference
            default:
                break
            }
        }

        let actor = try CaseAccess.actor(for: req.currentUser!)
        let access = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        let corrected = try await CaseFact.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$reviewState == .corrected).all()
        let groups = CaseRecordViews.factGroups(caseID: caseID.uuidString, stored: stored, corrected: corrected)
        let documentFacts = groups.flatMap(\.facts).filter { row in
            stored.rows[UUID(uuidString: row.id)!]?.$document.id == document.id || corrected.contains { $0.id?.uuidString == row.id && $0.$document.id == document.id }
        }
        let translations = try await DocumentTranslation.query(on: req.db).filter(\.$document.$id == document.requireID()).all().map { translation in
            SelectOption(value: "/cases/\(caseID)/translations/\(translation.id?.uuidString ?? "")",
                         label: "\(translation.language): " + (translation.status == .verified ? "verified by \(translation.verifiedBy ?? "?")" : translation.status == .attached ? "attached, not verified yet" : "requested"), selected: false)
        }
        let page = ViewerPage(
            caseID: caseID.uuidString, caseTitle: record.title, document: CaseRecordViews.documentRow(document),
            hasText: !text.isEmpty, before: CaseRecordViews.markPages(before), highlight: highlight.map(CaseRecordViews.markPages), after: CaseRecordViews.markPages(after),
            factValue: fact?.summary.assertionText, fhirReference: fhirReference,
            facts: documentFacts, hasFacts: !documentFacts.isEmpty,
            mayDelete: CasePolicy.permits(.delete, actor: actor, on: access),
            mayUpdate: CasePolicy.permits(.update, actor: actor, on: access),
            translations: translations, hasTranslations: !translations.isEmpty,
            pendingFacts: documentFacts.filter(\.isPending).count)
        return try await req.page("cases/document", title: document.fileName, content: page)
    }

    /// The original file, decrypted, as a download (never rendered inline: a hostile file
    /// must not run in the site's origin).
    static func original(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let caseID = try record.requireID()
        let document = try await document(req, caseID: caseID)
        guard let address = DocumentStore.Address(document.blobAddress) else { throw AppError.notFound }
        let data = try req.application.documentStore.get(address)
        try await AuditLog.record(req, action: .read, objectType: "document-original", objectID: document.id?.uuidString, caseID: caseID)
        return downloadResponse(data: data, fileName: document.fileName, kind: DocumentKind(rawValue: document.kind) ?? .unknown)
    }

    static func downloadResponse(data: Data, fileName: String, kind: DocumentKind) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        let type: String = switch kind {
        case .pdf: "application/pdf"
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .tiff: "image/tiff"
        case .plainText: "text/plain; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .fhirJSON: "application/fhir+json"
        case .unknown: "application/octet-stream"
        }
        response.headers.replaceOrAdd(name: .contentType, value: type)
        let ascii = String(fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 ? Character($0) : "_" })
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'")
        return response
    }

    static func retry(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        let document = try await document(req, caseID: caseID)
        try await DocumentWorker.retry(document, on: req.db, now: req.now)
        try await AuditLog.record(req, action: .update, objectType: "document", objectID: document.id?.uuidString, caseID: caseID)
        req.application.documentWorker.wake()
        return req.redirect(to: "/cases/\(caseID)?notice=document-retry#documents")
    }

    static func delete(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .delete)
        let caseID = try record.requireID()
        let document = try await document(req, caseID: caseID)
        try await DocumentIntake.delete(document, on: req.db, app: req.application)
        try await AuditLog.record(req, action: .delete, objectType: "document", objectID: document.id?.uuidString, caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)?notice=document-deleted#documents")
    }

    struct ReviewPage: Encodable, Sendable {
        let caseID: String
        let caseTitle: String
        let conflicts: [CaseRecordViews.ConflictView]
        let hasConflicts: Bool
        let groups: [CaseRecordViews.FactGroup]
        let hasFacts: Bool
        let pendingCount: Int
        let mayReview: Bool
        let error: String?
        /// "Confirm all from this document", per document with pending values.
        let batches: [FactReview.DocumentBatch]
        let hasBatches: Bool
        /// Patients see how a value was read (method, confidence) behind a "Details" toggle.
        let detailsFolded: Bool
    }

    static func reviewPage(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        return try await renderReview(req, record: record, error: nil, status: .ok)
    }

    static func renderReview(_ req: Request, record: CaseRecord, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let caseID = try record.requireID()
        let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
        let corrected = try await CaseFact.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$reviewState == .corrected).all()
        let groups = CaseRecordViews.factGroups(caseID: caseID.uuidString, stored: stored, corrected: corrected)
        let actor = try CaseAccess.actor(for: req.currentUser!)
        let access = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        let conflicts = CaseRecordViews.conflicts(caseID: caseID.uuidString, stored: stored)
        let page = ReviewPage(caseID: caseID.uuidString, caseTitle: record.title, conflicts: conflicts, hasConflicts: !conflicts.isEmpty,
                              groups: groups, hasFacts: !groups.isEmpty, pendingCount: stored.rows.values.filter { $0.reviewState == .pending }.count,
                              mayReview: CasePolicy.permits(.update, actor: actor, on: access), error: error,
                              batches: FactReview.batches(stored), hasBatches: !FactReview.batches(stored).isEmpty,
                              detailsFolded: req.currentUser?.role == .patient)
        return try await req.page("cases/review", title: "Review values — \(record.title)", content: page, status: status)
    }

    struct ReviewForm: Content {
        var action: String
        var reason: String?
        var correction: String?
    }

    static func reviewFact(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        guard let raw = req.parameters.get("factID"), let factID = UUID(uuidString: raw) else { throw AppError.notFound }
        let form = try req.content.decode(ReviewForm.self)
        let review: CaseProfiles.Review
        switch form.action {
        case "confirm": review = .confirm
        case "keep":
            do {
                let kept = try await FactReview.keep(factID, caseID: caseID, req: req)
                return req.redirect(to: "/cases/\(caseID)/review?notice=fact-reviewed#fact-\(kept.id?.uuidString ?? factID.uuidString)")
            } catch let error as CaseProfiles.ReviewError {
                if case .notFound = error { throw AppError.notFound }
                return try await renderReview(req, record: record, error: error.description, status: .unprocessableEntity)
            }
        case "reject": review = .reject(reason: form.reason)
        case "correct":
            let text = (form.correction ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                return try await renderReview(req, record: record, error: "Write the corrected value in the box before pressing Correct.", status: .unprocessableEntity)
            }
            review = .correct(text: text)
        default:
            throw AppError.badRequest("Choose Confirm, Reject or Correct.")
        }
        let reviewer = FactReview.reviewerName(req)
        do {
            let row = try await CaseProfiles.review(review, factID: factID, caseID: caseID, by: reviewer, lexicon: req.application.recordsLexicon,
                                                    now: req.now, on: req.db)
            try await AuditLog.record(req, action: .update, objectType: "fact", objectID: row.id?.uuidString, caseID: caseID)
        } catch let error as CaseProfiles.ReviewError {
            if case .notFound = error { throw AppError.notFound }
            return try await renderReview(req, record: record, error: error.description, status: .unprocessableEntity)
        }
        return req.redirect(to: "/cases/\(caseID)/review?notice=fact-reviewed#fact-\(factID.uuidString)")
    }
}

extension Application {
    private struct RecordsLexiconKey: StorageKey { typealias Value = ClinicalLexicon }

    /// The knowledge base's vocabulary for the records extractor (built once at start).
    var recordsLexicon: ClinicalLexicon {
        get { storage[RecordsLexiconKey.self] ?? .builtIn }
        set { storage[RecordsLexiconKey.self] = newValue }
    }
}
