import Fluent
import Foundation
import OncoRecords
import Vapor

/// The dates a value itself carries (a lab's, a staging's, a transplant's), as opposed to
/// the date of the letter that mentions it.
enum FactDates {
    static func valueDate(_ fact: ProfileFact) -> ClinicalDate? {
        switch fact {
        case .birthDate, .age, .sex, .histology: nil
        case .primaryCancer(let f), .secondaryCancer(let f): f.value.diagnosisDate
        case .stage(let f): f.value.date
        case .biomarker(let f): f.value.date
        case .treatmentLine(let f): f.value.endDate ?? f.value.startDate
        case .transplant(let f): f.value.date
        case .priorCellTherapy(let f): f.value.date
        case .performanceStatus(let f): f.value.date
        case .lab(let f), .lvef(let f): f.value.date
        case .cnsInvolvement(let f), .pregnancy(let f): f.value.date
        case .infection(let f): f.value.date
        }
    }
}

/// Reviews of several values at once: every pending value read from one document, and
/// "keep this one" for values that disagree (the others are rejected, with the reason).
enum FactReview {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("cases", ":caseID", "documents", ":documentID", "confirm-all", use: confirmAllFromDocument).access(.signedIn)
    }

    /// Confirms every pending value of one document, except values in conflict with another
    /// source (those need a choice), and says how many were left.
    static func confirmAllFromDocument(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        guard let raw = req.parameters.get("documentID"), let documentID = UUID(uuidString: raw),
              try await CaseDocument.query(on: req.db).filter(\.$id == documentID).filter(\.$caseRecord.$id == caseID).first() != nil
        else { throw AppError.notFound }
        let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
        let inConflict = Set(stored.profile.conflicts.flatMap { $0.facts.map(\.id) })
        let pending = stored.rows.values.filter { $0.reviewState == .pending && $0.$document.id == documentID }
        let reviewer = reviewerName(req)
        var confirmed = 0
        for row in pending.sorted(by: { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }) {
            guard let id = row.id, !inConflict.contains(id) else { continue }
            let saved = try await CaseProfiles.review(.confirm, factID: id, caseID: caseID, by: reviewer, lexicon: req.application.recordsLexicon, now: req.now, on: req.db)
            try await AuditLog.record(req, action: .update, objectType: "fact", objectID: saved.id?.uuidString, caseID: caseID)
            confirmed += 1
        }
        return req.redirect(to: "/cases/\(caseID)/review?notice=facts-confirmed")
    }

    /// "Keep this one": confirms `factID` and rejects the other values it disagrees with.
    static func keep(_ factID: UUID, caseID: UUID, req: Request) async throws -> CaseFact {
        let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
        let reviewer = reviewerName(req)
        let kept = try await CaseProfiles.review(.confirm, factID: factID, caseID: caseID, by: reviewer, lexicon: req.application.recordsLexicon, now: req.now, on: req.db)
        try await AuditLog.record(req, action: .update, objectType: "fact", objectID: kept.id?.uuidString, caseID: caseID)
        guard let conflict = stored.profile.conflicts.first(where: { $0.facts.contains { $0.id == factID } }),
              let chosen = conflict.facts.first(where: { $0.id == factID }) else { return kept }
        for other in conflict.facts where other.id != factID {
            if case .rejected = other.status { continue }
            let rejected = try await CaseProfiles.review(.reject(reason: "Another source was kept: \(chosen.assertionText)"), factID: other.id, caseID: caseID,
                                                         by: reviewer, lexicon: req.application.recordsLexicon, now: req.now, on: req.db)
            try await AuditLog.record(req, action: .update, objectType: "fact", objectID: rejected.id?.uuidString, caseID: caseID)
        }
        return kept
    }

    static func reviewerName(_ req: Request) -> String {
        req.currentUser.map { "\($0.displayName) (\($0.email))" } ?? "unknown"
    }

    /// One "confirm all" button per document with pending values.
    struct DocumentBatch: Encodable, Sendable {
        let documentID: String
        let fileName: String
        let pending: Int
        /// Pending values of this document that disagree with another source (left out).
        let inConflict: Int
    }

    static func batches(_ stored: StoredProfile) -> [DocumentBatch] {
        let inConflict = Set(stored.profile.conflicts.flatMap { $0.facts.map(\.id) })
        let pending = stored.rows.values.filter { $0.reviewState == .pending }
        return Dictionary(grouping: pending.compactMap { row in row.$document.id.map { ($0, row) } }, by: { $0.0 })
            .compactMap { documentID, rows -> DocumentBatch? in
                guard let document = stored.documents[documentID] else { return nil }
                let conflicted = rows.filter { $0.1.id.map(inConflict.contains) == true }.count
                return DocumentBatch(documentID: documentID.uuidString, fileName: document.fileName, pending: rows.count - conflicted, inConflict: conflicted)
            }
            .filter { $0.pending > 0 }
            .sorted { $0.fileName < $1.fileName }
    }
}
