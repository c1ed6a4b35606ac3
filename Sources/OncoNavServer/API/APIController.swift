import Fluent
import Vapor

/// The JSON API (`/api/v1`), authenticated by personal access tokens. Every route is
/// described in `OpenAPIDocument`; a test keeps the two in step.
enum APIController {
    static func register(_ api: any RoutesBuilder) {
        api.get("me", use: me).access(.signedIn)
        api.get("cases", use: listCases).access(.signedIn)
        api.post("cases", use: createCase).access(.roles([.patient, .navigator, .admin]))
        api.get("cases", ":caseID", use: getCase).access(.signedIn)
        api.patch("cases", ":caseID", use: updateCase).access(.signedIn)
        api.delete("cases", ":caseID", use: deleteCase).access(.signedIn)
    }

    struct MeDTO: Content {
        let id: UUID
        let email: String
        let displayName: String
        let role: Role
        let organization: String?
    }

    static func me(req: Request) async throws -> MeDTO {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        return MeDTO(id: try user.requireID(), email: user.email, displayName: user.displayName, role: user.role,
                     organization: try await user.$organization.get(on: req.db)?.name)
    }

    struct CaseDTO: Content {
        let id: UUID
        let title: String
        let ownerID: UUID?
        let navigatorID: UUID?
        let createdAt: Date?
        let updatedAt: Date?

        init(_ record: CaseRecord) throws {
            id = try record.requireID()
            title = record.title
            ownerID = record.$owner.id
            navigatorID = record.$navigator.id
            createdAt = record.createdAt
            updatedAt = record.updatedAt
        }
    }

    struct CaseListDTO: Content {
        let cases: [CaseDTO]
    }

    static func listCases(req: Request) async throws -> CaseListDTO {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let cases = try await CaseAccess.readableCases(for: user, on: req.db, now: req.now)
        try await AuditLog.record(req, action: .read, objectType: "case-list", objectID: nil, caseID: nil)
        return CaseListDTO(cases: try cases.map(CaseDTO.init))
    }

    struct CreateCaseDTO: Content {
        let title: String
        /// Staff only: the patient account the case belongs to.
        let patientEmail: String?
    }

    static func validTitle(_ raw: String) throws -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 200 else { throw AppError.badRequest("`title` must be 1 to 200 characters.") }
        return title
    }

    static func createCase(req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw AppError.signInRequired }
        let input = try req.content.decode(CreateCaseDTO.self)
        let title = try validTitle(input.title)
        let participants: CaseOpening.Participants
        switch try await CaseOpening.participants(for: user, patientEmail: input.patientEmail, on: req.db) {
        case .success(let found): participants = found
        case .failure: throw AppError.badRequest("No patient account uses `patientEmail`; omit it to open an inquiry without an account.")
        }
        let record = CaseRecord(ownerID: participants.ownerID, navigatorID: participants.navigatorID, title: title)
        try await record.save(on: req.db)
        try await CaseNavigation.opened(record, by: user, now: req.now, on: req.db)
        try await AuditLog.record(req, action: .create, objectType: "case", objectID: record.id?.uuidString, caseID: record.id)
        let response = try await CaseDTO(record).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cases/\(try record.requireID())")
        return response
    }

    static func getCase(req: Request) async throws -> CaseDTO {
        try CaseDTO(await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read))
    }

    struct UpdateCaseDTO: Content {
        let title: String?
    }

    static func updateCase(req: Request) async throws -> CaseDTO {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .update)
        let input = try req.content.decode(UpdateCaseDTO.self)
        if let title = input.title { record.title = try validTitle(title) }
        try await record.save(on: req.db)
        return try CaseDTO(record)
    }

    static func deleteCase(req: Request) async throws -> HTTPStatus {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .delete)
        try await CaseDeletion.delete(record, on: req.db, app: req.application)
        return .noContent
    }
}
