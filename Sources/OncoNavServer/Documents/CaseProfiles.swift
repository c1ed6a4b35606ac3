import Fluent
import Foundation
import OncoRecords
import Vapor

/// A case's profile as stored: every fact row, decoded, with its review state applied.
struct StoredProfile: Sendable {
    var profile: PatientProfile
    var rows: [UUID: CaseFact]
    var documents: [UUID: CaseDocument]

    /// Facts a person has confirmed or corrected, only (what the FHIR export carries).
    var confirmedProfile: PatientProfile {
        PatientProfile(caseID: profile.caseID, facts: profile.facts.filter { $0.summary.status.isHumanReviewed })
    }
}

/// Loads and reviews the facts of a case. Every review keeps the extractor's original value
/// (`CaseFact.originalPayload`) and is written to the audit log.
enum CaseProfiles {
    static func load(caseID: UUID, on db: any Database) async throws -> StoredProfile {
        let rows = try await CaseFact.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt).all()
        let documents = try await CaseDocument.query(on: db).filter(\.$caseRecord.$id == caseID).all()
        let decoder = JSONDecoder()
        var profile = PatientProfile(caseID: caseID.uuidString)
        var byID: [UUID: CaseFact] = [:]
        for row in rows where row.reviewState != .corrected {
            guard let fact = try? decoder.decode(ProfileFact.self, from: Data(row.payload.utf8)) else { continue }
            profile.add(fact)
            if let id = row.id { byID[id] = row }
        }
        // Lines and transplants told in several documents are one timeline (the case page and matching agree).
        let documentDates = Dictionary(documents.compactMap { doc -> (String, ClinicalDate)? in
            guard let id = doc.id, let date = doc.documentDate.flatMap(ClinicalDate.init(iso:)) else { return nil }
            return (id.uuidString, date)
        }, uniquingKeysWith: { first, _ in first })
        profile = profile.reconcilingTimeline(documentDates: documentDates)
        return StoredProfile(profile: profile, rows: byID,
                             documents: Dictionary(documents.compactMap { doc in doc.id.map { ($0, doc) } }, uniquingKeysWith: { first, _ in first }))
    }

    enum Review: Sendable {
        case confirm
        case reject(reason: String?)
        /// A person's corrected statement, read with the same extractor ("ECOG 1", "CD19 positive").
        case correct(text: String)
    }

    enum ReviewError: Error, CustomStringConvertible {
        case notFound
        case unreadableCorrection(field: ProfileField)
        case alreadyReplaced

        var description: String {
            switch self {
            case .notFound: "That value is not part of this case."
            case .unreadableCorrection(let field): "OncoNav could not read a \(field.displayName.lowercased()) from the correction. Write it the way a report would, for example \(Self.example(for: field))."
            case .alreadyReplaced: "This value was already corrected; review the corrected value instead."
            }
        }

        static func example(for field: ProfileField) -> String {
            switch field {
            case .performanceStatus: "\"ECOG 1\""
            case .biomarker: "\"CD19 positive\" or \"EGFR exon 19 deletion detected\""
            case .stage: "\"Ann Arbor stage IIIA\" or \"stage IV (T2 N1 M1)\""
            case .lab: "\"Creatinine 1.1 mg/dL on 2026-10-02\""
            case .lvef: "\"LVEF 55% on 2026-10-02\""
            case .primaryCancer, .secondaryCancer, .histology: "\"Diagnosis: diffuse large B-cell lymphoma\""
            case .treatmentLine: "\"R-CHOP x6 from 01/2024 to 06/2024, complete response\""
            case .transplant: "\"autologous stem cell transplant on 2025-03-01\""
            case .birthDate: "\"Date of birth: 1961-04-12\""
            case .age: "\"Age: 64\""
            case .sex: "\"Sex: female\""
            default: "a short sentence such as the report uses"
            }
        }
    }

    /// Applies a review to one fact and returns the row that now holds the value.
    static func review(_ review: Review, factID: UUID, caseID: UUID, by reviewer: String, lexicon: ClinicalLexicon,
                       now: Date, on db: any Database) async throws -> CaseFact {
        guard let row = try await CaseFact.query(on: db).filter(\.$id == factID).filter(\.$caseRecord.$id == caseID).first(),
              let fact = try? JSONDecoder().decode(ProfileFact.self, from: Data(row.payload.utf8)) else {
            throw ReviewError.notFound
        }
        guard row.reviewState != .corrected else { throw ReviewError.alreadyReplaced }
        let encoder = JSONEncoder()
        func encoded(_ fact: ProfileFact) throws -> String { String(decoding: try encoder.encode(fact), as: UTF8.self) }
        switch review {
        case .confirm:
            row.payload = try encoded(fact.withStatus(.confirmed(by: reviewer, at: now)))
            row.reviewState = .confirmed
        case .reject(let reason):
            let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500).description
            row.payload = try encoded(fact.withStatus(.rejected(by: reviewer, at: now, reason: trimmed?.isEmpty == false ? trimmed : nil)))
            row.reviewState = .rejected
            row.reviewNote = trimmed
        case .correct(let text):
            let found = ProfileExtractor(lexicon: lexicon).extract(text: String(text.prefix(1000)), documentID: "correction", method: .manualEntry, documentDate: nil)
            guard let replacement = found.first(where: { $0.field == fact.field }) else {
                throw ReviewError.unreadableCorrection(field: fact.field)
            }
            let manual = replacement.asManualEntry(by: reviewer, at: now)
            let newRow = CaseFact(id: manual.id, caseID: caseID, documentID: nil, field: manual.field.rawValue, payload: try encoded(manual), correctsID: try row.requireID())
            newRow.reviewState = .confirmed
            newRow.reviewedBy = reviewer
            newRow.reviewedAt = now
            newRow.reviewNote = "Corrects: \(fact.summary.assertionText)"
            row.reviewState = .corrected
            row.reviewedBy = reviewer
            row.reviewedAt = now
            row.reviewNote = "Corrected to: \(manual.summary.assertionText)"
            try await db.transaction { db in
                try await row.save(on: db)
                try await newRow.create(on: db)
            }
            return newRow
        }
        row.reviewedBy = reviewer
        row.reviewedAt = now
        try await row.save(on: db)
        return row
    }
}
