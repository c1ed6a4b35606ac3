import Leaf
import LeafKit
import Vapor

/// Turns errors into answers a person or a program can act on: HTML error pages for the
/// site, `application/problem+json` (RFC 9457) for the API. Internal details are logged,
/// never shown; log lines carry no health data.
struct OncoNavErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, request: request)
        }
    }

    struct Problem: Content {
        var type: String
        var title: String
        var status: Int
        var detail: String
    }

    struct ErrorPage: Encodable, Sendable {
        let status: Int
        let heading: String
        let message: String
    }

    private func response(for error: any Error, request: Request) async -> Response {
        let response = await body(for: error, request: request)
        if let retryAfter = (error as? any AbortError)?.headers.first(name: .retryAfter) ?? ((error is ConnectionPoolTimeoutError) ? "5" : nil) {
            response.headers.replaceOrAdd(name: .retryAfter, value: retryAfter)
        }
        return response
    }

    private func body(for error: any Error, request: Request) async -> Response {
        let status: HTTPResponseStatus
        let message: String
        switch error {
        case let abort as any AbortError:
            status = abort.status
            message = status == .internalServerError ? "Something went wrong on our side. Please try again; if it keeps happening, contact your navigator." : abort.reason
        case is ConnectionPoolTimeoutError:
            // Every database connection is busy: a burst, not a fault. Ask to retry shortly.
            status = .serviceUnavailable
            message = "The service is very busy at this moment. Please try again in a few seconds."
        case is DecodingError:
            status = .badRequest
            message = "The request could not be read. Check the fields and their formats and try again."
        default:
            status = .internalServerError
            message = "Something went wrong on our side. Please try again; if it keeps happening, contact your navigator."
        }
        if status == .internalServerError {
            // Template and programming errors name files and types, not health data; other
            // errors are logged by type only.
            let detail = (error is LeafError) ? String(describing: error) : String(reflecting: type(of: error))
            request.logger.error("Unhandled error", metadata: ["error": .string(detail), "route": .string(request.loggableRoute)])
        } else {
            request.logger.debug("Request refused", metadata: ["status": .stringConvertible(status.code), "route": .string(request.loggableRoute)])
        }

        if request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/fhir/") || request.url.path == "/readyz" {
            let problem = Problem(type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: message)
            let response = Response(status: status, body: .init(data: (try? JSONEncoder().encode(problem)) ?? Data()))
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
            if status == .unauthorized { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
            return response
        }

        // A signed-out visitor asking for a page that needs an account goes to sign in.
        if status == .unauthorized, request.method == .GET {
            let next = request.url.path.hasPrefix("/") && !request.url.path.hasPrefix("//") ? request.url.string : "/"
            return request.redirect(to: "/signin?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }

        let heading: String
        switch status {
        case .notFound: heading = "Page not found"
        case .forbidden: heading = "Not allowed"
        case .unauthorized: heading = "Sign-in needed"
        case .tooManyRequests: heading = "Please wait"
        case .badRequest: heading = "Something in the request was wrong"
        default: heading = status == .internalServerError ? "Something went wrong" : status.reasonPhrase
        }
        do {
            return try await request.page("error", title: heading, content: ErrorPage(status: Int(status.code), heading: heading, message: message), status: status)
        } catch {
            request.logger.error("Error page could not be rendered", metadata: ["error": .string(String(describing: error))])
            let response = Response(status: status, body: .init(string: "\(status.code) \(heading): \(message)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}

extension Request {
    /// What log lines name the request by: the route's pattern ("POST /password/reset/:token"),
    /// never the path itself, which can hold a one-time token or a case id.
    var loggableRoute: String {
        route.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") } ?? "\(method.rawValue) (no route)"
    }
}
