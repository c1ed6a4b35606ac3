import Vapor

/// Errors a person can act on. Each says what was wrong and what to do; none carries
/// health data, so they are safe to log.
enum AppError: Error, AbortError, Sendable {
    case notFound
    case forbidden
    case signInRequired
    case csrfRejected
    case badRequest(String)
    case conflict(String)
    case tooManyRequests(String)

    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .signInRequired: .unauthorized
        case .csrfRejected: .forbidden
        case .badRequest: .badRequest
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        }
    }

    var reason: String {
        switch self {
        case .notFound: "We could not find that page. It may have moved, or you may not have access to it."
        case .forbidden: "Your account does not have access to this page."
        case .signInRequired: "Please sign in to continue."
        case .csrfRejected: "This form expired or was sent from another site. Go back, reload the page and try again."
        case .badRequest(let message), .conflict(let message), .tooManyRequests(let message): message
        }
    }
}
