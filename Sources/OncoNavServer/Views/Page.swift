import Leaf
import Vapor

/// The signed-in person as pages show them.
struct CurrentUserView: Encodable, Sendable {
    let email: String
    let displayName: String
    let role: String
    let roleName: String
    let isAdmin: Bool
    let isStaff: Bool
    /// Staff, partners and admins integrate systems; patients are not shown API tokens or
    /// raw JSON links (they find them under Account → Developer settings if they want them).
    let isIntegrator: Bool

    init(_ user: User) {
        email = user.email
        displayName = user.displayName
        role = user.role.rawValue
        roleName = user.role.displayName
        isAdmin = user.role == .admin
        isStaff = user.role == .admin || user.role == .navigator
        isIntegrator = user.role != .patient
    }
}

struct NavLink: Encodable, Sendable {
    let title: String
    let href: String
}

/// What every page gets: the shared layout's needs plus the page's own content.
struct PageContext<Content: Encodable & Sendable>: Encodable, Sendable {
    let title: String
    let user: CurrentUserView?
    let csrf: String
    let nav: [NavLink]
    let notice: String?
    /// "Sample of N ClinicalTrials.gov records …" while the bundled sample is the registry;
    /// the trial pages show it (`trials/sample-notice`).
    let registrySample: String?
    let content: Content
}

/// The header navigation depends on the role: people see only what they can use.
enum Navigation {
    static func links(for user: User?) -> [NavLink] {
        var links = [NavLink(title: "Home", href: "/"), NavLink(title: "Learn", href: "/learn"), NavLink(title: "Trials", href: "/trials")]
        guard let user else { return links }
        if user.role != .partner {
            links.append(NavLink(title: user.role == .patient ? "My cases" : "Cases", href: "/cases"))
        }
        if user.role == .navigator || user.role == .admin {
            links.append(NavLink(title: "Dashboard", href: "/navigator"))
        }
        if user.role == .partner {
            links.append(NavLink(title: "Referrals", href: "/partner"))
        }
        if user.role == .admin {
            links.append(NavLink(title: "Users", href: "/admin/users"))
            links.append(NavLink(title: "Audit log", href: "/admin/audit"))
            links.append(NavLink(title: "Outbox", href: "/admin/outbox"))
            links.append(NavLink(title: "Partners", href: "/admin/organizations"))
            links.append(NavLink(title: "Import trials", href: "/admin/trials/import"))
        }
        links.append(NavLink(title: "Account", href: "/account"))
        return links
    }
}

/// Fixed notices chosen by key, so a query string can never inject text into a page.
enum Notice: String {
    case signedOut = "signed-out"
    case signedOutEverywhere = "signed-out-everywhere"
    case passwordReset = "password-reset"
    case resetSent = "reset-sent"
    case caseCreated = "case-created"
    case caseUpdated = "case-updated"
    case caseDeleted = "case-deleted"
    case userCreated = "user-created"
    case tokenRevoked = "token-revoked"
    case passwordChanged = "password-changed"
    case welcome = "welcome"
    case signUpCheckEmail = "signup-check-email"
    case documentRetry = "document-retry"
    case documentDeleted = "document-deleted"
    case factReviewed = "fact-reviewed"
    case factsConfirmed = "facts-confirmed"
    case stageChanged = "stage-changed"
    case taskSaved = "task-saved"
    case referralPrepared = "referral-prepared"
    case consentSaved = "consent-saved"
    case referralRevoked = "referral-revoked"
    case responseSaved = "response-saved"
    case accountDeleted = "account-deleted"
    case notificationsSaved = "notifications-saved"

    var message: String {
        switch self {
        case .signedOut: "You have signed out."
        case .signedOutEverywhere: "You have been signed out on every device. Sign in again to continue."
        case .passwordReset: "Your password has been changed. Please sign in with the new password."
        case .resetSent: "If an account exists for that address, we have sent a link to reset the password. It works once and expires in one hour."
        case .caseCreated: "Your case has been created."
        case .caseUpdated: "The case has been updated."
        case .caseDeleted: "The case has been deleted."
        case .userCreated: "The account has been created."
        case .tokenRevoked: "The token has been revoked; it no longer works."
        case .passwordChanged: "Your password has been changed and your other devices have been signed out."
        case .welcome: "Welcome to OncoNav. Your account is ready."
        case .signUpCheckEmail: "Check your email. If this address is new to OncoNav, we have sent a link to finish creating your account; it works once and expires in 24 hours. If the address already has an account, we have emailed its owner instead."
        case .documentRetry: "The document is queued to be read again."
        case .documentDeleted: "The document and the values taken from it have been deleted."
        case .factReviewed: "Your review has been saved. The original value stays on record."
        case .factsConfirmed: "The values read from that document are confirmed. Values that disagree with another source are left for you to choose between."
        case .stageChanged: "The case has moved to its next stage; the people on the case have been told."
        case .taskSaved: "The task has been saved."
        case .referralPrepared: "The referral packet is ready. The patient has been asked for consent; nothing is shared before they agree."
        case .consentSaved: "Your answer has been saved."
        case .referralRevoked: "The partner can no longer see this referral."
        case .responseSaved: "Your answer has been sent to the patient's navigator."
        case .accountDeleted: "Your account and your cases have been deleted."
        case .notificationsSaved: "Your email choice has been saved."
        }
    }
}

extension Request {
    /// Renders `template` inside the shared layout.
    func page<Content: Encodable & Sendable>(
        _ template: String, title: String, content: Content, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let notice = (try? query.get(String.self, at: "notice")).flatMap(Notice.init(rawValue:))?.message
        let context = PageContext(
            title: title,
            user: currentUser.map(CurrentUserView.init),
            csrf: CSRF.token(for: self),
            nav: Navigation.links(for: currentUser),
            notice: notice,
            registrySample: application.registrySampleNotice.label,
            content: content
        )
        let view = try await self.view.render(template, context)
        let response = try await view.encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// One `<option>` of a `<select>`: the admin role list, the navigator list, the trial
/// therapy-type filter.
public struct SelectOption: Content, Sendable {
    public let value: String
    public let label: String
    public let selected: Bool
}

/// A page with nothing of its own beyond the layout.
struct EmptyContent: Encodable, Sendable {}

/// Form pages re-render with the person's input and the problems found.
struct FormState: Encodable, Sendable {
    var values: [String: String] = [:]
    var errors: [String] = []

    private enum CodingKeys: String, CodingKey { case values, errors, hasErrors }

    // Leaf treats an empty array as true in `#if`, so templates test `hasErrors` instead.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(values, forKey: .values)
        try container.encode(errors, forKey: .errors)
        try container.encode(!errors.isEmpty, forKey: .hasErrors)
    }
}

extension Request {
    /// Whether the client asked for JSON by name. Pages answer HTML otherwise: a browser's
    /// `Accept: */*` (or `application/*`) matches JSON only by wildcard, and Vapor's media
    /// type comparison treats wildcards as equal, so it must not be used for this.
    var asksForJSON: Bool {
        let accepted = headers.accept
        guard let json = accepted.first(where: { $0.mediaType.type == "application" && $0.mediaType.subType == "json" }),
              (json.q ?? 1) > 0 else { return false }
        let html = accepted.first { $0.mediaType.type == "text" && $0.mediaType.subType == "html" }
        return html.map { (json.q ?? 1) >= ($0.q ?? 1) } ?? true
    }
}
