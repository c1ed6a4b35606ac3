import Fluent
import Foundation
import OncoTrials

extension TrialImporter {
    /// Imports records held in memory (an API page's body, a bundled sample) through the same
    /// path as a file: the bytes go to a private temporary file that `run` streams, so
    /// records are parsed, upserted and reported exactly as an uploaded file's would be.
    public static func run(
        data: Data,
        in directory: URL,
        on db: any Database,
        reading: CriteriaReading,
        onStored: (@Sendable ([Stored]) -> Void)? = nil
    ) async throws -> ImportSummary {
        let folder = directory.appendingPathComponent("imports/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("records.json")
        try data.write(to: file)
        return try await run(.file(file), on: db, reading: reading, onStored: onStored)
    }
}
