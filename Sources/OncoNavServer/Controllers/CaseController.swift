import Fluent
import Vapor

/// Cases in the browser. Every handler that touches a case goes through `CaseAccess`, which
/// applies the policy and writes the audit log.
enum CaseController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("cases", use: index).access(.signedIn)
        routes.get("cases", "new", use: newPage).access(.roles([.patient, .navigator, .admin]))
        routes.post("cases", use: create).access(.roles([.patient, .navigator, .admin]))
        routes.get("cases", ":caseID", use: show).access(.signedIn)
        routes.post("cases", ":caseID", "edit", use: update).access(.signedIn)
        routes.post("cases", ":caseID", "assign", use: assign).access(.staff)
        routes.post("cases", ":caseID", "delete", use: delete).access(.signedIn)
    }

    struct CaseRow: Encodable, Sendable {
        let id: String
        let title: String
        let created: String
        let navigator: String?
        let owner: String?
    }

    struct IndexPage: Encodable, Sendable {
        let cases: [CaseRow]
        let hasCases: Bool
        let mayCreate: Bool
    }

    /// The query for the case list, separate from the handler.
    static func rows(for user: User, on req: Request) async throws -> [CaseRow] {
        let cases = try await CaseAccess.readableCases(for: user, on: req.db, now: req.now)
        let userIDs = Set(cases.flatMap { [$0.$owner.id, $0.$navigator.id].compactMap { $0 } })
        let people = try await userIDs.isEmpty ? [] : User.query(on: req.db).filter(\.$id ~~ userIDs).all()
        let names = Dictionary(uniqueKeysWithValues: people.compactMap { user in user.id.map { ($0, user.displayName) } })
        return cases.map { record in
            CaseRow(id: record.id?.uuidString ?? "", title: record.title, created: DisplayDate.string(record.createdAt),
                    navigator: record.$navigator.id.flatMap { names[$0] }, owner: record.$owner.id.flatMap { names[$0] })
        }
    }

    static func index(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let rows = try await rows(for: user, on: req)
        try await AuditLog.record(req, action: .read, objectType: "case-list", objectID: nil, caseID: nil)
        return try await req.page("cases/index", title: user.role == .patient ? "My cases" : "Cases",
                                  content: IndexPage(cases: rows, hasCases: !rows.isEmpty, mayCreate: CasePolicy.mayCreateCase(user.role)))
    }

    struct NewPage: Encodable, Sendable {
        let form: FormState
        let forStaff: Bool
    }

    static func newPage(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        return try await req.page("cases/new", title: "Start a case", content: NewPage(form: FormState(), forStaff: user.role != .patient))
    }

    struct CaseForm: Content {
        var title: String
        /// Staff only: the patient account the case belongs to.
        var patientEmail: String?
    }

    static func create(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let form = try req.content.decode(CaseForm.self)
        let title = form.title.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String] = []
        if title.isEmpty || title.count > 200 { errors.append("Give the case a short title (1 to 200 characters), for example \"Mum's lymphoma\".") }
        var participants = CaseOpening.Participants()
        switch try await CaseOpening.participants(for: user, patientEmail: form.patientEmail, on: req.db) {
        case .success(let found): participants = found
        case .failure(let problem): errors.append(problem.message)
        }
        guard errors.isEmpty else {
            let state = FormState(values: ["title": String(title.prefix(200)), "patientEmail": String((form.patientEmail ?? "").prefix(254))], errors: errors)
            return try await req.page("cases/new", title: "Start a case", content: NewPage(form: state, forStaff: user.role != .patient), status: .unprocessableEntity)
        }
        let record = CaseRecord(ownerID: participants.ownerID, navigatorID: participants.navigatorID, title: title)
        try await record.save(on: req.db)
        try await CaseNavigation.opened(record, by: user, now: req.now, on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "case", objectID: record.id?.uuidString, caseID: record.id)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=case-created")
    }

    struct ShowPage: Encodable, Sendable {
        let id: String
        let title: String
        let created: String
        let owner: String?
        let navigator: String?
        let mayUpdate: Bool
        let mayDelete: Bool
        let mayAssign: Bool
        let navigators: [SelectOption]
        let documents: [CaseRecordViews.DocumentRow]
        let hasDocuments: Bool
        let anyBusy: Bool
        let summary: [CaseRecordViews.SummarySection]
        let hasFacts: Bool
        let unknowns: [String]
        let hasUnknowns: Bool
        let conflictCount: Int
        let pendingCount: Int
        let timelineSVG: String?
        let maxFileMB: Int
        let workflow: CaseWorkflowView
        /// What the person looking should do next, most urgent first; shown before anything else.
        let nextSteps: [NextStep]
        let hasNextSteps: Bool
    }

    struct NextStep: Encodable, Sendable {
        let text: String
        let link: String
        let action: String
    }

    /// The "your next step" card: a consent request, a message, values waiting for review,
    /// conflicts, or — when nothing is uploaded yet — the upload.
    static func nextSteps(caseID: String, workflow: CaseWorkflowView, pending: Int, conflicts: Int, hasDocuments: Bool, mayUpdate: Bool) -> [NextStep] {
        var steps: [NextStep] = []
        let consents = workflow.referrals.filter(\.awaitingConsent)
        if let first = consents.first {
            steps.append(NextStep(text: "\(first.organization) asks to see records from your case. Read exactly what they would see, then decide.",
                                  link: "#referral-\(first.id)", action: "Read the consent request"))
        }
        if workflow.unreadMessages > 0 {
            steps.append(NextStep(text: "You have \(workflow.unreadMessages) new message\(workflow.unreadMessages == 1 ? "" : "s").",
                                  link: "/cases/\(caseID)/messages", action: "Read messages"))
        }
        if mayUpdate, conflicts > 0 {
            steps.append(NextStep(text: "\(conflicts) value\(conflicts == 1 ? "" : "s") differ between your documents.", link: "/cases/\(caseID)/review", action: "Compare them"))
        }
        if mayUpdate, pending > 0 {
            steps.append(NextStep(text: "\(pending) value\(pending == 1 ? " was" : "s were") read from your documents and \(pending == 1 ? "waits" : "wait") for a person to confirm \(pending == 1 ? "it" : "them").",
                                  link: "/cases/\(caseID)/review", action: "Review \(pending) value\(pending == 1 ? "" : "s")"))
        }
        if mayUpdate, !hasDocuments {
            steps.append(NextStep(text: "Upload the medical records you have: letters, reports, test results (PDF, photos, Word or text).",
                                  link: "#documents", action: "Upload records"))
        }
        return steps
    }

    static func show(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let actor = try CaseAccess.actor(for: user)
        let facts = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        let owner = try await record.$owner.get(on: req.db)
        let navigator = try await record.$navigator.get(on: req.db)
        let mayAssign = CasePolicy.permits(.assign, actor: actor, on: facts)
        let navigators = mayAssign ? try await User.query(on: req.db).filter(\.$role == .navigator).sort(\.$displayName).all() : []
        let caseID = try record.requireID()
        let documents = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt).all()
        let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
        let (summary, unknowns) = CaseRecordViews.summary(caseID: caseID.uuidString, stored: stored)
        let workflow = try await CaseWorkflowView.make(record: record, user: user, facts: facts, req: req)
        let mayUpdate = CasePolicy.permits(.update, actor: actor, on: facts)
        let pending = stored.rows.values.filter { $0.reviewState == .pending }.count
        let steps = nextSteps(caseID: caseID.uuidString, workflow: workflow, pending: pending, conflicts: stored.profile.conflicts.count,
                              hasDocuments: !documents.isEmpty, mayUpdate: mayUpdate)
        let page = ShowPage(
            id: try record.requireID().uuidString,
            title: record.title,
            created: DisplayDate.string(record.createdAt),
            owner: owner?.displayName,
            navigator: navigator?.displayName,
            mayUpdate: mayUpdate,
            mayDelete: CasePolicy.permits(.delete, actor: actor, on: facts),
            mayAssign: mayAssign,
            navigators: navigators.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.displayName) (\($0.email))", selected: $0.id == record.$navigator.id) },
            documents: documents.map(CaseRecordViews.documentRow),
            hasDocuments: !documents.isEmpty,
            anyBusy: documents.contains { !$0.status.isSettled },
            summary: summary,
            hasFacts: !stored.rows.isEmpty,
            unknowns: unknowns,
            hasUnknowns: !unknowns.isEmpty && !stored.rows.isEmpty,
            conflictCount: stored.profile.conflicts.count,
            pendingCount: pending,
            timelineSVG: TherapyTimeline.svg(caseID: caseID.uuidString, stored: stored, today: req.now),
            maxFileMB: DocumentIntake.maximumFileBytes >> 20,
            workflow: workflow,
            nextSteps: steps,
            hasNextSteps: !steps.isEmpty
        )
        return try await req.page("cases/show", title: record.title, content: page)
    }

    static func update(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let form = try req.content.decode(CaseForm.self)
        let title = form.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 200 else {
            throw AppError.badRequest("Give the case a title of 1 to 200 characters.")
        }
        record.title = title
        try await record.save(on: req.db)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=case-updated")
    }

    struct AssignForm: Content { var navigatorID: String? }

    static func assign(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .assign)
        let form = try req.content.decode(AssignForm.self)
        if let raw = form.navigatorID, !raw.isEmpty {
            guard let id = UUID(uuidString: raw), let navigator = try await User.find(id, on: req.db), navigator.role == .navigator else {
                throw AppError.badRequest("Choose a navigator from the list.")
            }
            record.$navigator.id = navigator.id
        } else {
            record.$navigator.id = nil
        }
        try await record.save(on: req.db)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=case-updated")
    }

    static func delete(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .delete)
        try await CaseDeletion.delete(record, on: req.db, app: req.application)
        return req.redirect(to: "/cases?notice=case-deleted")
    }
}
