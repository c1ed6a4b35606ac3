import Foundation
@testable import OncoKnowledge

/// Locations of the real knowledge base and the test fixtures, found from this file's
/// path so tests run from any working directory.
enum TestPaths {
    /// `<repo>/Tests/OncoKnowledgeTests/TestSupport.swift` → `<repo>`.
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let knowledge = repoRoot.appendingPathComponent("knowledge")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }
}

/// The real knowledge base, loaded once for all tests (it is immutable).
enum RealKB {
    static let shared: KnowledgeBase = {
        do { return try KnowledgeBase.load(directory: TestPaths.knowledge) } catch {
            fatalError("knowledge/ failed to load: \(error)")
        }
    }()
}

/// The date the content was last reviewed; validation "today" for the real KB.
let contentReviewDay = Day(year: 2026, month: 12, day: 7)
