import Vapor

/// Cross-site request forgery protection for every state-changing form, by the
/// double-submit pattern: a random token in an `HttpOnly`, `SameSite=Lax` cookie must match
/// the `_csrf` field of the form. Another site can neither read the cookie nor guess the
/// token. The JSON API is exempt because it accepts only bearer tokens, never cookies.
enum CSRF {
    static let cookieName = "onconav_csrf"
    static let fieldName = "_csrf"
    /// The largest multipart form any page accepts (the admin's trial import).
    static let maximumMultipartBytes = 200 << 20

    private struct TokenKey: StorageKey { typealias Value = String }

    /// The token to render into forms for this request.
    static func token(for request: Request) -> String {
        if let token = request.storage[TokenKey.self] { return token }
        let token = request.cookies[cookieName]?.string.nilIfEmpty ?? SecureToken.generate()
        request.storage[TokenKey.self] = token
        return token
    }

    /// Issues a new token (on sign-in and sign-out).
    static func rotate(request: Request, response: Response) {
        let token = SecureToken.generate()
        request.storage[TokenKey.self] = token
        response.cookies[cookieName] = Sessions.cookie(token, request: request, maxAge: 60 * 60 * 24)
    }

    static func isStateChanging(_ method: HTTPMethod) -> Bool {
        ![.GET, .HEAD, .OPTIONS].contains(method)
    }
}

/// Rejects state-changing browser requests without a matching CSRF token, and makes sure
/// every browser has a token cookie.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let isAPI = request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/fhir/")
        if CSRF.isStateChanging(request.method), !isAPI {
            // The token is in the body; a large upload arrives as a stream that the route
            // would only collect after this check, so collect it here (within the largest
            // limit any form route accepts; routes still check their own, smaller limits).
            if request.body.data == nil {
                let isMultipart = request.headers.contentType?.type == "multipart"
                let limit = isMultipart ? CSRF.maximumMultipartBytes : 1 << 20
                if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
                    throw Abort(.payloadTooLarge, reason: "The upload is larger than \(limit >> 20) MB.")
                }
                _ = try await request.body.collect(max: limit).get()
            }
            let cookie = request.cookies[CSRF.cookieName]?.string ?? ""
            let submitted = (try? request.content.get(String.self, at: CSRF.fieldName))
                ?? request.headers.first(name: "X-CSRF-Token") ?? ""
            guard !cookie.isEmpty, SecureToken.constantTimeEquals(cookie, submitted) else {
                request.logger.notice("CSRF check failed", metadata: ["path": .string(request.url.path)])
                throw AppError.csrfRejected
            }
        }
        let hadCookie = request.cookies[CSRF.cookieName] != nil
        let response = try await next.respond(to: request)
        if !hadCookie, response.cookies[CSRF.cookieName] == nil, !isAPI {
            response.cookies[CSRF.cookieName] = Sessions.cookie(CSRF.token(for: request), request: request, maxAge: 60 * 60 * 24)
        }
        return response
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
