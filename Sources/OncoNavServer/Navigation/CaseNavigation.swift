import Fluent
import Foundation
import OncoKnowledge
import Vapor

/// Moves cases through the workflow, creates the tasks a stage starts with, and tells the
/// people on the case (outbox email; the text names no health data).
enum CaseNavigation {
    enum TransitionError: Error, CustomStringConvertible {
        case notAllowed(from: CaseStage, to: CaseStage)
        case notYours(CaseTransition)
        case reasonRequired(CaseTransition)

        var description: String {
            switch self {
            case .notAllowed(let from, let to): "A case cannot move from \(from.title) to \(to.title)."
            case .notYours(let transition): "Your role cannot make the step \"\(transition.label)\"."
            case .reasonRequired(let transition): "\"\(transition.label)\" needs a reason; write one in the box."
            }
        }
    }

    /// The workflow role of `user` on this case (nil: no moves allowed).
    static func transitionActor(_ user: User, on facts: CaseAccessFacts) throws -> TransitionActor? {
        let actor = try CaseAccess.actor(for: user)
        switch user.role {
        case .admin, .navigator: return CasePolicy.permits(.update, actor: actor, on: facts) ? .staff : nil
        case .patient: return CasePolicy.permits(.update, actor: actor, on: facts) ? .patient : nil
        case .partner: return CasePolicy.permits(.read, actor: actor, on: facts) ? .partner : nil
        }
    }

    /// The moves `actor` may make now.
    static func availableTransitions(from stage: CaseStage, for actor: TransitionActor?) -> [CaseTransition] {
        guard let actor else { return [] }
        return CaseWorkflow.transitions(from: stage).filter { $0.actors.contains(actor) }
    }

    static func transition(_ record: CaseRecord, to target: CaseStage, reason rawReason: String?, by user: User,
                           as actor: TransitionActor, now: Date, knowledge: KnowledgeBase, on db: any Database) async throws {
        guard let transition = CaseWorkflow.transition(from: record.stage, to: target) else {
            throw TransitionError.notAllowed(from: record.stage, to: target)
        }
        guard transition.actors.contains(actor) else { throw TransitionError.notYours(transition) }
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1000).description
        if transition.requiresReason, reason?.isEmpty ?? true { throw TransitionError.reasonRequired(transition) }
        let caseID = try record.requireID()
        let from = record.stage
        try await db.transaction { db in
            record.stage = target
            try await record.save(on: db)
            try await CaseStageChange(caseID: caseID, from: from, to: target, reason: reason?.isEmpty == false ? reason : nil,
                                      actorID: user.id, actorName: "\(user.displayName) (\(user.role.displayName))", at: now).create(on: db)
            try await createTasks(for: record, entering: target, createdBy: user.id, now: now, on: db)
            if target == .travelAndAdmission { try await TravelController.createChecklist(for: record, knowledge: knowledge, on: db) }
        }
        try await notifyParticipants(of: record, except: user.id, subject: "Your OncoNav case has moved on",
                                     body: "A case you follow in OncoNav has moved on to its next step.\n\nSign in to OncoNav to see what changed and what happens next.", on: db)
    }

    /// The tasks a stage starts with, owned by the navigator (or the patient for their own).
    static func createTasks(for record: CaseRecord, entering stage: CaseStage, createdBy: UUID?, now: Date, on db: any Database) async throws {
        let caseID = try record.requireID()
        for template in CaseWorkflow.tasks(onEntering: stage) {
            let owner = template.forPatient ? record.$owner.id : record.$navigator.id
            try await CaseTask(caseID: caseID, title: template.title, ownerID: owner,
                               dueAt: CaseWorkflow.addingWorkingDays(template.workingDays, to: now), stage: stage, createdBy: createdBy).create(on: db)
        }
    }

    /// The first stage of a new case: its history entry and first-response task.
    static func opened(_ record: CaseRecord, by user: User, now: Date, on db: any Database) async throws {
        try await CaseStageChange(caseID: record.requireID(), from: nil, to: record.stage, reason: nil, actorID: user.id,
                                  actorName: "\(user.displayName) (\(user.role.displayName))", at: now).create(on: db)
        try await createTasks(for: record, entering: record.stage, createdBy: user.id, now: now, on: db)
    }

    /// An email to the case's patient and navigator (not the person who acted). The body
    /// never carries health data, not even the case's title: it points to the site.
    static func notifyParticipants(of record: CaseRecord, except actorID: UUID?, subject: String, body: String, on db: any Database) async throws {
        let ids = [record.$owner.id, record.$navigator.id].compactMap { $0 }.filter { $0 != actorID }
        try await notify(userIDs: ids, subject: subject, body: body, on: db)
    }

    /// One outbox email per person, greeting them by name.
    static func notify(userIDs: [UUID], subject: String, body: String, on db: any Database) async throws {
        guard !userIDs.isEmpty else { return }
        for user in try await User.query(on: db).filter(\.$id ~~ userIDs).all() {
            try await OutboxMessage(recipient: user.email, subject: subject, body: "Hello \(user.displayName),\n\n\(body)\n\n— OncoNav").create(on: db)
        }
    }
}
