import Foundation

extension KnowledgeBase {
    /// Where the built-in knowledge base lives: `ONCONAV_KNOWLEDGE_DIR` if set, else
    /// `./knowledge` in the working directory, else the `knowledge/` folder of the source
    /// checkout this module was built from (so `swift run` works from any directory).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let configured = environment["ONCONAV_KNOWLEDGE_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("knowledge", isDirectory: true)
        if FileManager.default.fileExists(atPath: local.appendingPathComponent("products").path) {
            return local
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("knowledge", isDirectory: true)
    }
}
