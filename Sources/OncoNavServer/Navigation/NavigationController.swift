import SQLKit
import Fluent
import Foundation
import Vapor

/// The workflow in the browser: stage changes with history, tasks, the message thread and
/// the navigator's dashboard. Every case route goes through `CaseAccess`.
enum NavigationController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("cases", ":caseID", "stage", use: changeStage).access(.signedIn)
        routes.post("cases", ":caseID", "tasks", use: addTask).access(.staff)
        routes.post("cases", ":caseID", "tasks", ":taskID", use: updateTask).access(.signedIn)
        routes.get("cases", ":caseID", "messages", use: messages).access(.signedIn)
        routes.post("cases", ":caseID", "messages", use: postMessage).access(.signedIn)
        routes.get("navigator", use: dashboard).access(.staff)
        routes.post("navigator", "cases", ":caseID", "take", use: take).access(.roles([.navigator]))
    }

    /// A navigator picks up an unassigned inquiry from the dashboard.
    static func take(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        guard let raw = req.parameters.get("caseID"), let caseID = UUID(uuidString: raw),
              let record = try await CaseRecord.find(caseID, on: req.db) else { throw AppError.notFound }
        let userID = try user.requireID()
        if record.$navigator.id == userID { return req.redirect(to: "/cases/\(caseID)") }
        // Someone else's case answers exactly like a case that does not exist; the claim is a
        // conditional update, so two navigators taking the same inquiry cannot both win.
        guard record.$navigator.id == nil, record.stage == .inquiry, try await claim(caseID, for: userID, on: req.db) else {
            try await AuditLog.record(req, action: .update, objectType: "case", objectID: caseID.uuidString, caseID: caseID, outcome: .denied)
            throw AppError.notFound
        }
        try await AuditLog.record(req, action: .update, objectType: "case-assignment", objectID: caseID.uuidString, caseID: caseID)
        try await CaseTask.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$owner.$id == nil).filter(\.$status == .open)
            .set(\.$owner.$id, to: try user.requireID()).update()
        return req.redirect(to: "/cases/\(caseID)?notice=case-updated")
    }

    private static func claim(_ caseID: UUID, for navigatorID: UUID, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let rows = try await sql.update(CaseRecord.schema)
            .set("navigator_id", to: navigatorID)
            .where("id", .equal, caseID)
            .where(SQLColumn("navigator_id"), .is, SQLLiteral.null)
            .where("stage", .equal, CaseStage.inquiry.rawValue)
            .returning("id")
            .all()
        return !rows.isEmpty
    }

    struct StageForm: Content {
        var to: String
        var reason: String?
    }

    static func changeStage(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let form = try req.content.decode(StageForm.self)
        guard let target = CaseStage(rawValue: form.to) else { throw AppError.badRequest("Choose a step from the list.") }
        let facts = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        guard let actor = try CaseNavigation.transitionActor(user, on: facts) else { throw AppError.notFound }
        do {
            try await CaseNavigation.transition(record, to: target, reason: form.reason, by: user, as: actor, now: req.now, knowledge: req.application.knowledge, on: req.db)
        } catch let error as CaseNavigation.TransitionError {
            throw AppError.badRequest(error.description)
        }
        try await AuditLog.record(req, action: .update, objectType: "case-stage", objectID: target.rawValue, caseID: record.id)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=stage-changed")
    }

    struct TaskForm: Content {
        var title: String
        var due: String?
        /// "navigator", "patient" or a user id.
        var owner: String?
    }

    static func addTask(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let form = try req.content.decode(TaskForm.self)
        let title = form.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 300 else { throw AppError.badRequest("Give the task a title of 1 to 300 characters.") }
        var due = CaseWorkflow.addingWorkingDays(2, to: req.now)
        if let raw = form.due, !raw.isEmpty {
            guard let date = TravelController.parseDay(raw) else { throw AppError.badRequest("Write the due date as YYYY-MM-DD.") }
            due = date.addingTimeInterval(17 * 3600)
        }
        let owner: UUID? = switch form.owner {
        case "patient": record.$owner.id
        case "navigator", nil, "": record.$navigator.id ?? user.id
        default: user.id
        }
        let task = CaseTask(caseID: try record.requireID(), title: title, ownerID: owner, dueAt: due, stage: nil, createdBy: user.id)
        try await task.create(on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "task", objectID: task.id?.uuidString, caseID: record.id)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=task-saved#tasks")
    }

    struct TaskStatusForm: Content { var status: String }

    static func updateTask(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        guard let raw = req.parameters.get("taskID"), let taskID = UUID(uuidString: raw),
              let task = try await CaseTask.query(on: req.db).filter(\.$id == taskID).filter(\.$caseRecord.$id == record.requireID()).first() else {
            throw AppError.notFound
        }
        let facts = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        let mayEdit = CasePolicy.permits(.update, actor: try CaseAccess.actor(for: user), on: facts)
            && (user.role != .patient || task.$owner.id == user.id)
        guard mayEdit else { throw AppError.forbidden }
        guard let status = CaseTask.Status(rawValue: (try req.content.decode(TaskStatusForm.self)).status) else {
            throw AppError.badRequest("Unknown task status.")
        }
        task.status = status
        task.completedAt = status == .done ? req.now : nil
        try await task.save(on: req.db)
        try await AuditLog.record(req, action: .update, objectType: "task", objectID: task.id?.uuidString, caseID: record.id)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=task-saved#tasks")
    }

    struct MessageView: Encodable, Sendable {
        let author: String
        let role: String
        let body: String
        let sent: String
        let mine: Bool
        let attachments: [SelectOption]
        let hasAttachments: Bool
    }

    struct MessagesPage: Encodable, Sendable {
        let caseID: String
        let caseTitle: String
        let messages: [MessageView]
        let hasMessages: Bool
        let mayWrite: Bool
        let documents: [SelectOption]
        let hasDocuments: Bool
    }

    static func messages(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let caseID = try record.requireID()
        let rows = try await CaseMessage.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$sentAt).all()
        let documents = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt).all()
        let names = Dictionary(documents.compactMap { doc in doc.id.map { ($0, doc.fileName) } }, uniquingKeysWith: { a, _ in a })
        try await markRead(caseID: caseID, user: user, now: req.now, on: req.db)
        let facts = try await CaseAccess.accessFacts(for: record, on: req.db, now: req.now)
        let page = MessagesPage(
            caseID: caseID.uuidString, caseTitle: record.title,
            messages: rows.map { message in
                let attachments = message.attachments.compactMap { id in names[id].map { SelectOption(value: "/cases/\(caseID)/documents/\(id)", label: $0, selected: false) } }
                return MessageView(author: message.authorName, role: Role(rawValue: message.authorRole)?.displayName ?? message.authorRole, body: message.body,
                                   sent: DisplayDate.string(message.sentAt), mine: message.authorID == user.id, attachments: attachments, hasAttachments: !attachments.isEmpty)
            },
            hasMessages: !rows.isEmpty,
            mayWrite: CasePolicy.permits(.message, actor: try CaseAccess.actor(for: user), on: facts),
            documents: documents.map { SelectOption(value: $0.id?.uuidString ?? "", label: $0.fileName, selected: false) },
            hasDocuments: !documents.isEmpty)
        try await AuditLog.record(req, action: .read, objectType: "messages", objectID: nil, caseID: caseID)
        return try await req.page("cases/messages", title: "Messages — \(record.title)", content: page)
    }

    static func markRead(caseID: UUID, user: User, now: Date, on db: any Database) async throws {
        let userID = try user.requireID()
        if let read = try await MessageRead.query(on: db).filter(\.$caseID == caseID).filter(\.$userID == userID).first() {
            read.readAt = now
            try await read.save(on: db)
        } else {
            try await MessageRead(caseID: caseID, userID: userID, readAt: now).create(on: db)
        }
    }

    /// Messages in the case written by others since the person last read the thread.
    static func unreadCount(caseID: UUID, user: User, on db: any Database) async throws -> Int {
        let userID = try user.requireID()
        let lastRead = try await MessageRead.query(on: db).filter(\.$caseID == caseID).filter(\.$userID == userID).first()?.readAt
        var query = CaseMessage.query(on: db).filter(\.$caseRecord.$id == caseID).group(.or) { $0.filter(\.$authorID != userID).filter(\.$authorID == nil) }
        if let lastRead { query = query.filter(\.$sentAt > lastRead) }
        return try await query.count()
    }

    struct MessageForm: Content {
        var body: String
        var attachments: [String]?
    }

    static func postMessage(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .message)
        let caseID = try record.requireID()
        let form = try req.content.decode(MessageForm.self)
        let body = form.body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty, body.count <= 10_000 else { throw AppError.badRequest("Write a message of 1 to 10,000 characters.") }
        let requested = Set((form.attachments ?? []).compactMap(UUID.init(uuidString:)))
        let attachments = requested.isEmpty ? [] : try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$id ~~ requested).all().compactMap(\.id)
        let message = CaseMessage(caseID: caseID, authorID: user.id, authorName: user.displayName, authorRole: user.role.rawValue, body: body, attachments: attachments, at: req.now)
        try await message.create(on: req.db)
        try await markRead(caseID: caseID, user: user, now: req.now, on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "message", objectID: message.id?.uuidString, caseID: caseID)
        try await CaseNavigation.notifyParticipants(of: record, except: user.id, subject: "New message in your OncoNav case",
                                                    body: "\(user.displayName) wrote a new message in a case you follow. Sign in to OncoNav to read it.", on: req.db)
        return req.redirect(to: "/cases/\(caseID)/messages#latest")
    }

    struct DashboardCase: Encodable, Sendable {
        let id: String
        let title: String
        let stage: String
        let patient: String?
        let navigator: String?
        let openTasks: Int
        let overdueTasks: Int
        let unread: Int
        let updated: String
    }

    struct DashboardTask: Encodable, Sendable {
        let caseID: String
        let caseTitle: String
        let title: String
        let due: String
        let owner: String?
    }

    struct StageGroup: Encodable, Sendable {
        let stage: String
        let title: String
        let cases: [DashboardCase]
        let count: Int
    }

    struct DashboardPage: Encodable, Sendable {
        let newInquiries: [DashboardCase]
        let hasNewInquiries: Bool
        let overdue: [DashboardTask]
        let hasOverdue: Bool
        let waitingOnPartner: [DashboardCase]
        let waitingOnPatient: [DashboardCase]
        let groups: [StageGroup]
        let query: String
        let stageFilter: String
        let stages: [SelectOption]
        let scope: String
    }

    static func dashboard(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let userID = try user.requireID()
        let query = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces)
        let stageFilter = (try? req.query.get(String.self, at: "stage")).flatMap(CaseStage.init(rawValue:))
        // "mine" (default for navigators) or "all" (admins see every case; navigators see
        // their own plus unassigned inquiries they can pick up).
        let scope = (try? req.query.get(String.self, at: "scope")) == "all" ? "all" : "mine"

        var casesQuery = CaseRecord.query(on: req.db).sort(\.$updatedAt, .descending)
        if user.role == .navigator || scope == "mine" {
            casesQuery = casesQuery.group(.or) { group in
                group.filter(\.$navigator.$id == userID)
                group.group(.and) { $0.filter(\.$navigator.$id == nil).filter(\.$stage == .inquiry) }
            }
        }
        if let stageFilter { casesQuery = casesQuery.filter(\.$stage == stageFilter) }
        var cases = try await casesQuery.all()
        if !query.isEmpty { cases = cases.filter { $0.title.localizedCaseInsensitiveContains(query) } }
        let caseIDs = cases.compactMap(\.id)
        let tasks = caseIDs.isEmpty ? [] : try await CaseTask.query(on: req.db).filter(\.$caseRecord.$id ~~ caseIDs).filter(\.$status == .open).sort(\.$dueAt).all()
        let people = Set(cases.flatMap { [$0.$owner.id, $0.$navigator.id].compactMap { $0 } } + tasks.compactMap(\.$owner.id))
        let users = people.isEmpty ? [] : try await User.query(on: req.db).filter(\.$id ~~ Array(people)).all()
        let names = Dictionary(users.compactMap { u in u.id.map { ($0, u.displayName) } }, uniquingKeysWith: { a, _ in a })
        var rows: [UUID: DashboardCase] = [:]
        for record in cases {
            guard let id = record.id else { continue }
            let own = tasks.filter { $0.$caseRecord.id == id }
            rows[id] = DashboardCase(id: id.uuidString, title: record.title, stage: record.stage.title,
                                     patient: record.$owner.id.flatMap { names[$0] }, navigator: record.$navigator.id.flatMap { names[$0] },
                                     openTasks: own.count, overdueTasks: own.filter { $0.isOverdue(at: req.now) }.count,
                                     unread: try await unreadCount(caseID: id, user: user, on: req.db), updated: DisplayDate.string(record.updatedAt))
        }
        func list(_ stages: Set<CaseStage>) -> [DashboardCase] { cases.filter { stages.contains($0.stage) }.compactMap { $0.id.flatMap { rows[$0] } } }
        let titles = Dictionary(cases.compactMap { c in c.id.map { ($0, c.title) } }, uniquingKeysWith: { a, _ in a })
        let overdue = tasks.filter { $0.isOverdue(at: req.now) }.map {
            DashboardTask(caseID: $0.$caseRecord.id.uuidString, caseTitle: titles[$0.$caseRecord.id] ?? "", title: $0.title,
                          due: DisplayDate.string($0.dueAt), owner: $0.$owner.id.flatMap { names[$0] })
        }
        let groups = CaseStage.allCases.compactMap { stage -> StageGroup? in
            let members = list([stage])
            return members.isEmpty ? nil : StageGroup(stage: stage.rawValue, title: stage.title, cases: members, count: members.count)
        }
        let newInquiries = list([.inquiry])
        try await AuditLog.record(req, action: .read, objectType: "navigator-dashboard", objectID: nil, caseID: nil)
        let page = DashboardPage(
            newInquiries: newInquiries, hasNewInquiries: !newInquiries.isEmpty, overdue: overdue, hasOverdue: !overdue.isEmpty,
            waitingOnPartner: list([.eligibilityCoordination]), waitingOnPatient: list([.collectingRecords]),
            groups: groups, query: query, stageFilter: stageFilter?.rawValue ?? "",
            stages: CaseStage.allCases.map { SelectOption(value: $0.rawValue, label: $0.title, selected: $0 == stageFilter) },
            scope: scope)
        return try await req.page("navigator/dashboard", title: "Navigator dashboard", content: page)
    }
}
