import Fluent
import Vapor

/// Who a new case belongs to, shared by the page and the API: a patient opens their own;
/// a navigator opens one assigned to themselves, optionally for an existing patient account.
enum CaseOpening {
    struct Participants {
        var ownerID: UUID?
        var navigatorID: UUID?
    }

    enum Problem: Error {
        case unknownPatient
        var message: String { "No patient account uses that email address. Leave it empty to open an inquiry without an account." }
    }

    static func participants(for user: User, patientEmail: String?, on db: any Database) async throws -> Result<Participants, Problem> {
        if user.role == .patient { return .success(Participants(ownerID: try user.requireID(), navigatorID: nil)) }
        var participants = Participants(ownerID: nil, navigatorID: user.role == .navigator ? try user.requireID() : nil)
        let email = User.normalize(email: patientEmail ?? "")
        if !email.isEmpty {
            guard let patient = try await User.query(on: db).filter(\.$email == email).filter(\.$role == .patient).first() else {
                return .failure(.unknownPatient)
            }
            participants.ownerID = patient.id
        }
        return .success(participants)
    }
}
