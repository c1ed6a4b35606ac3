import Crypto
import Foundation
import Vapor

/// Cross-site request forgery protection for every state-changing form.
///
/// - A random value in an `HttpOnly`, `SameSite=Lax` cookie, and in each form a token that is
///   an HMAC (under a key derived from the master key) of that value *and* the browser's
///   session. A token is good only for this browser and this session: a cookie planted by
///   someone else, or a token from before sign-in, does not pass.
/// - A state-changing request whose `Origin` (or `Sec-Fetch-Site`) names another site is
///   refused before anything else.
///
/// The JSON API is exempt because it accepts only bearer tokens, never cookies.
enum CSRF {
    static let cookieName = "onconav_csrf"
    static let fieldName = "_csrf"

    private struct CookieValueKey: StorageKey { typealias Value = String }

    /// The browser's random CSRF cookie value for this request (a new one when it has none).
    static func cookieValue(for request: Request) -> String {
        if let value = request.storage[CookieValueKey.self] { return value }
        let value = request.cookies[cookieName]?.string.nilIfEmpty ?? SecureToken.generate()
        request.storage[CookieValueKey.self] = value
        return value
    }

    /// The token to render into forms for this request.
    static func token(for request: Request) -> String {
        formToken(cookieValue: cookieValue(for: request), sessionTokenHash: request.userSession?.tokenHash,
                  key: request.application.documentStore.formTokenKey)
    }

    /// HMAC of the cookie value and the session's token hash ("-" when signed out).
    static func formToken(cookieValue: String, sessionTokenHash: String?, key: SymmetricKey) -> String {
        let message = Data("\(cookieValue)|\(sessionTokenHash ?? "-")".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: key)).base64URLEncodedString()
    }

    /// Issues a new cookie value (on sign-in and sign-out).
    static func rotate(request: Request, response: Response) {
        let value = SecureToken.generate()
        request.storage[CookieValueKey.self] = value
        response.cookies[cookieName] = Sessions.cookie(value, request: request, maxAge: 60 * 60 * 24)
    }

    static func isStateChanging(_ method: HTTPMethod) -> Bool {
        ![.GET, .HEAD, .OPTIONS].contains(method)
    }

    /// Whether the request says it comes from another site. Browsers send `Origin` with
    /// every cross-origin POST and `Sec-Fetch-Site` with every request; a request without
    /// either (a command-line client) is judged by its token alone.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers.first(name: "Sec-Fetch-Site")?.lowercased(), site == "cross-site" { return true }
        guard let origin = request.headers.first(name: .origin) else { return false }
        if origin == "null" { return true }
        guard let url = URL(string: origin), let host = url.host?.lowercased() else { return true }
        let port = url.port ?? (url.scheme == "https" ? 443 : 80)
        let publicBase = request.application.appConfig.publicBaseURL
        if host == publicBase.host?.lowercased(), port == (publicBase.port ?? (publicBase.scheme == "https" ? 443 : 80)) { return false }
        // The server may be reached under another name than the public one (loopback, a
        // proxy); the browser's own Host header then names it.
        if let hostHeader = request.headers.first(name: .host)?.lowercased() {
            let expected = url.port.map { "\(host):\($0)" } ?? host
            if hostHeader == expected { return false }
        }
        return true
    }
}

/// Rejects state-changing browser requests from another site or without a matching CSRF
/// token, and makes sure every browser has a token cookie.
///
/// The token is in the body, which therefore has to be read here, before the route reads
/// it. So that nobody can make the server read (and parse) large bodies for free, the
/// route's access rule is applied first — a signed-out visitor cannot make it read an
/// upload — and the body is read only up to the route's own limit: a body declared larger
/// is refused at once with 413, unread.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let isAPI = request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/fhir/")
        if CSRF.isStateChanging(request.method), !isAPI {
            guard let route = request.route else { throw AppError.notFound }
            if CSRF.isCrossSite(request) {
                request.logger.notice("Cross-site form refused", metadata: ["route": .string(request.loggableRoute)])
                throw AppError.csrfRejected
            }
            try PolicyMiddleware.authorize(request, access: route.access)
            if request.body.data == nil {
                let limit = route.bodyLimit ?? request.application.routes.defaultMaxBodySize.value
                if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
                    throw Abort(.payloadTooLarge, reason: "The upload is larger than \(Self.megabytes(limit)) MB, the most this form accepts.")
                }
                _ = try await request.eventLoop.flatSubmit { request.body.collect(max: limit) }.get()
            }
            let cookie = request.cookies[CSRF.cookieName]?.string ?? ""
            let submitted = (try? request.content.get(String.self, at: CSRF.fieldName))
                ?? request.headers.first(name: "X-CSRF-Token") ?? ""
            let expected = cookie.isEmpty ? "" : CSRF.token(for: request)
            guard !expected.isEmpty, SecureToken.constantTimeEquals(expected, submitted) else {
                request.logger.notice("CSRF check failed", metadata: ["route": .string(request.loggableRoute)])
                throw AppError.csrfRejected
            }
        }
        let hadCookie = request.cookies[CSRF.cookieName] != nil
        let response = try await next.respond(to: request)
        if !hadCookie, response.cookies[CSRF.cookieName] == nil, !isAPI {
            response.cookies[CSRF.cookieName] = Sessions.cookie(CSRF.cookieValue(for: request), request: request, maxAge: 60 * 60 * 24)
        }
        return response
    }

    private static func megabytes(_ bytes: Int) -> Int { max(1, bytes >> 20) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
