import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials
import Testing
@testable import OncoMatch

@Suite("Ranked options, regions, to-do list and what changed")
struct MatcherTests {
    let matcher = Matcher(knowledge: MatchFixture.knowledge)
    let dlbcl = MatchFixture.profile(dlbclNote)

    @Test func optionsAreRankedByStatusFirst() {
        let report = matcher.match(dlbcl, settings: MatchSettings(today: MatchFixture.today))
        let ranks = report.options.map(\.status.rank)
        #expect(ranks == ranks.sorted())
        #expect(report.options.contains { $0.id == "label:yescarta-us-lbcl-3l" })
        #expect(report.cancers.first?.hasPrefix("Diffuse large B-cell lymphoma") == true)
    }

    @Test func aProductApprovedOnlyInChinaSaysSoWhenTheUSIsChosen() {
        let report = matcher.match(dlbcl, settings: MatchSettings(today: MatchFixture.today, region: .us))
        let carteyva = report.options.first { $0.label?.productID == "carteyva" }
        #expect(carteyva?.label?.region == .cn)
        #expect(carteyva?.label?.availability.contains("not approved for this use in US") == true)
        // US-approved products are listed with their US indications only
        let yescarta = report.options.filter { $0.label?.productID == "yescarta" }
        #expect(!yescarta.isEmpty && yescarta.allSatisfy { $0.label?.region == .us })
    }

    @Test func regionsAreListedPerIndicationWithoutARegion() {
        let report = matcher.match(dlbcl, settings: MatchSettings(today: MatchFixture.today))
        let regions = Set(report.options.filter { $0.label?.productID == "yescarta" }.compactMap { $0.label?.region })
        #expect(regions.isSuperset(of: [.us, .eu]))
    }

    @Test func approachesAreOfferedWhenNoCARTLabelFits() {
        let lung = MatchFixture.profile("Diagnosis: non-small cell lung cancer, diagnosed 2025-05. Stage IV.")
        let report = matcher.match(lung, settings: MatchSettings(today: MatchFixture.today))
        #expect(report.options.contains { $0.kind == .approach })
        let withCART = matcher.match(dlbcl, settings: MatchSettings(today: MatchFixture.today))
        #expect(!withCART.options.contains { $0.kind == .approach })
    }

    @Test func toDoGroupsUnknownsAndOrdersByOptionsSettled() {
        // given a case with no echo, no performance status and no biomarkers
        let sparse = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. Date of birth: 1961-03-14. First-line R-CHOP from 2024-02 to 2024-06, complete response. He relapsed in 2025-03.")
        let report = matcher.match(sparse, settings: MatchSettings(today: MatchFixture.today))
        let counts = report.toDo.map(\.optionCount)
        #expect(!report.toDo.isEmpty)
        #expect(counts == counts.sorted(by: >))
        #expect(Set(report.toDo.map(\.id)).count == report.toDo.count)
        // every option named under an action really has an unknown needing it
        for item in report.toDo {
            for id in item.optionIDs {
                let option = report.options.first { $0.id == id }
                #expect(option?.verdicts.contains { $0.verdict == .unknown && $0.needs.contains { $0.key == item.id } } == true)
            }
        }
    }

    @Test func toDoListBuildsFromTheGivenOptions() {
        func option(_ id: String, _ keys: [String]) -> MatchOption {
            MatchOption(id: id, kind: .trial, title: id, summary: "", status: .mayBeEligible(unknownCount: keys.count),
                        verdicts: keys.map { CriterionVerdict(text: "needs \($0)", origin: .inclusion, verdict: .unknown, reason: "", needs: [InformationNeed(key: $0, action: "get \($0)")]) },
                        relevance: 0, sources: [], label: nil, trial: nil, evidenceStage: nil)
        }
        let items = ToDoList.build(from: [option("a", ["lvef"]), option("b", ["biomarker:CD19", "lvef"]), option("c", ["biomarker:CD19", "lvef"])])
        #expect(items.map(\.id) == ["lvef", "biomarker:CD19"])
        #expect(items.map(\.optionCount) == [3, 2])
    }

    @Test func diffShowsWhatANewDocumentSettled() {
        let before = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. First-line R-CHOP from 2024-02 to 2024-06, complete response. He relapsed in 2025-03. Second-line R-ICE from 2025-04 to 2025-06, refractory.")
        var after = before
        after.add(MatchFixture.extractor.extract(text: "Date of birth: 1961-03-14.", documentID: "id-card"))
        let settings = MatchSettings(today: MatchFixture.today, region: .us)
        let old = matcher.match(before, settings: settings), new = matcher.match(after, settings: settings)
        #expect(MatchReport.diff(old, old).isEmpty)
        let diff = MatchReport.diff(old, new)
        #expect(diff.verdictChanges.contains { $0.optionID == "label:yescarta-us-lbcl-3l" && $0.criterion.hasPrefix("Age") && $0.from == .unknown && $0.to == .met })
        #expect(diff.toDoDone.contains(Needs.birthDate.action))
        #expect(!diff.lines.isEmpty)
    }

    @Test func diffReportsTrialVerdictChanges() throws {
        // NCT05816499 (NSCLC) requires "Left ventricular ejection fraction (LVEF) ≥ 50%".
        let study = try #require(MatchFixture.studies["NCT05816499"])
        var catalog = TrialCatalog()
        catalog.add(study)
        let trialMatcher = Matcher(knowledge: MatchFixture.knowledge, trials: catalog)
        let before = MatchFixture.profile("Diagnosis: non-small cell lung cancer. Date of birth: 1961-03-14.")
        var after = before
        after.add(MatchFixture.extractor.extract(text: "Echocardiogram: LVEF 60%.", documentID: "echo-1"))
        let settings = MatchSettings(today: MatchFixture.today, openTrialsOnly: false)
        let old = trialMatcher.match(before, settings: settings), new = trialMatcher.match(after, settings: settings)
        #expect(old.options.contains { $0.id == "trial:\(study.nctID)" })
        let diff = MatchReport.diff(old, new)
        #expect(diff.verdictChanges.contains { $0.optionID == "trial:\(study.nctID)" && $0.from == .unknown && $0.to == .met })
        #expect(diff.toDoDone.contains(Needs.lvef.action))
    }

    @Test func aFHIRBundleIsMatchedThroughTheCaseLoader() async throws {
        let url = try #require(MatchFixture.sharedFile("fhir-mcode/TrialMatching_Patient01.json"), "shared data missing")
        let loaded = try await CaseLoader(knowledge: MatchFixture.knowledge).profile(from: [(url.lastPathComponent, try Data(contentsOf: url))])
        let report = matcher.match(loaded.profile, settings: MatchSettings(today: MatchFixture.today))
        #expect(!loaded.profile.primaryCancers.isEmpty)
        #expect(!report.cancers.isEmpty)
        #expect(report.options.allSatisfy { $0.kind != .approvedProduct || $0.verdicts.first?.verdict != .notMet })
    }

    @Test func reportsRoundTripAsJSON() throws {
        let report = matcher.match(dlbcl, settings: MatchSettings(today: MatchFixture.today, region: .eu))
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(MatchReport.self, from: data) == report)
    }
}
