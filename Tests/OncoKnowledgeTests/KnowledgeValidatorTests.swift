import Foundation
import Testing
@testable import OncoKnowledge

@Suite("Validating knowledge files")
struct KnowledgeValidatorTests {
    let today = Day(year: 2026, month: 11, day: 23)

    func issues(_ fixture: String) throws -> [KnowledgeIssue] {
        try KnowledgeBase.load(directory: TestPaths.fixture(fixture)).validate(today: today)
    }

    @Test("a small well-formed knowledge base has no issues")
    func validFixtureIsClean() throws {
        #expect(try issues("valid-small").isEmpty)
    }

    @Test("duplicate ids are errors that name both files")
    func duplicateIds() throws {
        let found = try issues("duplicate-ids").filter { $0.message.contains("duplicate") }
        #expect(found.contains { $0.kind == .cancer && $0.itemID == "dlbcl" && $0.file == "b.yaml" && $0.message.contains("a.yaml") })
        #expect(found.contains { $0.kind == .source && $0.itemID == "src-a" })
        #expect(found.allSatisfy { $0.severity == .error })
    }

    @Test("references to missing parents, sources, drugs, cancers and classes are errors")
    func danglingReferences() throws {
        let messages = try issues("dangling-references").filter { $0.severity == .error }.map(\.message)
        for expected in ["unknown parent cancer 'no-such-parent'", "unknown source 'no-such-source'",
                         "unknown drug 'no-such-drug'", "unknown cancer 'no-such-cancer'",
                         "unknown drug class 'no-such-class'"] {
            #expect(messages.contains { $0.contains(expected) }, "missing: \(expected)")
        }
    }

    @Test("items without sources or review date, and incomplete sources, are errors")
    func missingSources() throws {
        let found = try issues("missing-sources").filter { $0.severity == .error }
        #expect(found.contains { $0.itemID == "unsourced" && $0.message.contains("no sources") })
        #expect(found.contains { $0.itemID == "unreviewed" && $0.message.contains("reviewed") })
        #expect(found.contains { $0.itemID == "src-incomplete" && $0.message.contains("empty title") })
        #expect(found.contains { $0.itemID == "src-incomplete" && $0.message.contains("http") })
        #expect(found.contains { $0.itemID == "src-incomplete" && $0.message.contains("accessed") })
    }

    @Test("items not reviewed for 18 months are stale warnings")
    func staleItems() throws {
        let found = try issues("stale")
        #expect(found.contains { $0.itemID == "old-item" && $0.severity == .warning && $0.message.contains("stale") })
        #expect(!found.contains { $0.itemID == "recent-item" })
    }

    @Test("the stale cut-off moves with today")
    func staleCutoffMovesWithToday() throws {
        let kb = try KnowledgeBase.load(directory: TestPaths.fixture("stale"))
        let early = KnowledgeValidator(today: Day(year: 2025, month: 7, day: 14)).validate(kb)
        #expect(!early.contains { $0.itemID == "old-item" })
    }

    @Test("issues print as severity, file, item and message")
    func issueDescription() {
        let issue = KnowledgeIssue(severity: .error, file: "products/x.yaml", kind: .product, itemID: "x", message: "no sources")
        #expect(issue.description == "error: products/x.yaml: product x: no sources")
    }
}
