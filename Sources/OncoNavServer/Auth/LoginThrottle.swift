import Fluent
import Foundation
import Vapor

/// Slows password guessing: too many failed sign-ins for one account, or from one client
/// address, within the window lock further attempts until the window has passed. Attempts
/// are kept in the database so the limit holds across several app servers.
struct LoginThrottle: Sendable {
    var window: TimeInterval = 15 * 60
    var maxFailuresPerAccount = 5
    var maxFailuresPerAddress = 20

    enum Verdict: Equatable {
        case allowed
        case locked(retryAfter: TimeInterval, reason: String)
    }

    /// Records an attempt *before* the password is checked, then decides whether it may be
    /// checked at all. The attempt is stored as a failure until `succeeded(_:)` says
    /// otherwise, and the count includes it: of any number of attempts made at the same time,
    /// each sees at least as many failures as were recorded before it, so no more than the
    /// limit are ever evaluated. A refused attempt is removed again, so that waiting out the
    /// window lifts the lock.
    func begin(account: String, address: String, now: Date, on db: any Database) async throws -> (LoginAttempt, Verdict) {
        let attempt = LoginAttempt(account: account, clientAddress: address, succeeded: false, attemptedAt: now)
        try await attempt.create(on: db)
        let since = now.addingTimeInterval(-window)
        /// Locked when the failures in the window (this attempt included) pass `limit`.
        func lock(_ filter: (QueryBuilder<LoginAttempt>) -> QueryBuilder<LoginAttempt>, limit: Int, reason: String) async throws -> Verdict? {
            let failures = try await filter(LoginAttempt.query(on: db)).filter(\.$succeeded == false).filter(\.$attemptedAt > since)
                .sort(\.$attemptedAt, .ascending).all()
            guard failures.count > limit, let oldest = failures.first else { return nil }
            return .locked(retryAfter: oldest.attemptedAt.addingTimeInterval(window).timeIntervalSince(now), reason: reason)
        }
        var verdict = Verdict.allowed
        if let locked = try await lock({ $0.filter(\.$account == account) }, limit: maxFailuresPerAccount, reason: "Too many failed sign-in attempts for this account.") {
            verdict = locked
        } else if let locked = try await lock({ $0.filter(\.$clientAddress == address) }, limit: maxFailuresPerAddress, reason: "Too many failed sign-in attempts from your network.") {
            verdict = locked
        }
        if case .locked = verdict { try await attempt.delete(on: db) }
        return (attempt, verdict)
    }

    /// The attempt `begin` recorded succeeded: it stops counting, and so do the account's
    /// earlier failures.
    func succeeded(_ attempt: LoginAttempt, on db: any Database) async throws {
        attempt.succeeded = true
        try await attempt.save(on: db)
        try await LoginAttempt.query(on: db)
            .filter(\.$account == attempt.account).filter(\.$succeeded == false).delete()
    }

    static func message(for verdict: Verdict) -> String? {
        guard case let .locked(retryAfter, reason) = verdict else { return nil }
        // Half a second of slack: stored times lose sub-millisecond precision, which must not
        // turn "15 minutes" into "16".
        let minutes = max(1, Int(((retryAfter - 0.5) / 60).rounded(.up)))
        return "\(reason) For your security, sign-in is paused for \(minutes) minute\(minutes == 1 ? "" : "s"). If you have forgotten your password, reset it instead."
    }
}
