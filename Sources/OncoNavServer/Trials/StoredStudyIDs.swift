import Foundation
import NIOConcurrencyHelpers

/// Collects the NCT IDs an import stored, batch by batch, for `TrialRegistryEvents`.
final class StoredStudyIDs: Sendable {
    private let box = NIOLockedValueBox<[String]>([])

    func add(_ stored: [TrialImporter.Stored]) {
        box.withLockedValue { $0.append(contentsOf: stored.map(\.study.nctID)) }
    }

    var ids: [String] { box.withLockedValue { $0 } }
}
