import Fluent
import Foundation
import OncoRecords
import Vapor

/// Referral packets: the navigator prepares one, the patient consents (what, to whom, until
/// when) or refuses, the partner sees only that packet while it is active and answers it.
/// Every view and download by the partner is audited.
enum ReferralController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post("cases", ":caseID", "referrals", use: create).access(.staff)
        routes.post("cases", ":caseID", "referrals", ":packetID", "consent", use: consent).access(.roles([.patient]))
        routes.post("cases", ":caseID", "referrals", ":packetID", "revoke", use: revoke).access(.signedIn)
        routes.get("partner", use: portal).access(.roles([.partner]))
        routes.get("partner", "packets", ":packetID", use: packet).access(.roles([.partner]))
        routes.get("partner", "packets", ":packetID", "documents", ":documentID", use: packetDocument).access(.roles([.partner]))
        routes.get("partner", "packets", ":packetID", "documents", ":documentID", "original", use: packetOriginal).access(.roles([.partner]))
        routes.post("partner", "packets", ":packetID", "respond", use: respond).access(.roles([.partner]))
    }

    struct CreateForm: Content {
        var organizationID: String
        var option: String
        var documents: [String]?
        var includeSummary: String?
        var days: Int?
        var note: String?
    }

    static func create(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .share)
        let caseID = try record.requireID()
        let form = try req.content.decode(CreateForm.self)
        guard let organizationID = UUID(uuidString: form.organizationID), let organization = try await Organization.find(organizationID, on: req.db) else {
            throw AppError.badRequest("Choose a partner organisation from the list.")
        }
        let option = form.option.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !option.isEmpty, option.count <= 300 else { throw AppError.badRequest("Name the option the referral is about (a trial's NCT number or an approved product), in at most 300 characters.") }
        let days = form.days ?? 30
        guard (1...180).contains(days) else { throw AppError.badRequest("The packet can stay visible for 1 to 180 days.") }
        let requested = Set((form.documents ?? []).compactMap(UUID.init(uuidString:)))
        let documents = requested.isEmpty ? [] : try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$id ~~ requested).all().compactMap(\.id)
        let note = form.note?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(4000).description
        let packet = ReferralPacket(caseID: caseID, organizationID: try organization.requireID(), includeSummary: form.includeSummary != nil,
                                    documents: documents, option: option, note: note?.isEmpty == false ? note : nil,
                                    expiresAt: req.now.addingTimeInterval(Double(days) * 86_400), createdBy: user.id)
        try await packet.create(on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "referral-packet", objectID: packet.id?.uuidString, caseID: caseID)
        try await CaseNavigation.notifyParticipants(of: record, except: user.id, subject: "Your consent is needed in OncoNav",
                                                    body: "Your navigator has prepared information to send to a partner hospital. Nothing is sent until you agree. Sign in to OncoNav to see exactly what would be shared, with whom and until when.", on: req.db)
        return req.redirect(to: "/cases/\(caseID)?notice=referral-prepared#referrals")
    }

    static func loadPacket(_ req: Request, caseID: UUID) async throws -> ReferralPacket {
        guard let raw = req.parameters.get("packetID"), let id = UUID(uuidString: raw),
              let packet = try await ReferralPacket.query(on: req.db).filter(\.$id == id).filter(\.$caseRecord.$id == caseID).first() else {
            throw AppError.notFound
        }
        return packet
    }

    struct ConsentForm: Content { var decision: String }

    /// Only the patient (the case's owner) gives or refuses consent.
    static func consent(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        guard record.$owner.id == user.id else { throw AppError.notFound }
        let caseID = try record.requireID()
        let packet = try await loadPacket(req, caseID: caseID)
        guard packet.status == .awaitingConsent else { throw AppError.conflict("This packet is no longer waiting for consent.") }
        let decision = try req.content.decode(ConsentForm.self).decision
        switch decision {
        case "give":
            packet.status = .shared
            packet.consentBy = "\(user.displayName) (\(user.email))"
            packet.consentAt = req.now
            try await packet.save(on: req.db)
            try await notifyPartner(packet, subject: "A referral has been shared with you in OncoNav",
                                    body: "A navigator has shared a referral packet with your organisation, with the patient's consent. Sign in to OncoNav to review it.", on: req.db)
        case "refuse":
            packet.status = .consentRefused
            try await packet.save(on: req.db)
        default:
            throw AppError.badRequest("Choose to give or refuse consent.")
        }
        try await AuditLog.record(req, action: .update, objectType: "referral-consent", objectID: packet.id?.uuidString, caseID: caseID)
        if let navigator = record.$navigator.id {
            try await CaseNavigation.notify(userIDs: [navigator], subject: "A patient answered a consent request", body: "A patient you navigate has answered a consent request for a referral. Sign in to OncoNav for details.", on: req.db)
        }
        return req.redirect(to: "/cases/\(caseID)?notice=consent-saved#referrals")
    }

    /// The patient withdraws consent, or staff revoke: the partner loses access at once.
    static func revoke(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        guard user.role != .partner else { throw AppError.notFound }
        let caseID = try record.requireID()
        let packet = try await loadPacket(req, caseID: caseID)
        if user.role == .patient { packet.consentWithdrawnAt = req.now }
        packet.status = .revoked
        try await packet.save(on: req.db)
        try await AuditLog.record(req, action: .update, objectType: "referral-revoked", objectID: packet.id?.uuidString, caseID: caseID)
        return req.redirect(to: "/cases/\(caseID)?notice=referral-revoked#referrals")
    }

    // MARK: - Partner side

    /// The packet, if it belongs to the partner's organisation and is active; otherwise 404
    /// (audited), exactly like a packet that does not exist.
    static func partnerPacket(_ req: Request) async throws -> ReferralPacket {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let raw = req.parameters.get("packetID")
        var packet: ReferralPacket?
        if let id = raw.flatMap(UUID.init(uuidString:)) { packet = try await ReferralPacket.find(id, on: req.db) }
        guard let packet, let organization = user.$organization.id, packet.$organization.id == organization, packet.isActive(at: req.now) else {
            try await AuditLog.record(req, action: .read, objectType: "referral-packet", objectID: raw.map { String($0.prefix(40)) }, caseID: packet?.$caseRecord.id, outcome: .denied)
            throw AppError.notFound
        }
        return packet
    }

    struct PacketRow: Encodable, Sendable {
        let id: String
        let option: String
        let status: String
        let statusTitle: String
        let shared: String
        let expires: String
    }

    static func portal(req: Request) async throws -> Response {
        guard let user = req.currentUser, let organization = user.$organization.id else { throw AppError.forbidden }
        let packets = try await ReferralPacket.query(on: req.db).filter(\.$organization.$id == organization).sort(\.$createdAt, .descending).all()
            .filter { $0.isActive(at: req.now) }
        try await AuditLog.record(req, action: .read, objectType: "partner-portal", objectID: nil, caseID: nil)
        struct Page: Encodable, Sendable { let packets: [PacketRow]; let hasPackets: Bool }
        let rows = packets.map { PacketRow(id: $0.id?.uuidString ?? "", option: $0.option, status: $0.status.rawValue, statusTitle: $0.status.title,
                                           shared: DisplayDate.string($0.consentAt), expires: DisplayDate.string($0.expiresAt)) }
        return try await req.page("partner/index", title: "Referrals", content: Page(packets: rows, hasPackets: !rows.isEmpty))
    }

    struct PacketPage: Encodable, Sendable {
        let id: String
        let option: String
        let note: String?
        let status: String
        let statusTitle: String
        let consent: String
        let expires: String
        let includeSummary: Bool
        let summary: [CaseRecordViews.SummarySection]
        let documents: [SelectOption]
        let hasDocuments: Bool
        let mayRespond: Bool
        let responseReason: String?
        let responseItems: [String]
        let disclaimer: String
    }

    static func packet(req: Request) async throws -> Response {
        let packet = try await partnerPacket(req)
        let caseID = packet.$caseRecord.id
        try await AuditLog.record(req, action: .read, objectType: "referral-packet", objectID: packet.id?.uuidString, caseID: caseID)
        var summary: [CaseRecordViews.SummarySection] = []
        if packet.includeSummary {
            // Only values the patient or navigator confirmed leave the case.
            summary = CaseRecordViews.confirmedSummary(caseID: caseID, stored: try await CaseProfiles.load(caseID: caseID, on: req.db))
        }
        let ids = packet.documentIDs
        let documents = ids.isEmpty ? [] : try await CaseDocument.query(on: req.db).filter(\.$caseRecord.$id == caseID).filter(\.$id ~~ ids).all()
        let page = PacketPage(
            id: try packet.requireID().uuidString, option: packet.option, note: packet.note, status: packet.status.rawValue, statusTitle: packet.status.title,
            consent: "Consent given by \(packet.consentBy ?? "the patient") on \(DisplayDate.string(packet.consentAt))",
            expires: DisplayDate.string(packet.expiresAt), includeSummary: packet.includeSummary, summary: summary,
            documents: documents.map { SelectOption(value: "/partner/packets/\(packet.id!.uuidString)/documents/\($0.id!.uuidString)", label: $0.fileName, selected: false) },
            hasDocuments: !documents.isEmpty, mayRespond: packet.status == .shared || packet.status == .needsInformation,
            responseReason: packet.responseReason, responseItems: packet.responseItems, disclaimer: CaseSummary.disclaimer)
        return try await req.page("partner/packet", title: "Referral", content: page)
    }

    static func packetDocumentRecord(_ req: Request, _ packet: ReferralPacket) async throws -> CaseDocument {
        guard let raw = req.parameters.get("documentID"), let id = UUID(uuidString: raw), packet.documentIDs.contains(id),
              let document = try await CaseDocument.query(on: req.db).filter(\.$id == id).filter(\.$caseRecord.$id == packet.$caseRecord.id).first() else {
            try await AuditLog.record(req, action: .read, objectType: "referral-document", objectID: req.parameters.get("documentID").map { String($0.prefix(40)) }, caseID: packet.$caseRecord.id, outcome: .denied)
            throw AppError.notFound
        }
        return document
    }

    static func packetDocument(req: Request) async throws -> Response {
        let packet = try await partnerPacket(req)
        let document = try await packetDocumentRecord(req, packet)
        try await AuditLog.record(req, action: .read, objectType: "referral-document", objectID: document.id?.uuidString, caseID: packet.$caseRecord.id)
        let text = try CaseRecordViews.extractedText(of: document, store: req.application.documentStore) ?? ""
        struct Page: Encodable, Sendable { let packetID: String; let fileName: String; let text: String; let hasText: Bool; let original: String }
        return try await req.page("partner/document", title: document.fileName, content: Page(
            packetID: try packet.requireID().uuidString, fileName: document.fileName, text: text, hasText: !text.isEmpty,
            original: "/partner/packets/\(try packet.requireID().uuidString)/documents/\(try document.requireID().uuidString)/original"))
    }

    static func packetOriginal(req: Request) async throws -> Response {
        let packet = try await partnerPacket(req)
        let document = try await packetDocumentRecord(req, packet)
        guard let address = DocumentStore.Address(document.blobAddress) else { throw AppError.notFound }
        let data = try req.application.documentStore.get(address)
        try await AuditLog.record(req, action: .read, objectType: "referral-document-original", objectID: document.id?.uuidString, caseID: packet.$caseRecord.id)
        return DocumentController.downloadResponse(data: data, fileName: document.fileName, kind: DocumentKind(rawValue: document.kind) ?? .unknown)
    }

    struct RespondForm: Content {
        var decision: String
        var reason: String?
        var items: String?
    }

    static func respond(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let packet = try await partnerPacket(req)
        guard packet.status == .shared || packet.status == .needsInformation else { throw AppError.conflict("This referral has already been answered.") }
        let form = try req.content.decode(RespondForm.self)
        let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000).description
        let items = (form.items ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.prefix(30).map { String($0.prefix(300)) }
        guard let record = try await CaseRecord.find(packet.$caseRecord.id, on: req.db) else { throw AppError.notFound }
        switch form.decision {
        case "accept":
            packet.status = .accepted
        case "needs-information":
            guard !items.isEmpty else { throw AppError.badRequest("List what you need, one item per line.") }
            packet.status = .needsInformation
            packet.responseItemsJSON = String(decoding: try JSONEncoder().encode(Array(items)), as: UTF8.self)
        case "decline":
            guard reason?.isEmpty == false else { throw AppError.badRequest("Give the reason for declining; the patient's navigator will explain it to them.") }
            packet.status = .declined
        default:
            throw AppError.badRequest("Choose accept, need more information or decline.")
        }
        packet.responseReason = reason?.isEmpty == false ? reason : nil
        packet.respondedBy = "\(user.displayName), \(try await user.$organization.get(on: req.db)?.name ?? "partner")"
        packet.respondedAt = req.now
        try await packet.save(on: req.db)
        // The answer moves the case when it is waiting on the partner.
        if record.stage == .eligibilityCoordination {
            let target: CaseStage? = packet.status == .accepted ? .acceptedForScreening : packet.status == .declined ? .declined : nil
            if let target {
                try await CaseNavigation.transition(record, to: target, reason: packet.responseReason, by: user, as: .partner, now: req.now, knowledge: req.application.knowledge, on: req.db)
            }
        }
        for item in items {
            try await CaseTask(caseID: record.requireID(), title: "Partner asks for: \(item)", ownerID: record.$navigator.id,
                               dueAt: CaseWorkflow.addingWorkingDays(3, to: req.now), stage: nil, createdBy: user.id).create(on: req.db)
        }
        try await AuditLog.record(req, action: .update, objectType: "referral-response", objectID: packet.id?.uuidString, caseID: record.id)
        if let navigator = record.$navigator.id {
            try await CaseNavigation.notify(userIDs: [navigator], subject: "A partner answered a referral", body: "A partner organisation has answered a referral you sent. Sign in to OncoNav for details.", on: req.db)
        }
        return req.redirect(to: "/partner/packets/\(try packet.requireID())?notice=response-saved")
    }

    static func notifyPartner(_ packet: ReferralPacket, subject: String, body: String, on db: any Database) async throws {
        let staff = try await User.query(on: db).filter(\.$organization.$id == packet.$organization.id).filter(\.$role == .partner).all()
        try await CaseNavigation.notify(userIDs: staff.compactMap(\.id), subject: subject, body: body, on: db)
        if let organization = try await Organization.find(packet.$organization.id, on: db), let contact = organization.contactEmail, !staff.contains(where: { $0.email == contact }) {
            try await OutboxMessage(recipient: contact, subject: subject, body: body + "\n\n— OncoNav").create(on: db)
        }
    }
}
