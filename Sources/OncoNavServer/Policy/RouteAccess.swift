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
        try Self.authorize(request, access: request.route?.access)
        return try await next.respond(to: request)
    }
}

extension PolicyMiddleware {
    /// Applies a route's access rule to the request, throwing what the policy answers.
    /// Used by the CSRF check too, so that nobody without access gets a body read at all.
    static func authorize(_ request: Request, access: RouteAccess?) throws {
        guard let access else {
            request.logger.error("Route without an access rule refused", metadata: ["route": .string(request.loggableRoute)])
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
    }
}

struct RouteBodyLimitKey: Hashable, Sendable {}

extension Route {
    /// The largest body this route accepts, in bytes; nil means the application's default.
    var bodyLimit: Int? { userInfo[RouteBodyLimitKey()] as? Int }
}

extension RoutesBuilder {
    /// A route that accepts a body larger than the default (uploads, imports). The limit is
    /// recorded on the route so that the CSRF check, which must read the form before the
    /// route does, reads no more than the route itself would.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: PathComponent..., bodyLimit: ByteCount,
                                              use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        let route = on(method, path, body: .collect(maxSize: bodyLimit), use: closure)
        route.userInfo[RouteBodyLimitKey()] = bodyLimit.value
        return route
    }
}
