import Fluent
import Foundation
import OncoKnowledge
import Vapor

/// One item of a case's travel and admission checklist.
public final class TravelItem: Model, @unchecked Sendable {
    public static let schema = "travel_items"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case open
        case done
        case notNeeded = "not-needed"
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    @Field(key: "position") public var position: Int
    @Field(key: "title") public var title: String
    @OptionalField(key: "detail") public var detail: String?
    /// "patient" or "navigator".
    @Field(key: "owner") public var owner: String
    @OptionalField(key: "due_at") public var dueAt: Date?
    @Enum(key: "status") public var status: Status
    @OptionalField(key: "note") public var note: String?

    public init() {}

    public init(caseID: UUID, position: Int, title: String, detail: String?, owner: String) {
        self.$caseRecord.id = caseID
        self.position = position
        self.title = title
        self.detail = detail
        self.owner = owner
        self.status = .open
    }
}

/// What the checklist and the follow-up plan take from the knowledge base: the monitoring
/// period and the advice on staying near the centre, driving and long-term follow-up, each
/// with its sources. Nothing here is invented: missing knowledge means a missing line.
struct FollowUpKnowledge {
    struct Item: Encodable, Sendable {
        let title: String
        let text: String
        let sources: [SelectOption]
    }

    let knowledge: KnowledgeBase
    /// Where the therapy is given; `nil` when not yet known (then both the US and the EU
    /// rules are shown, each titled with its label).
    var region: Region? = nil

    /// The staying-near and driving topics of the region's labels: US prescribing
    /// information, or the EU SmPC (also followed in the UK); both when unknown.
    var regionalTopicIDs: [String] { SafetyTopic.stayAndDriveIDs(for: region) }

    /// Days to stay near the centre: the region's label rule, else the journey's monitoring period.
    var monitoringDays: Int? {
        if region == .eu || region == .uk { return 28 }
        return knowledge.journey.first { $0.id == "monitoring" }?.duration?.minDays
    }

    func sources(_ ids: [SourceID]) -> [SelectOption] {
        ids.compactMap { knowledge.source(id: $0) }.map { SelectOption(value: $0.url, label: $0.title, selected: false) }
    }

    /// For CAR-T: monitoring, staying near the centre, driving, long-term follow-up and
    /// secondary cancers, from the journey and safety files.
    var plan: [Item] {
        var items: [Item] = []
        for id in ["monitoring", "follow-up"] {
            if let step = knowledge.journey.first(where: { $0.id == id }) {
                items.append(Item(title: step.name, text: step.summary, sources: sources(step.sources)))
            }
        }
        for id in regionalTopicIDs + ["secondary-t-cell-malignancy"] {
            if let topic = knowledge.safety.first(where: { $0.id == id }) {
                items.append(Item(title: topic.title, text: topic.summary, sources: sources(topic.sources)))
            }
        }
        return items
    }

    /// The checklist a case starts travel and admission with.
    var checklist: [(title: String, detail: String?, owner: String)] {
        let stay = monitoringDays.map { "Plan to stay near the treatment centre for at least \($0) days after the infusion (the knowledge base's monitoring period for CAR-T; the centre may ask for longer), with a caregiver." }
        return [
            ("Passport valid for the whole stay", "Check the expiry date against the planned return, with some margin.", "patient"),
            ("Medical visa or the centre's invitation letter", "Ask the centre for an invitation letter naming the treatment and the expected length of stay.", "navigator"),
            ("Travel booked for the patient and a caregiver", nil, "patient"),
            ("Accommodation near the centre", stay, "navigator"),
            ("Interpreter arranged", "For consultations, consent and the first weeks after infusion, if the care team's language is not the patient's.", "navigator"),
            ("Admission date confirmed with the centre", nil, "navigator"),
            ("Payment or insurance documents", "Cost estimate, guarantee of payment or insurance approval, as the centre requires.", "navigator"),
            ("A driver for after the infusion", "People should not drive for a period after CAR-T; see the follow-up plan for the details and sources.", "patient"),
        ]
    }
}

enum TravelController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("cases", ":caseID", "travel", use: create).access(.staff)
        routes.post("cases", ":caseID", "travel", ":itemID", use: update).access(.signedIn)
        routes.post("cases", ":caseID", "infusion", use: setInfusion).access(.staff)
        routes.get("cases", ":caseID", "handoff", use: handoff).access(.signedIn)
    }

    static func createChecklist(for record: CaseRecord, knowledge: KnowledgeBase, on db: any Database) async throws {
        let caseID = try record.requireID()
        guard try await TravelItem.query(on: db).filter(\.$caseRecord.$id == caseID).count() == 0 else { return }
        for (index, item) in FollowUpKnowledge(knowledge: knowledge).checklist.enumerated() {
            try await TravelItem(caseID: caseID, position: index, title: item.title, detail: item.detail, owner: item.owner).create(on: db)
        }
    }

    static func create(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        try await createChecklist(for: record, knowledge: req.application.knowledge, on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "travel-checklist", objectID: nil, caseID: record.id)
        return req.redirect(to: "/cases/\(try record.requireID())?notice=task-saved#travel")
    }

    struct ItemForm: Content {
        var status: String?
        var due: String?
        var note: String?
    }

    static func update(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let caseID = try record.requireID()
        guard let raw = req.parameters.get("itemID"), let id = UUID(uuidString: raw),
              let item = try await TravelItem.query(on: req.db).filter(\.$id == id).filter(\.$caseRecord.$id == caseID).first() else { throw AppError.notFound }
        if user.role == .patient, item.owner != "patient" { throw AppError.forbidden }
        let form = try req.content.decode(ItemForm.self)
        if let raw = form.status {
            guard let status = TravelItem.Status(rawValue: raw) else { throw AppError.badRequest("Unknown status.") }
            item.status = status
        }
        if let due = form.due, !due.isEmpty {
            guard let date = parseDay(due) else { throw AppError.badRequest("Write the date as YYYY-MM-DD.") }
            item.dueAt = date
        }
        if let note = form.note { item.note = note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(1000).description.nilIfEmpty }
        try await item.save(on: req.db)
        try await AuditLog.record(req, action: .update, objectType: "travel-item", objectID: item.id?.uuidString, caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)?notice=task-saved#travel")
    }

    /// A `YYYY-MM-DD` form value as midnight UTC.
    static func parseDay(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.date(from: text)
    }

    struct InfusionForm: Content {
        var date: String
        var therapy: String
        /// A `Region` raw value, or empty for "not known yet".
        var region: String?
    }

    /// The regions a treating centre can be recorded in, for the infusion form.
    static let treatmentRegions: [(Region, String)] = [
        (.us, "United States (FDA prescribing information)"), (.eu, "European Union / EEA (EMA SmPC)"),
        (.uk, "United Kingdom"), (.ca, "Canada"), (.jp, "Japan"), (.cn, "China"), (.kr, "South Korea"),
        (.in, "India"), (.au, "Australia"), (.ch, "Switzerland"), (.other, "Another country"),
    ]

    /// Records the infusion (date and product) and schedules the follow-up reminders the
    /// knowledge base supports: the end of the monitoring period, and the hand-off summary.
    static func setInfusion(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let form = try req.content.decode(InfusionForm.self)
        guard let date = parseDay(form.date) else { throw AppError.badRequest("Write the infusion date as YYYY-MM-DD.") }
        let therapy = form.therapy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !therapy.isEmpty, therapy.count <= 200 else { throw AppError.badRequest("Name the therapy given (1 to 200 characters).") }
        let regionText = form.region?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard regionText.isEmpty || Region(rawValue: regionText) != nil else {
            throw AppError.badRequest("Choose the country of the treating centre from the list, or leave it as not known.")
        }
        record.infusionDate = date
        record.therapy = therapy
        record.treatmentRegion = regionText.isEmpty ? nil : regionText
        try await record.save(on: req.db)
        let caseID = try record.requireID()
        let follow = FollowUpKnowledge(knowledge: req.application.knowledge, region: record.treatmentRegion.flatMap(Region.init(rawValue:)))
        if let days = follow.monitoringDays {
            try await CaseTask(caseID: caseID, title: "End of the monitoring period (day \(days)): check with the centre before the patient travels home",
                               ownerID: record.$navigator.id, dueAt: date.addingTimeInterval(Double(days) * 86_400), stage: .inTreatment, createdBy: user.id).create(on: req.db)
        }
        try await CaseTask(caseID: caseID, title: "Send the hand-off summary to the home oncologist", ownerID: record.$navigator.id,
                           dueAt: date.addingTimeInterval(Double((follow.monitoringDays ?? 14) + 7) * 86_400), stage: .followUp, createdBy: user.id).create(on: req.db)
        try await AuditLog.record(req, action: .update, objectType: "infusion", objectID: nil, caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)?notice=task-saved#follow-up")
    }

    struct HandoffPage: Encodable, Sendable {
        let caseID: String
        let title: String
        let therapy: String?
        let infusionDate: String?
        let centre: String?
        let navigator: String?
        let summary: [CaseRecordViews.SummarySection]
        let plan: [FollowUpKnowledge.Item]
        let disclaimer: String
        let generated: String
    }

    /// A printable summary for the home oncologist: confirmed values, the therapy given, the
    /// treating centre and the follow-up advice from the knowledge base with its sources.
    static func handoff(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let caseID = try record.requireID()
        let stored = try await CaseProfiles.load(caseID: caseID, on: req.db)
        let centre = try await ReferralPacket.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$status == .accepted).with(\.$organization).first()?.organization.name
        let navigator = try await record.$navigator.get(on: req.db)
        try await AuditLog.record(req, action: .read, objectType: "handoff-summary", objectID: nil, caseID: caseID)
        let day = DateFormatter()
        day.dateFormat = "d MMM yyyy"
        day.timeZone = TimeZone(identifier: "UTC")
        let page = HandoffPage(
            caseID: caseID.uuidString, title: record.title, therapy: record.therapy, infusionDate: record.infusionDate.map(day.string(from:)),
            centre: centre, navigator: navigator.map { "\($0.displayName) (\($0.email))" },
            summary: CaseRecordViews.confirmedSummary(caseID: caseID, stored: stored),
            plan: FollowUpKnowledge(knowledge: req.application.knowledge, region: record.treatmentRegion.flatMap(Region.init(rawValue:))).plan, disclaimer: "Prepared by OncoNav from the records provided and values confirmed by the patient or navigator. It is not a clinical document; the treating centre's discharge letter takes precedence.",
            generated: DisplayDate.string(req.now))
        return try await req.page("cases/handoff", title: "Hand-off summary — \(record.title)", content: page)
    }
}
