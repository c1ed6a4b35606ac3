import Foundation

/// The tally of one import, for the CLI's closing line and the server's import log.
public struct ImportSummary: Sendable, Hashable, CustomStringConvertible {
    /// What happened to one study that was read.
    public enum Outcome: Sendable, Hashable {
        case new, updated, unchanged
    }

    public var read = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var failed = 0
    /// The failures, up to `failureListLimit` (the count in `failed` is always complete).
    public var failures: [RecordFailure] = []
    public var failureListLimit: Int

    public init(failureListLimit: Int = 1_000) {
        self.failureListLimit = failureListLimit
    }

    /// Decides new / updated / unchanged from the stored and the incoming last-update dates.
    /// A record without a date is treated as updated (never silently skipped).
    public static func outcome(stored: RegistryDate?, incoming: RegistryDate?, exists: Bool) -> Outcome {
        guard exists else { return .new }
        guard let stored, let incoming else { return .updated }
        return incoming > stored ? .updated : .unchanged
    }

    public mutating func record(_ outcome: Outcome) {
        read += 1
        switch outcome {
        case .new: new += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }

    public mutating func record(_ failure: RecordFailure) {
        read += 1
        failed += 1
        if failures.count < failureListLimit { failures.append(failure) }
    }

    public var description: String {
        "read \(read): \(new) new, \(updated) updated, \(unchanged) unchanged, \(failed) failed"
    }
}
