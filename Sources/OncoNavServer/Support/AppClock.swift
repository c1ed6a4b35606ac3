import Foundation
import Vapor

/// The clock, behind a seam so tests can move time (token expiry, throttling windows).
public struct AppClock: Sendable {
    public var now: @Sendable () -> Date

    public static let live = AppClock(now: { Date() })

    public static func fixed(_ date: Date) -> AppClock { AppClock(now: { date }) }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    public var clock: AppClock {
        get { storage[ClockKey.self] ?? .live }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    var now: Date { application.clock.now() }

    /// The client's address for throttling and the audit log. OncoNav does not trust
    /// `X-Forwarded-For` because anyone can send it; put the proxy's real-IP module in front.
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
