import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The knowledge pages and their JSON twins, rendered from the real knowledge base.
@Suite struct KnowledgePageTests {
    static let pages = [
        "/learn", "/learn/compare", "/learn/products", "/learn/products/kymriah", "/learn/cancers",
        "/learn/cancers/dlbcl-nos", "/learn/cancers/lung-cancer", "/learn/glossary", "/learn/car-t-journey",
        "/learn/approaches/car-t-autologous", "/learn/search?q=myeloma",
    ]

    @Test(arguments: pages)
    func everyKnowledgePageRendersWithTheDisclaimer(path: String) async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get(path)
            #expect(page.status == .ok, "\(path)")
            #expect(page.text.contains("does not give medical advice"), "\(path)")
        }
    }

    @Test(arguments: ["/learn/compare", "/learn/products/kymriah", "/learn/cancers/dlbcl-nos", "/learn/glossary", "/learn/car-t-journey", "/learn/approaches/til"])
    func factualPagesShowTheirSourcesAndReviewDate(path: String) async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get(path)
            #expect(page.text.contains("Last reviewed: 20"), "\(path)")
            #expect(page.text.contains("<ol class=\"sources\">") && page.text.contains("https://"), "\(path)")
        }
    }

    @Test func lungCancerSaysNoCellOrGeneTherapyIsApprovedAndWhatIsStudied() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/cancers/lung-cancer").text
            #expect(page.contains("No cell or gene therapy is approved for Lung cancer"))
            #expect(page.contains("Early-phase clinical trials"))
        }
    }

    @Test func largeBCellLymphomaSubtypesShowTheirCAR_TLabelsByRegion() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/cancers/dlbcl-nos").text
            for brand in ["Yescarta", "Breyanzi", "Kymriah"] { #expect(page.contains(brand), "\(brand)") }
            #expect(page.contains("United States") && page.contains("European Union"))
        }
    }

    @Test func theJourneyDiagramIsAnAccessibleSVG() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/car-t-journey").text
            #expect(page.contains("<svg") && page.contains("role=\"img\"") && page.contains("<title id=\"journey-title\">"))
            #expect(page.contains("<ol class=\"journey-steps\">"))
        }
    }

    @Test func unknownItemsAre404() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/products/no-such-product")
            let api = try await app.testing().sendRequest(.GET, "/api/v1/knowledge/cancers/zzzz")
            #expect(page.status == .notFound && api.status == .notFound)
        }
    }

    @Test func theAPIFindsACancerByAbbreviationAndSearches() async throws {
        try await withTestApp { app in
            let cancer = try await app.testing().sendRequest(.GET, "/api/v1/knowledge/cancers/NSCLC")
            #expect(cancer.status == .ok && cancer.text.contains("\"provenance\""))
            let search = try await app.testing().sendRequest(.GET, "/api/v1/knowledge/search?q=cytokine%20release")
            #expect(search.status == .ok && search.text.contains("\"hits\""))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/knowledge/search").status == .badRequest)
        }
    }

    @Test func searchInputIsEscaped() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/search?q=%3Cscript%3Ex%3C%2Fscript%3E").text
            #expect(!page.contains("<script>x</script>"))
        }
    }
}
