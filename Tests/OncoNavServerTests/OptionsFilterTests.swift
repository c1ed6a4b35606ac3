import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// The options page (issue 15, point 4): caveats are notes, not to-dos; the region filter and
/// "sites near" visibly change the list and show distances; only the case's cancer.
@Suite struct OptionsFilterTests {
    static func lymphomaCase(_ app: Application) async throws -> (TestBrowser, UUID) {
        let (patient, caseID) = try await patientCaseWithNavigator(app)
        _ = try await patient.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
        await app.documentWorker.runDue()
        return (patient, caseID)
    }

    static func section(_ html: String, from start: String, to end: String) -> String {
        guard let lower = html.range(of: start) else { return "" }
        let rest = html[lower.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    @Test func aLabelsCaveatIsANoteOnItsCardNotAToDo() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await Self.lymphomaCase(app)
            let page = try await patient.get("/cases/\(caseID)/options").text
            let toDo = Self.section(page, from: "id=\"todo-heading\"", to: "id=\"approved-heading\"")
            #expect(!toDo.contains("not captured"), "caveats are not things a person can do")
            #expect(!toDo.contains("Japanese label"))
            let approved = Self.section(page, from: "id=\"approved-heading\"", to: "id=\"trials-heading\"")
            #expect(approved.contains("<strong>Note:</strong> Detailed line-of-therapy conditions in the Japanese label are not captured here."))
            // The caveat is not a criterion row either.
            #expect(!approved.contains("<td>Detailed line-of-therapy conditions in the Japanese label are not captured here."))
        }
    }

    @Test func theRegionFilterShowsOnlyThatRegionsLabelsAndSaysSo() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await Self.lymphomaCase(app)
            let every = try await patient.get("/cases/\(caseID)/options").text
            let japan = try await patient.get("/cases/\(caseID)/options?region=jp").text
            func labelTitles(_ html: String) throws -> [String] {
                let section = Self.section(html, from: "id=\"approved-heading\"", to: "id=\"trials-heading\"")
                return section.matches(of: try Regex("<span class=\"option-title\">([^<]+)</span>")).compactMap { $0.output[1].substring.map(String.init) }
            }
            let all = try labelTitles(every), japanese = try labelTitles(japan)
            #expect(all.contains { $0.contains("(EMA):") } && all.contains { $0.contains("(PMDA):") })
            #expect(japan.contains("Showing: Approved labels in Japan (MHLW (PMDA)) only"))
            #expect(!japanese.isEmpty && japanese.count < all.count)
            #expect(japanese.allSatisfy { $0.contains("(PMDA):") }, "\(japanese)")
            // Approvals elsewhere are named in one line, not as cards.
            #expect(japan.contains("Labels for this cancer in other regions, not in Japan: "))
        }
    }

    @Test func withNoCancerInTheRecordsNoOtherCancersLabelIsListed() async throws {
        try await withTestApp { app in
            let (patient, caseID) = try await patientCaseWithNavigator(app)
            let page = try await patient.get("/cases/\(caseID)/options").text
            #expect(page.contains("labels are only shown for the case's own cancer"))
            for brand in ["Abecma", "Carvykti", "Amtagvi", "Adstiladrin", "Provenge"] where app.knowledge.product(named: brand) != nil {
                #expect(!page.contains(brand), "\(brand)")
            }
        }
    }

    @Test(.enabled(if: TrialPageTests.available || TrialPageTests.required, "needs ../shared/data"))
    func sitesNearAPlaceOrderTheTrialsByDistanceAndShowIt() async throws {
        try await withTestApp { app in
            try OptionsTests.loadLymphomaTrials(app, limit: 60)
            let (patient, caseID) = try await Self.lymphomaCase(app)
            let page = try await patient.get("/cases/\(caseID)/options?near=Houston").text
            #expect(page.contains("trials ordered by distance from Houston"))
            #expect(page.contains("Trials nearest to Houston"))
            let trials = Self.section(page, from: "id=\"trials-heading\"", to: "</section>")
            let distances = trials.matches(of: try Regex("<span class=\"badge distance\">([0-9]+) km</span>")).compactMap { $0.output[1].substring.flatMap { Int($0) } }
            #expect(!distances.isEmpty, "trial cards show their distance")
            // Nearest first (the sample's open lymphoma trials with located sites are few and of one group).
            #expect(distances == distances.sorted(), "\(distances)")
            let unfiltered = try await patient.get("/cases/\(caseID)/options").text
            #expect(!unfiltered.contains("badge distance"), "distances only when a place is given")
            let unknownPlace = try await patient.get("/cases/\(caseID)/options?near=Xyzzyville").text
            #expect(unknownPlace.contains("No imported trial site is in a place called"))
        }
    }
}
