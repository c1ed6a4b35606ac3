import Vapor

/// Who may reach a route at all. Every route is registered with one; the policy middleware
/// refuses any route that lacks one (deny by default), and a test walks every route to make
/// sure none does. Case-level checks then happen in `CaseAccess`.
public enum RouteAccess: Sendable, Equatable {
    /// No sign-in needed (home page, sign-in, health checks, knowledge pages).
    case anyone
    /// Any signed-in person; the handler applies case-level checks.
    case signedIn
    /// Only these roles.
    case roles(Set<Role>)

    static let admin = RouteAccess.roles([.admin])
    static let staff = RouteAccess.roles([.admin, .navigator])
}

struct RouteAccessKey: Hashable, Sendable {}

extension Route {
    var access: RouteAccess? { userInfo[RouteAccessKey()] as? RouteAccess }

    @discardableResult
    func access(_ access: RouteAccess) -> Route {
        userInfo[RouteAccessKey()] = access
        return self
    }
}

/// Enforces `RouteAccess` after routing. Pages send signed-out people to sign in; the API
/// answers 401. A signed-in person without the role gets 403 (the route's existence is
/// public knowledge; case existence is what must not leak, see `CaseAccess`).
struct PolicyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let access = request.route?.access else {
            request.logger.error("Route without an access rule refused", metadata: ["path": .string(request.route?.description ?? request.url.path)])
            throw AppError.notFound
        }
        switch access {
        case .anyone:
            break
        case .signedIn:
            guard request.currentUser != nil else { throw AppError.signInRequired }
        case .roles(let roles):
            guard let user = request.currentUser else { throw AppError.signInRequired }
            guard roles.contains(user.role) else { throw AppError.forbidden }
        }
        return try await next.respond(to: request)
    }
}
