import Fluent
import Foundation
import OncoKnowledge
import Vapor

/// The workflow part of the case page: stage in plain words, the moves the viewer may make,
/// history, tasks and the unread message count.
struct CaseWorkflowView: Encodable, Sendable {
    struct Move: Encodable, Sendable {
        let to: String
        let label: String
        let requiresReason: Bool
    }

    struct HistoryRow: Encodable, Sendable {
        let when: String
        let from: String?
        let to: String
        let by: String
        let reason: String?
    }

    struct TaskRow: Encodable, Sendable {
        let id: String
        let title: String
        let due: String
        let owner: String?
        let status: String
        let isOpen: Bool
        let isOverdue: Bool
        let mayComplete: Bool
    }

    let stage: String
    let stageTitle: String
    let explanation: String
    let nextStep: String
    let moves: [Move]
    let hasMoves: Bool
    let history: [HistoryRow]
    let tasks: [TaskRow]
    let hasTasks: Bool
    let overdueCount: Int
    let unreadMessages: Int
    let messageCount: Int
    let mayAddTasks: Bool
    let isPatient: Bool
    let referrals: [ReferralRow]
    let hasReferrals: Bool
    let mayRefer: Bool
    let organizations: [SelectOption]
    let hasOrganizations: Bool
    let documents: [SelectOption]
    let travel: [TravelRow]
    let hasTravel: Bool
    let mayCreateTravel: Bool
    let showFollowUp: Bool
    let followUpPlan: [FollowUpKnowledge.Item]
    let therapy: String?
    let infusionDate: String?
    let maySetInfusion: Bool
    /// The treating centre's country choices, the recorded one selected.
    let treatmentRegions: [SelectOption]

    struct TravelRow: Encodable, Sendable {
        let id: String
        let title: String
        let detail: String?
        let owner: String
        let status: String
        let due: String?
        let note: String?
        let mayEdit: Bool
    }

    struct ReferralRow: Encodable, Sendable {
        let id: String
        let organization: String
        let option: String
        let status: String
        let statusTitle: String
        let expires: String
        let documentNames: String
        let includeSummary: Bool
        let consent: String?
        let response: String?
        let responseItems: [String]
        let hasResponseItems: Bool
        let awaitingConsent: Bool
        let mayWithdraw: Bool
        /// The navigator's note to the partner: it goes with the packet, so the patient reads it first.
        let note: String?
        /// The packet's case summary exactly as the partner will see it (confirmed values
        /// only), shown before the patient decides.
        let preview: [CaseRecordViews.SummarySection]
        let hasPreview: Bool
    }

    static func make(record: CaseRecord, user: User, facts: CaseAccessFacts, req: Request) async throws -> CaseWorkflowView {
        let caseID = try record.requireID()
        let actor = try CaseNavigation.transitionActor(user, on: facts)
        let moves = CaseNavigation.availableTransitions(from: record.stage, for: actor)
        let history = try await CaseStageChange.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$changedAt, .descending).all()
        var tasks = try await CaseTask.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$status != .cancelled).sort(\.$dueAt).all()
        if user.role == .patient { tasks = tasks.filter { $0.$owner.id == user.id } }
        if user.role == .partner { tasks = [] }
        let owners = Set(tasks.compactMap(\.$owner.id))
        let users = owners.isEmpty ? [] : try await User.query(on: req.db).filter(\.$id ~~ Array(owners)).all()
        let names = Dictionary(users.compactMap { u in u.id.map { ($0, u.displayName) } }, uniquingKeysWith: { a, _ in a })
        let mayUpdate = CasePolicy.permits(.update, actor: try CaseAccess.actor(for: user), on: facts)
        let taskRows = tasks.map { task in
            TaskRow(id: task.id?.uuidString ?? "", title: task.title, due: DisplayDate.string(task.dueAt), owner: task.$owner.id.flatMap { names[$0] },
                    status: task.status.rawValue, isOpen: task.status == .open, isOverdue: task.isOverdue(at: req.now),
                    mayComplete: mayUpdate && (user.role != .patient || task.$owner.id == user.id))
        }
        let packets = try await ReferralPacket.query(on: req.db).filter(\.$caseRecord.$id == caseID).with(\.$organization).sort(\.$createdAt, .descending).all()
        let documents = try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt).all()
        let documentNames = Dictionary(documents.compactMap { d in d.id.map { ($0, d.fileName) } }, uniquingKeysWith: { a, _ in a })
        let isOwner = user.role == .patient && record.$owner.id == user.id
        let consentPending = packets.contains { isOwner && $0.status == .awaitingConsent && $0.includeSummary }
        let confirmed = consentPending ? CaseRecordViews.confirmedSummary(caseID: caseID, stored: try await CaseProfiles.load(caseID: caseID, on: req.db)) : []
        let referrals = packets.map { packet in
            ReferralRow(id: packet.id?.uuidString ?? "", organization: packet.organization.name, option: packet.option, status: packet.status.rawValue,
                        statusTitle: packet.status.title, expires: DisplayDate.string(packet.expiresAt),
                        documentNames: packet.documentIDs.compactMap { documentNames[$0] }.joined(separator: ", "), includeSummary: packet.includeSummary,
                        consent: packet.consentAt.map { "Consent given by \(packet.consentBy ?? "the patient") on \(DisplayDate.string($0))" + (packet.consentWithdrawnAt.map { "; withdrawn \(DisplayDate.string($0))" } ?? "") },
                        response: packet.respondedAt.map { "Answered by \(packet.respondedBy ?? "the partner") on \(DisplayDate.string($0))" + (packet.responseReason.map { ": \($0)" } ?? "") },
                        responseItems: packet.responseItems, hasResponseItems: !packet.responseItems.isEmpty,
                        awaitingConsent: isOwner && packet.status == .awaitingConsent,
                        mayWithdraw: (isOwner || mayUpdate && user.role != .patient) && packet.status.isVisibleToPartner && packet.consentWithdrawnAt == nil,
                        note: packet.note,
                        preview: isOwner && packet.status == .awaitingConsent && packet.includeSummary ? confirmed : [],
                        hasPreview: isOwner && packet.status == .awaitingConsent && packet.includeSummary)
        }
        let travelItems = try await TravelItem.query(on: req.db).filter(\.$caseRecord.$id == caseID).sort(\.$position).all()
        let isStaff = mayUpdate && (user.role == .navigator || user.role == .admin)
        let travel = travelItems.map { item in
            TravelRow(id: item.id?.uuidString ?? "", title: item.title, detail: item.detail, owner: item.owner == "patient" ? "You / the patient" : "The navigator",
                      status: item.status.rawValue, due: item.dueAt.map(DisplayDate.string), note: item.note,
                      mayEdit: isStaff || (mayUpdate && user.role == .patient && item.owner == "patient"))
        }
        let lateStages: Set<CaseStage> = [.acceptedForScreening, .travelAndAdmission, .inTreatment, .followUp, .closed]
        let mayRefer = CasePolicy.permits(.share, actor: try CaseAccess.actor(for: user), on: facts)
        let organizations = mayRefer ? try await Organization.query(on: req.db).sort(\.$name).all() : []
        return CaseWorkflowView(
            stage: record.stage.rawValue, stageTitle: record.stage.title, explanation: record.stage.patientExplanation, nextStep: record.stage.nextStep,
            moves: moves.map { Move(to: $0.to.rawValue, label: $0.label, requiresReason: $0.requiresReason) }, hasMoves: !moves.isEmpty,
            history: history.map { HistoryRow(when: DisplayDate.string($0.changedAt), from: $0.fromStage.flatMap(CaseStage.init(rawValue:))?.title,
                                              to: CaseStage(rawValue: $0.toStage)?.title ?? $0.toStage, by: $0.actorName, reason: $0.reason) },
            tasks: taskRows, hasTasks: !taskRows.isEmpty, overdueCount: taskRows.filter(\.isOverdue).count,
            unreadMessages: try await NavigationController.unreadCount(caseID: caseID, user: user, on: req.db),
            messageCount: try await CaseMessage.query(on: req.db).filter(\.$caseRecord.$id == caseID).count(),
            mayAddTasks: mayUpdate && (user.role == .navigator || user.role == .admin),
            isPatient: user.role == .patient,
            referrals: referrals, hasReferrals: !referrals.isEmpty, mayRefer: mayRefer,
            organizations: organizations.map { org in
                let details = [org.city, org.country].compactMap { $0 }.joined(separator: ", ")
                return SelectOption(value: org.id?.uuidString ?? "", label: org.name + (details.isEmpty ? "" : " (\(details))") + (org.acceptsInternational == true ? " · accepts international patients" : ""), selected: false)
            },
            hasOrganizations: !organizations.isEmpty,
            documents: documents.map { SelectOption(value: $0.id?.uuidString ?? "", label: $0.fileName, selected: false) },
            travel: travel, hasTravel: !travel.isEmpty,
            mayCreateTravel: isStaff && travel.isEmpty && lateStages.contains(record.stage),
            showFollowUp: lateStages.contains(record.stage),
            followUpPlan: FollowUpKnowledge(knowledge: req.application.knowledge, region: record.treatmentRegion.flatMap(Region.init(rawValue:))).plan,
            therapy: record.therapy, infusionDate: record.infusionDate.map(DisplayDate.string),
            maySetInfusion: isStaff,
            treatmentRegions: TravelController.treatmentRegions.map { region, label in
                SelectOption(value: region.rawValue, label: label, selected: record.treatmentRegion == region.rawValue)
            })
    }
}
