import Foundation
import OncoRecords

/// What the case pages show of documents and facts, built from the stored profile.
enum CaseRecordViews {
    struct DocumentRow: Encodable, Sendable {
        let id: String
        let fileName: String
        let kind: String
        let category: String?
        let documentDate: String?
        let uploaded: String
        let status: String
        let statusLabel: String
        let statusDetail: String?
        let warnings: [String]
        let hasWarnings: Bool
        let factCount: Int
        let isSettled: Bool
        let mayRetry: Bool
        let usedOCR: Bool
    }

    static func documentRow(_ document: CaseDocument) -> DocumentRow {
        let kind = DocumentKind(rawValue: document.kind) ?? .unknown
        let category = document.category.flatMap(DocumentCategory.init(rawValue:))?.displayName
            ?? (document.category == "fhir-record" ? "FHIR record (structured)" : nil)
        let warnings = document.warnings
        return DocumentRow(
            id: document.id?.uuidString ?? "", fileName: document.fileName, kind: kind.displayName, category: category,
            documentDate: document.documentDate, uploaded: DisplayDate.string(document.createdAt),
            status: document.status.rawValue, statusLabel: document.status.label, statusDetail: document.statusDetail,
            warnings: warnings, hasWarnings: !warnings.isEmpty, factCount: document.factCount ?? 0,
            isSettled: document.status.isSettled, mayRetry: document.status == .failed || document.status == .unavailable,
            usedOCR: document.usedOCR ?? false)
    }

    struct SummaryRow: Encodable, Sendable {
        let label: String
        let value: String?
        let status: String?
        let isPending: Bool
        let hasConflict: Bool
        /// Link to the value's source (document viewer with the words highlighted).
        let link: String?
    }

    struct SummarySection: Encodable, Sendable {
        let title: String
        let rows: [SummaryRow]
    }

    /// The link that opens a fact's source: the document with the span highlighted, or
    /// the review page for a value a person entered.
    static func sourceLink(caseID: String, factID: UUID, in stored: StoredProfile) -> String? {
        guard let row = stored.rows[factID] else { return nil }
        if let documentID = row.$document.id {
            return "/cases/\(caseID)/documents/\(documentID.uuidString)?fact=\(factID.uuidString)#source"
        }
        return "/cases/\(caseID)/review#fact-\(factID.uuidString)"
    }

    static func summary(caseID: String, stored: StoredProfile) -> (sections: [SummarySection], unknowns: [String]) {
        let summary = CaseSummary(profile: stored.profile)
        let sections = summary.sections.map { section in
            SummarySection(title: section.title, rows: section.lines.map { line in
                SummaryRow(label: line.label, value: line.value, status: line.status,
                           isPending: line.status == FactStatus.pendingConfirmation.label, hasConflict: line.hasConflict,
                           link: line.factIDs.first.flatMap { sourceLink(caseID: caseID, factID: $0, in: stored) })
            })
        }
        return (sections, summary.unknowns)
    }

    /// The summary of confirmed values only, without links: what leaves the case (referral
    /// packets, the hand-off summary), where the reader cannot open the case's documents.
    static func confirmedSummary(caseID: UUID, stored: StoredProfile) -> [SummarySection] {
        let confirmed = StoredProfile(profile: stored.confirmedProfile, rows: stored.rows, documents: stored.documents)
        return summary(caseID: caseID.uuidString, stored: confirmed).sections.map { section in
            SummarySection(title: section.title, rows: section.rows.map {
                SummaryRow(label: $0.label, value: $0.value, status: $0.status, isPending: $0.isPending, hasConflict: $0.hasConflict, link: nil)
            })
        }
    }

    /// Page breaks of extracted text (form feeds) as a visible divider.
    static func markPages(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{0C}", with: "\n\n──────── next page ────────\n\n")
    }

    /// A document's extracted text (decrypted), with page dividers; nil when none is stored.
    static func extractedText(of document: CaseDocument?, store: DocumentStore) throws -> String? {
        guard let hex = document?.textAddress, let address = DocumentStore.Address(hex) else { return nil }
        return markPages(try JSONDecoder().decode(ExtractedText.self, from: store.get(address)).text)
    }

    struct ConflictOption: Encodable, Sendable {
        let factID: String
        let text: String
        let source: String
        /// The date the value itself carries (the lab's, the staging's), if any.
        let valueDate: String?
        let documentDate: String?
        let link: String?
        let suggested: Bool
    }

    struct ConflictView: Encodable, Sendable {
        let field: String
        let options: [ConflictOption]
        /// Why one is suggested ("the most recent value, dated …").
        let why: String?
    }

    /// Disagreeing facts side by side. The suggestion compares the values' own dates (a
    /// 2026 ECOG beats a 2024 one, whichever letter was written last), then the document
    /// dates for values without one, then confidence; a person's earlier choice first.
    static func conflicts(caseID: String, stored: StoredProfile) -> [ConflictView] {
        let byID = Dictionary(stored.profile.facts.map { ($0.summary.id, $0) }, uniquingKeysWith: { first, _ in first })
        return stored.profile.conflicts.map { conflict in
            func documentDate(_ summary: FactSummary) -> String? {
                guard let id = stored.rows[summary.id]?.$document.id else { return nil }
                return stored.documents[id]?.documentDate
            }
            func valueDate(_ summary: FactSummary) -> ClinicalDate? { byID[summary.id].flatMap(FactDates.valueDate) }
            func when(_ summary: FactSummary) -> ClinicalDate? { valueDate(summary) ?? documentDate(summary).flatMap(ClinicalDate.init(iso:)) }
            let best = conflict.facts.max { lhs, rhs in
                let (l, r) = (when(lhs), when(rhs))
                if lhs.status.isHumanReviewed != rhs.status.isHumanReviewed { return rhs.status.isHumanReviewed }
                if l != r { return (l ?? ClinicalDate(year: 0)) < (r ?? ClinicalDate(year: 0)) }
                return lhs.confidence < rhs.confidence
            }
            let dated = Set(conflict.facts.compactMap(when)).count > 1
            let why: String? = best.map { best in
                if best.status.isHumanReviewed { return "Suggested: the value a person already confirmed." }
                if dated, let date = when(best) {
                    return valueDate(best) != nil ? "Suggested: the most recent value (the value is dated \(date))." : "Suggested: from the most recent document (dated \(date))."
                }
                return "Suggested: the reading the software is most sure of; check the sources."
            }
            return ConflictView(field: conflict.field.displayName, options: conflict.facts.map { fact in
                ConflictOption(factID: fact.id.uuidString, text: fact.assertionText, source: sourceName(fact, stored: stored),
                               valueDate: valueDate(fact)?.description, documentDate: documentDate(fact),
                               link: sourceLink(caseID: caseID, factID: fact.id, in: stored), suggested: fact.id == best?.id)
            }, why: why)
        }
    }

    /// How a value was read, in words.
    static func methodName(_ method: ExtractionMethod) -> String {
        switch method {
        case .textRules: "pattern rules on the document's text (\(method.rawValue))"
        case .ocrTextRules: "pattern rules on text recognised from a scan or photo (\(method.rawValue))"
        case .fhirImport: "a structured FHIR record (\(method.rawValue))"
        case .manualEntry: "a person's entry (\(method.rawValue))"
        }
    }

    static func sourceName(_ fact: FactSummary, stored: StoredProfile) -> String {
        switch fact.provenance.source {
        case .manual(let who): return "entered by \(who)"
        case .fhirResource(_, let reference, _):
            let name = stored.rows[fact.id]?.$document.id.flatMap { stored.documents[$0]?.fileName } ?? "FHIR record"
            return "\(name), \(reference)"
        case .document(_, let span):
            let name = stored.rows[fact.id]?.$document.id.flatMap { stored.documents[$0]?.fileName } ?? "document"
            let quote = span.text.count > 80 ? String(span.text.prefix(77)) + "…" : span.text
            return "\(name): “\(quote)”"
        }
    }

    struct FactRow: Encodable, Sendable {
        let id: String
        let field: String
        let value: String
        let state: String
        let stateLabel: String
        let isPending: Bool
        let source: String
        let link: String?
        let method: String
        let confidence: String
        let note: String?
        let reviewedBy: String?
        let correctionExample: String
    }

    struct FactGroup: Encodable, Sendable {
        let field: String
        let facts: [FactRow]
    }

    /// Every fact for the review page, grouped by field in profile order; corrected
    /// originals are listed too (struck through), so the evidence stays visible.
    static func factGroups(caseID: String, stored: StoredProfile, corrected: [CaseFact]) -> [FactGroup] {
        let decoder = JSONDecoder()
        var byField: [ProfileField: [FactRow]] = [:]
        func add(_ fact: ProfileFact, row: CaseFact) {
            let summary = fact.summary
            let state = row.reviewState
            let label: String = switch state {
            case .pending: "Pending"
            case .confirmed: summary.provenance.method == .manualEntry ? "Corrected by \(row.reviewedBy ?? "a person")" : "Confirmed by \(row.reviewedBy ?? "a person")"
            case .rejected: "Rejected by \(row.reviewedBy ?? "a person")"
            case .corrected: "Replaced by a correction"
            }
            byField[summary.field, default: []].append(FactRow(
                id: summary.id.uuidString, field: summary.field.displayName, value: summary.assertionText,
                state: state.rawValue, stateLabel: label, isPending: state == .pending,
                source: sourceName(summary, stored: stored),
                link: state == .corrected ? row.$document.id.map { "/cases/\(caseID)/documents/\($0.uuidString)?fact=\(summary.id.uuidString)#source" } : sourceLink(caseID: caseID, factID: summary.id, in: stored),
                method: methodName(summary.provenance.method), confidence: String(format: "%.0f%%", summary.confidence * 100),
                note: row.reviewNote, reviewedBy: row.reviewedBy,
                correctionExample: CaseProfiles.ReviewError.example(for: summary.field)))
        }
        for fact in stored.profile.facts {
            if let row = stored.rows[fact.id] { add(fact, row: row) }
        }
        for row in corrected {
            if let fact = try? decoder.decode(ProfileFact.self, from: Data(row.payload.utf8)) { add(fact, row: row) }
        }
        return ProfileField.allCases.compactMap { field in
            byField[field].map { FactGroup(field: field.displayName, facts: $0) }
        }
    }
}
