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

    func check(account: String, address: String, now: Date, on db: any Database) async throws -> Verdict {
        let since = now.addingTimeInterval(-window)
        let accountFailures = try await LoginAttempt.query(on: db)
            .filter(\.$account == account).filter(\.$succeeded == false).filter(\.$attemptedAt > since)
            .sort(\.$attemptedAt, .ascending).all()
        if accountFailures.count >= maxFailuresPerAccount, let oldest = accountFailures.first {
            return .locked(
                retryAfter: oldest.attemptedAt.addingTimeInterval(window).timeIntervalSince(now),
                reason: "Too many failed sign-in attempts for this account."
            )
        }
        let addressFailures = try await LoginAttempt.query(on: db)
            .filter(\.$clientAddress == address).filter(\.$succeeded == false).filter(\.$attemptedAt > since)
            .sort(\.$attemptedAt, .ascending).all()
        if addressFailures.count >= maxFailuresPerAddress, let oldest = addressFailures.first {
            return .locked(
                retryAfter: oldest.attemptedAt.addingTimeInterval(window).timeIntervalSince(now),
                reason: "Too many failed sign-in attempts from your network."
            )
        }
        return .allowed
    }

    func record(account: String, address: String, succeeded: Bool, now: Date, on db: any Database) async throws {
        try await LoginAttempt(account: account, clientAddress: address, succeeded: succeeded, attemptedAt: now).save(on: db)
        if succeeded {
            // A successful sign-in clears the account's failure count.
            try await LoginAttempt.query(on: db)
                .filter(\.$account == account).filter(\.$succeeded == false).delete()
        }
    }

    static func message(for verdict: Verdict) -> String? {
        guard case let .locked(retryAfter, reason) = verdict else { return nil }
        // Half a second of slack: stored times lose sub-millisecond precision, which must not
        // turn "15 minutes" into "16".
        let minutes = max(1, Int(((retryAfter - 0.5) / 60).rounded(.up)))
        return "\(reason) For your security, sign-in is paused for \(minutes) minute\(minutes == 1 ? "" : "s"). If you have forgotten your password, reset it instead."
    }
}
