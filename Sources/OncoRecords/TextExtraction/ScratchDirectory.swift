import Foundation

/// A private temporary directory (mode 0700) whose files are created with mode 0600 and
/// which is deleted when the work is done. Health data never lingers in /tmp.
struct ScratchDirectory: Sendable {
    let url: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("onconav-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `contents` to a new 0600 file.
    @discardableResult
    func createFile(named name: String, contents: Data) throws -> URL {
        let fileURL = path(name)
        guard FileManager.default.createFile(
            atPath: fileURL.path, contents: contents, attributes: [.posixPermissions: 0o600]) else {
            throw TextExtractionError.scratchFileFailed(path: fileURL.lastPathComponent)
        }
        return fileURL
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
