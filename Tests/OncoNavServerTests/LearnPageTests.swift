import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The learn pages (issue 15, point 9): a parent's page shows its subtypes' approvals grouped
/// by product, promises only what it shows, search shows human titles, and every cancer page
/// leads to its trials.
@Suite struct LearnPageTests {
    static func approvedSection(_ html: String) -> String {
        guard let start = html.range(of: "id=\"approved-heading\"") else { return "" }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "id=\"trials-heading\"")?.lowerBound ?? rest.endIndex)])
    }

    @Test func theLargeBCellLymphomaPageShowsItsSubtypesEUAndJapaneseApprovalsGroupedByProduct() async throws {
        try await withTestApp { app in
            let kb = app.knowledge
            let page = try await TestBrowser(app).get("/learn/cancers/large-b-cell-lymphoma")
            #expect(page.status == .ok)
            let approved = Self.approvedSection(page.text)
            #expect(approved.contains("· European Union</h3>"))
            #expect(approved.contains("· Japan</h3>"))
            // Every active approval of a subtype (DLBCL NOS …) in the EU or Japan is on the parent's page.
            let subtypes = kb.descendants(of: "large-b-cell-lymphoma").union(["large-b-cell-lymphoma"])
            for product in kb.products {
                let regional = product.indications.filter { $0.isActive && [.eu, .jp].contains($0.region) && $0.cancers.contains(where: subtypes.contains) }
                guard !regional.isEmpty else { continue }
                // One group per product, holding all its regions.
                #expect(approved.components(separatedBy: "id=\"product-\(product.id)\"").count == 2, "\(product.brand) grouped once")
            }
            #expect(approved.contains("For the subtype"), "cards for a subtype say so")
        }
    }

    @Test func theLungCancerPageOnlyPromisesStandardTreatmentsItShows() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/cancers/lung-cancer").text
            if page.contains("standard treatments below") { #expect(page.contains("id=\"soc-heading\"")) }
            #expect(!page.contains("standard treatments below") || page.contains("<h2 id=\"soc-heading\">Standard treatment</h2><p>"))
            // The standard treatment is on the subtype's page; this page says where.
            #expect(page.contains("id=\"soc-heading\""))
            #expect(page.contains("href=\"/learn/cancers/nsclc\""))
        }
    }

    @Test func knowledgeSearchShowsHumanTitlesNotFileIDs() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/search?q=nsclc%20landscape").text
            #expect(!page.lowercased().contains("landscape nsclc"))
            #expect(page.contains("Non-small cell lung cancer: treatment landscape"))
        }
    }

    @Test(arguments: ["dlbcl-nos", "lung-cancer", "multiple-myeloma", "melanoma"])
    func everyCancerPageLinksToItsTrials(id: String) async throws {
        try await withTestApp { app in
            let cancer = try #require(app.knowledge.cancer(id: id))
            let page = try await TestBrowser(app).get("/learn/cancers/\(id)").text
            let link = "/trials?condition=\(cancer.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&amp;recruiting=on"
            #expect(page.contains("href=\"\(link)\""), "\(id)")
            // The link opens the trial search with the cancer filled in.
            let trials = try await TestBrowser(app).get(link.replacingOccurrences(of: "&amp;", with: "&")).text
            #expect(trials.contains("value=\"\(cancer.name)\""))
        }
    }

    @Test func theComparePageDrawsWhatIsTakenChangedAndGivenBackWithATextAlternative() async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/learn/compare").text
            #expect(page.contains("<svg") && page.contains("role=\"img\"") && page.contains("aria-labelledby=\"therapy-diagram-title therapy-diagram-desc\""))
            #expect(page.contains("<title id=\"therapy-diagram-title\">How CAR-T, other cell therapies and gene therapies differ</title>"))
            #expect(page.contains("<desc id=\"therapy-diagram-desc\">"))
            for column in ["Taken from the patient", "Changed", "Given back"] { #expect(page.contains(column)) }
            // Every family is drawn, each row linked to its approach (and so to its sources).
            for id in ["car-t-autologous", "til", "tcr-t", "virus-specific-t-cells", "gene-delivery-tumour-suppressor", "oncolytic-virus"] {
                #expect(page.contains("href=\"/learn/approaches/\(id)\""), "\(id)")
            }
            #expect(page.contains("<summary>The picture in words</summary>"))
            #expect(page.contains("Nothing: no cells are taken"))
        }
    }

    @Test(arguments: ["What is the difference between CAR-T and gene therapy?", "Is gene therapy the same as cell therapy?"])
    func anAnswerAboutTheDifferenceLinksToThePicture(question: String) async throws {
        try await withTestApp { app in
            let page = try await TestBrowser(app).get("/ask?q=" + question.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).text
            #expect(page.contains("href=\"/learn/compare#therapy-diagram\""), "\(question)")
            let other = try await TestBrowser(app).get("/ask?q=What%20is%20CRS%3F").text
            #expect(!other.contains("href=\"/learn/compare#therapy-diagram\""))
        }
    }
}
