import Fluent
import Vapor

/// Administration: accounts for staff, the outbox. The audit log has its own controller.
enum AdminController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("admin", use: { req in req.redirect(to: "/admin/users") }).access(.admin)
        routes.get("admin", "users", use: users).access(.admin)
        routes.post("admin", "users", use: createUser).access(.admin)
        routes.get("admin", "outbox", use: outbox).access(.admin)
        routes.get("admin", "outbox", ":messageID", use: outboxMessage).access(.admin)
    }

    struct UserRow: Encodable, Sendable {
        let email: String
        let name: String
        let role: String
        let organization: String?
        let created: String
    }

    struct UsersPage: Encodable, Sendable {
        let users: [UserRow]
        let roles: [SelectOption]
        let form: FormState
    }

    static func usersModel(req: Request, form: FormState = FormState()) async throws -> UsersPage {
        let users = try await User.query(on: req.db).with(\.$organization).sort(\.$createdAt, .descending).limit(500).all()
        return UsersPage(
            users: users.map { UserRow(email: $0.email, name: $0.displayName, role: $0.role.displayName, organization: $0.organization?.name, created: DisplayDate.string($0.createdAt)) },
            roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == (form.values["role"] ?? "navigator")) },
            form: form
        )
    }

    static func users(req: Request) async throws -> Response {
        try await req.page("admin/users", title: "Users", content: usersModel(req: req))
    }

    struct CreateUserForm: Content {
        var email: String
        var displayName: String
        var role: String
        var organization: String?
    }

    static func createUser(req: Request) async throws -> Response {
        let form = try req.content.decode(CreateUserForm.self)
        let organizationName = (form.organization ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let result = await UserDirectory.validate(email: form.email, displayName: form.displayName, role: form.role, organization: organizationName, on: req.db)
        let input: UserDirectory.NewUser
        switch result {
        case .success(let valid):
            input = valid
        case .failure(let errors):
            let state = FormState(values: ["email": String(form.email.prefix(254)), "displayName": String(form.displayName.prefix(100)), "role": form.role, "organization": String(organizationName.prefix(200))], errors: errors)
            return try await req.page("admin/users", title: "Users", content: usersModel(req: req, form: state), status: .unprocessableEntity)
        }
        // Staff choose their own password through an invitation link (valid 72 hours); the
        // admin never knows it. Until then the account has an unusable random password.
        let placeholder = try await req.hashPassword(SecureToken.generate())
        let user = try await UserDirectory.create(input, passwordHash: placeholder, on: req.db)
        try await PasswordResetController.sendLink(to: user, purpose: "invite", request: req, lifetime: 72 * 60 * 60)
        return req.redirect(to: "/admin/users?notice=user-created")
    }

    struct OutboxRow: Encodable, Sendable {
        let id: String
        let recipient: String
        let subject: String
        let status: String
        let created: String
    }

    struct OutboxPage: Encodable, Sendable {
        let messages: [OutboxRow]
    }

    static func outbox(req: Request) async throws -> Response {
        let messages = try await OutboxMessage.query(on: req.db).sort(\.$createdAt, .descending).limit(200).all()
        return try await req.page("admin/outbox", title: "Outbox", content: OutboxPage(messages: messages.map {
            OutboxRow(id: $0.id?.uuidString ?? "", recipient: $0.recipient, subject: $0.subject, status: $0.status, created: DisplayDate.string($0.createdAt))
        }))
    }

    struct OutboxMessagePage: Encodable, Sendable {
        let recipient: String
        let subject: String
        let body: String
        let status: String
        let created: String
    }

    static func outboxMessage(req: Request) async throws -> Response {
        guard let id = req.parameters.get("messageID").flatMap(UUID.init(uuidString:)),
              let message = try await OutboxMessage.find(id, on: req.db) else { throw AppError.notFound }
        return try await req.page("admin/outbox-message", title: message.subject, content: OutboxMessagePage(
            recipient: message.recipient, subject: message.subject, body: message.body, status: message.status, created: DisplayDate.string(message.createdAt)))
    }
}

/// Creating accounts, shared by the admin page and the `onconav user create` command.
public enum UserDirectory {
    public struct NewUser: Sendable {
        public var email: String
        public var displayName: String
        public var role: Role
        public var organization: String?
    }

    public enum ValidationResult: Sendable {
        case success(NewUser)
        case failure([String])

    }

    public static func validate(email rawEmail: String, displayName rawName: String, role rawRole: String, organization: String?, on db: any Database) async -> ValidationResult {
        let email = User.normalize(email: rawEmail)
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String] = []
        if !User.isPlausibleEmail(email) { errors.append("Enter an email address like name@example.org.") }
        if name.count > 100 { errors.append("Use a name of at most 100 characters.") }
        let role = Role(rawValue: rawRole.lowercased())
        if role == nil { errors.append("Choose a role: patient, navigator, partner or admin.") }
        let organization = organization?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if role == .partner, organization == nil { errors.append("Partner staff belong to an organisation: give the hospital or trial site name.") }
        if let organization, organization.count > 200 { errors.append("Use an organisation name of at most 200 characters.") }
        if errors.isEmpty, (try? await User.query(on: db).filter(\.$email == email).first()) != nil {
            errors.append("An account with this email already exists.")
        }
        guard errors.isEmpty, let role else { return .failure(errors) }
        return .success(NewUser(email: email, displayName: name.isEmpty ? email : name, role: role, organization: organization))
    }

    public static func create(_ input: NewUser, passwordHash: String, on db: any Database) async throws -> User {
        try await db.transaction { db in
            var organizationID: UUID?
            if let name = input.organization {
                if let existing = try await Organization.query(on: db).filter(\.$name == name).first() {
                    organizationID = existing.id
                } else {
                    let organization = Organization(name: name, kind: .hospital)
                    try await organization.save(on: db)
                    organizationID = organization.id
                }
            }
            let user = User(email: input.email, passwordHash: passwordHash, role: input.role, displayName: input.displayName, organizationID: organizationID)
            try await user.save(on: db)
            return user
        }
    }
}
