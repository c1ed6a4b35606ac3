import Foundation
import Testing
@testable import OncoRecords

/// Locates test fixtures and shared data relative to this file, so tests run from any
/// working directory without bundling resources.
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    /// `<repo>/../shared/data`, the third-party data described in its README.
    static let sharedData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name))
    }

    /// When set to 1, missing tools or shared data fail the test instead of skipping it.
    static var requireTools: Bool { ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1" }
}

extension TestPaths {
    static let documentTools = ["pdfinfo", "pdftotext", "pdftoppm", "tesseract", "unzip"]
    /// The real tools are installed (or ONCONAV_REQUIRE_TOOLS=1, so their absence fails the tests).
    static var toolsAvailableOrRequired: Bool {
        requireTools || documentTools.allSatisfy(LiveProcessRunner().isAvailable)
    }
    static var sharedDataAvailableOrRequired: Bool {
        requireTools || FileManager.default.fileExists(atPath: sharedData.appendingPathComponent("fhir-mcode").path)
    }
}
