import Fluent
import Foundation
import OncoKnowledge
import OncoMatch
import OncoRecords
import Vapor

/// "Your options": the case against approved labels (per region) and imported trials,
/// criterion by criterion with evidence, the to-do list made from the unknowns, and what
/// changed since the last look. Also the JSON API.
enum OptionsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("cases", ":caseID", "options", use: page).access(.signedIn)
        routes.post("cases", ":caseID", "options", "tasks", use: createTasks).access(.staff)
    }

    static func registerAPI(_ api: any RoutesBuilder) {
        api.get("cases", ":caseID", "options", use: apiOptions).access(.signedIn)
    }

    struct EvidenceView: Encodable, Sendable {
        let text: String
        let link: String?
        let pending: Bool
    }

    struct VerdictView: Encodable, Sendable {
        let text: String
        let verdict: String
        let verdictLabel: String
        let reason: String
        let origin: String
        let evidence: [EvidenceView]
        let hasEvidence: Bool
    }

    struct OptionView: Encodable, Sendable {
        let id: String
        let title: String
        let summary: String
        let status: String
        let statusLabel: String
        let details: [String]
        let link: String?
        let verdicts: [VerdictView]
        let hasVerdicts: Bool
        let sources: [SelectOption]
        let hasSources: Bool
        let open: Bool
        /// Notes on the label card: what OncoNav's record of the label leaves out.
        let notes: [String]
        let hasNotes: Bool
        /// "412 km" to the nearest recruiting site, shown on the closed card.
        let distance: String?
    }

    struct ToDoView: Encodable, Sendable {
        let action: String
        let optionCount: Int
        let criteria: [String]
    }

    struct Page: Encodable, Sendable {
        let caseID: String
        let caseTitle: String
        let cancer: String?
        let today: String
        let regions: [SelectOption]
        let near: String
        let approved: [OptionView]
        let hasApproved: Bool
        let trials: [OptionView]
        let hasTrials: Bool
        let approaches: [OptionView]
        let hasApproaches: Bool
        let noCarTLabelFits: Bool
        let toDo: [ToDoView]
        let hasToDo: Bool
        let mayCreateTasks: Bool
        let changes: [String]
        let hasChanges: Bool
        let notes: [String]
        let disclaimer: String
        let pendingValues: Int
        /// What the filters changed, in words ("Labels in Japan (PMDA) only …").
        let filterSummary: String?
        let cancerUnknown: Bool
        /// With a region chosen: labels for this cancer in other regions only, in one line.
        let approvedElsewhere: String?
    }

    static func region(from req: Request) throws -> Region? {
        guard let raw = try? req.query.get(String.self, at: "region"), !raw.isEmpty else { return nil }
        guard let region = Region(rawValue: raw.lowercased()) else { throw AppError.badRequest("Unknown region \(raw.prefix(20)).") }
        return region
    }

    static func statusKind(_ status: OptionStatus) -> String {
        switch status {
        case .eligibleAllMet: "met"
        case .mayBeEligible: "unknown"
        case .notEligible: "not-met"
        case .toDiscuss: "discuss"
        }
    }

    static func verdictLabel(_ verdict: Verdict) -> String {
        switch verdict {
        case .met: "met"
        case .notMet: "not met"
        case .unknown: "unknown"
        case .notApplicable: "not applicable"
        case .notMentioned: "no sign of it in the records — confirm"
        }
    }

    static func view(_ option: MatchOption, caseID: String, stored: StoredProfile, knowledge: KnowledgeBase, open: Bool, now: Date) -> OptionView {
        var details: [String] = []
        var link: String?
        if let label = option.label {
            details.append("\(label.regulator) (\(label.region.rawValue.uppercased())): \(label.approvalType)\(label.approvalDate.map { ", \($0)" } ?? "")")
            details.append(label.availability)
            link = "/learn/products/\(label.productID)"
        }
        if let trial = option.trial {
            details.append([trial.phases.joined(separator: "/"), trial.overallStatus,
                            TrialController.staleness(status: trial.overallStatus, lastUpdate: trial.lastUpdate, now: now)]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · "))
            details.append("\(trial.recruitingSites) recruiting site\(trial.recruitingSites == 1 ? "" : "s")" + (trial.nearestSite.map { ", nearest: \($0)" } ?? "") + (trial.distanceKm.map { String(format: " (%.0f km)", $0) } ?? ""))
            link = "/trials/\(trial.nctID)"
        }
        // A label's caveats ("… not captured here") are notes on its card, not criteria rows.
        let isCaveat = { (verdict: CriterionVerdict) in verdict.origin == .label && verdict.verdict == .unknown && LabelIndication.isCaveat(verdict.text) }
        let notes = option.verdicts.filter(isCaveat).map(\.text)
        let verdicts = option.verdicts.filter { !isCaveat($0) }.map { verdict in
            let evidence = verdict.evidence.map { fact in
                EvidenceView(text: fact.assertionText, link: CaseRecordViews.sourceLink(caseID: caseID, factID: fact.id, in: stored), pending: !fact.status.isHumanReviewed)
            }
            return VerdictView(text: verdict.text, verdict: verdict.verdict.rawValue, verdictLabel: verdictLabel(verdict.verdict), reason: verdict.reason,
                               origin: verdict.origin.rawValue, evidence: evidence, hasEvidence: !evidence.isEmpty)
        }
        let sources = option.sources.compactMap { id in knowledge.source(id: id).map { SelectOption(value: $0.url, label: $0.title, selected: false) } }
        return OptionView(id: option.id, title: option.title, summary: option.summary, status: statusKind(option.status), statusLabel: option.status.label,
                          details: details.filter { !$0.isEmpty }, link: link, verdicts: verdicts, hasVerdicts: !verdicts.isEmpty,
                          sources: sources, hasSources: !sources.isEmpty, open: open, notes: notes, hasNotes: !notes.isEmpty,
                          distance: option.trial?.distanceKm.map { String(format: "%.0f km", $0) })
    }

    static func page(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let caseID = try record.requireID()
        let region = try region(from: req)
        let near = ((try? req.query.get(String.self, at: "near")) ?? "").trimmingCharacters(in: .whitespaces).prefix(100).description
        let result = try await CaseOptions.match(record, settings: CaseOptions.settings(req, region: region, near: near), app: req.application,
                                                 on: req.db, remember: region == nil && near.isEmpty)
        try await AuditLog.record(req, action: .read, objectType: "options", objectID: nil, caseID: caseID)
        let report = result.report
        let knowledge = req.application.knowledge
        // Only the case's cancer: with none in the records the matcher keeps every cancer's
        // labels "to check", which would list myeloma products for a lymphoma.
        let labels = report.cancers.isEmpty ? [] : report.options.filter { $0.kind == .approvedProduct }
        // With a region chosen, its labels are the cards; approvals elsewhere become one line.
        let approved = labels.filter { region == nil || $0.label?.region == region }
        let elsewhere = Array(Set(labels.filter { region != nil && $0.label?.region != region }
            .compactMap { option in option.label.map { "\($0.brand) (\($0.regulator))" } })).sorted()
        let trials = report.options.filter { $0.kind == .trial }
        let approaches = report.options.filter { $0.kind == .approach }
        let carTFits = approved.contains { option in
            guard case .notEligible = option.status else {
                return knowledge.product(id: option.label?.productID ?? "")?.modality == .carT
            }
            return false
        }
        let facts = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        // What changed: since this page was last looked at, and what background re-matches
        // after registry or knowledge changes found (their snapshot is already moved on).
        let changes = try await TrialAlert.recentLines(caseID: caseID, now: req.now, on: req.db) + (result.changes?.lines ?? [])
        let page = Page(
            caseID: caseID.uuidString, caseTitle: record.title, cancer: report.cancers.first, today: report.today.description,
            regions: Region.allCases.filter { $0 != .other }.map { SelectOption(value: $0.rawValue, label: "\($0.rawValue.uppercased()) (\($0.regulator))", selected: $0 == region) },
            near: near,
            approved: approved.enumerated().map { view($0.element, caseID: caseID.uuidString, stored: result.stored, knowledge: knowledge, open: $0.offset < 2, now: req.now) },
            hasApproved: !approved.isEmpty,
            trials: trials.enumerated().map { view($0.element, caseID: caseID.uuidString, stored: result.stored, knowledge: knowledge, open: $0.offset < 1, now: req.now) },
            hasTrials: !trials.isEmpty,
            approaches: approaches.map { view($0, caseID: caseID.uuidString, stored: result.stored, knowledge: knowledge, open: false, now: req.now) },
            hasApproaches: !approaches.isEmpty, noCarTLabelFits: !carTFits,
            toDo: report.toDo.map { ToDoView(action: $0.action, optionCount: $0.optionCount, criteria: $0.criteria) }, hasToDo: !report.toDo.isEmpty,
            mayCreateTasks: CasePolicy.permits(.update, actor: try CaseAccess.actor(for: user), on: facts) && user.role != .patient,
            changes: changes, hasChanges: !changes.isEmpty, notes: report.notes, disclaimer: report.disclaimer,
            pendingValues: result.stored.rows.values.filter { $0.reviewState == .pending }.count,
            filterSummary: filterSummary(region: region, near: near), cancerUnknown: report.cancers.isEmpty,
            approvedElsewhere: elsewhere.isEmpty ? nil : "Labels for this cancer in other regions, not in \(region.map(KnowledgeView.regionName) ?? ""): " + elsewhere.joined(separator: ", ") + ".")
        return try await req.page("cases/options", title: "Options — \(record.title)", content: page)
    }

    /// The filters in words, so a person sees that the list changed.
    static func filterSummary(region: Region?, near: String) -> String? {
        var parts: [String] = []
        if let region {
            parts.append("Approved labels in \(KnowledgeView.regionName(region)) (\(region.regulator)) only")
        }
        if !near.isEmpty { parts.append("trials ordered by distance from \(near)") }
        return parts.isEmpty ? nil : "Showing: " + parts.joined(separator: "; ") + "."
    }

    /// The to-do list becomes tasks in one click (one per action not already open).
    static func createTasks(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        let result = try await CaseOptions.match(record, settings: CaseOptions.settings(req, region: nil, near: nil), app: req.application, on: req.db, remember: false)
        let open = Set(try await CaseTask.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$status == .open).all().map(\.title))
        var created = 0
        for item in result.report.toDo where !open.contains(item.action) {
            try await CaseTask(caseID: caseID, title: item.action, ownerID: record.$navigator.id ?? user.id,
                               dueAt: CaseWorkflow.addingWorkingDays(5, to: req.now), stage: nil, createdBy: user.id).create(on: req.db)
            created += 1
        }
        try await AuditLog.record(req, action: .create, objectType: "tasks-from-options", objectID: "\(created)", caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)?notice=task-saved#tasks")
    }

    static func apiOptions(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let near = (try? req.query.get(String.self, at: "near"))?.prefix(100).description
        let result = try await CaseOptions.match(record, settings: CaseOptions.settings(req, region: try region(from: req), near: near),
                                                 app: req.application, on: req.db, remember: false)
        try await AuditLog.record(req, action: .read, objectType: "options", objectID: nil, caseID: record.id)
        let response = Response(status: .ok)
        try response.content.encode(result.report, as: .json)
        return response
    }
}
