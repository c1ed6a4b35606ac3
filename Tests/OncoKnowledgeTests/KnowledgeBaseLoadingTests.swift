import Foundation
import Testing
@testable import OncoKnowledge

@Suite("Loading the knowledge base")
struct KnowledgeBaseLoadingTests {
    @Test("the real knowledge/ directory loads and validates with zero errors")
    func realKnowledgeValidates() throws {
        let kb = try KnowledgeBase.load(directory: TestPaths.knowledge)
        let issues = KnowledgeValidator(today: contentReviewDay).validate(kb)
        let errors = issues.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        let warnings = issues.filter { $0.severity == .warning }
        #expect(warnings.isEmpty, "\(warnings.map(\.description).joined(separator: "\n"))")
    }

    @Test("the real knowledge base has every section filled")
    func realKnowledgeHasContent() {
        let kb = RealKB.shared
        #expect(kb.products.count >= 8)
        #expect(kb.cancers.count >= 50)
        #expect(!kb.drugs.isEmpty && !kb.regimens.isEmpty && !kb.sources.isEmpty)
    }

    @Test("the whole knowledge base round-trips through JSON")
    func jsonExportRoundTrips() throws {
        let kb = RealKB.shared
        let data = try JSONEncoder().encode(kb)
        let decoded = try JSONDecoder().decode(KnowledgeBase.self, from: data)
        #expect(decoded.content == kb.content)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["products"] is [Any])
    }

    @Test("a type error names the file and the path inside it")
    func typeErrorNamesFileAndPath() {
        #expect {
            _ = try KnowledgeBase.load(directory: TestPaths.fixture("bad-type"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("products.yaml") && text.contains("products[0].indications[0].minPriorLines")
        }
    }

    @Test("a missing required field names the field")
    func missingFieldIsNamed() {
        #expect {
            _ = try KnowledgeBase.load(directory: TestPaths.fixture("missing-field"))
        } throws: { error in
            "\(error)".contains("cancers.yaml") && "\(error)".contains("'category'")
        }
    }

    @Test("a misspelt field is reported as a warning, not silently dropped")
    func unknownFieldIsWarned() throws {
        let kb = try KnowledgeBase.load(directory: TestPaths.fixture("unknown-field"))
        let issues = kb.validate(today: contentReviewDay)
        #expect(issues.contains { $0.severity == .warning && $0.message.contains("minPriorLine") && $0.file == "products.yaml" })
    }

    @Test("a directory that does not exist is a clear error")
    func missingDirectory() {
        #expect(throws: KnowledgeLoadError.self) {
            _ = try KnowledgeBase.load(directory: TestPaths.fixture("no-such-directory"))
        }
    }
}

@Suite("Statistics")
struct StatisticsTests {
    @Test("statistics count active indications per region")
    func statisticsByRegion() {
        let stats = RealKB.shared.statistics
        #expect(stats.products == RealKB.shared.products.count)
        for region in ["us", "eu", "cn", "jp"] {
            #expect((stats.activeIndicationsByRegion[region] ?? 0) > 0, "no indications for \(region)")
        }
    }
}

@Suite("Export and lookups for other modules")
struct ExportTests {
    let kb = RealKB.shared

    @Test("JSON export has sorted keys and ISO dates")
    func exportJSON() throws {
        let text = String(decoding: try kb.exportJSON(), as: UTF8.self)
        #expect(text.contains("\"approvalDate\" : \"2017-08-30\""))
        #expect(text.contains("\"reviewed\" : \"2026-11-23\""))
        #expect(try KnowledgeBase.empty.exportJSON(prettyPrinted: false).count > 2)
    }

    @Test("an indication is found by id with its product and resolved sources")
    func indicationByID() throws {
        let match = try #require(kb.indication(id: "carvykti-us-mm"))
        #expect(match.product.brand == "Carvykti")
        #expect(!kb.sources(for: match.indication.sources).isEmpty)
        #expect(kb.indication(id: "nope") == nil)
    }

    @Test("children of large B-cell lymphoma include DLBCL NOS but not primary CNS lymphoma")
    func children() {
        let ids = kb.children(of: "large-b-cell-lymphoma").map(\.id)
        #expect(ids.contains("dlbcl-nos") && ids.contains("pmbcl"))
        #expect(!ids.contains("primary-cns-lymphoma"))
    }
}
