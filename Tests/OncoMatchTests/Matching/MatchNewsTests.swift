import Foundation
import OncoKnowledge
import Testing
@testable import OncoMatch

/// The alert's reading of two reports: which trials newly fit, started recruiting, closed
/// or came nearer, and which approvals newly fit.
@Suite struct MatchNewsTests {
    static func trial(_ nctID: String, _ status: OptionStatus, registry: String = "RECRUITING", km: Double? = nil) -> MatchOption {
        MatchOption(id: "trial:\(nctID)", kind: .trial, title: "Synthetic \(nctID)", summary: "", status: status, verdicts: [], relevance: 0, sources: [],
                    label: nil,
                    trial: TrialDetails(nctID: nctID, phases: ["PHASE2"], overallStatus: registry, conditions: [], modalities: [], recruitingSites: 1,
                                        distanceKm: km, nearestSite: nil, searchScore: 1),
                    evidenceStage: nil)
    }

    static func report(_ options: [MatchOption]) -> MatchReport {
        MatchReport(caseID: nil, today: Day(year: 2026, month: 12, day: 7), region: nil, cancers: [], options: options, toDo: [], notes: [])
    }

    @Test func aNewFittingTrialIsNewlyFittingButANewFailingOneIsNot() {
        let news = MatchNews.between(Self.report([]), Self.report([Self.trial("NCT1", .eligibleAllMet), Self.trial("NCT2", .notEligible(firstFailingCriterion: "age"))]),
                                     currentStatus: [:])
        #expect(news.newlyFitting.map(\.id) == ["NCT1"])
        #expect(news.counts == "1 newly fitting")
        #expect(news.countsWithIDs() == "1 newly fitting (NCT1)")
    }

    @Test func anUnchangedStudyBackInTheListIsNotNews() {
        let news = MatchNews.between(Self.report([]), Self.report([Self.trial("NCT1", .eligibleAllMet), Self.trial("NCT2", .eligibleAllMet)]),
                                     currentStatus: [:], changedTrials: ["NCT2"])
        #expect(news.newlyFitting.map(\.id) == ["NCT2"])
    }

    @Test func aTrialThatNowFitsAfterFailingIsNewlyFitting() {
        let news = MatchNews.between(Self.report([Self.trial("NCT1", .notEligible(firstFailingCriterion: "age"))]),
                                     Self.report([Self.trial("NCT1", .mayBeEligible(unknownCount: 2))]), currentStatus: [:])
        #expect(news.newlyFitting.map(\.id) == ["NCT1"])
    }

    @Test func notYetRecruitingToRecruitingIsNewlyRecruiting() {
        let news = MatchNews.between(Self.report([Self.trial("NCT1", .eligibleAllMet, registry: "NOT_YET_RECRUITING")]),
                                     Self.report([Self.trial("NCT1", .eligibleAllMet)]), currentStatus: [:])
        #expect(news.newlyRecruiting.map(\.id) == ["NCT1"])
        #expect(news.newlyFitting.isEmpty)
    }

    @Test func aFittingTrialNoLongerListedIsClosedOnlyWhenTheRegistrySaysSo() {
        let old = Self.report([Self.trial("NCT1", .eligibleAllMet), Self.trial("NCT2", .eligibleAllMet)])
        let new = Self.report([])
        #expect(Set(MatchNews.trialsNoLongerListed(old, new)) == ["NCT1", "NCT2"])
        let news = MatchNews.between(old, new, currentStatus: ["NCT1": "COMPLETED", "NCT2": "RECRUITING"])
        #expect(news.closed.map(\.id) == ["NCT1"])
        #expect(news.lines == ["Trial closed (completed): NCT1 — Synthetic NCT1"])
    }

    @Test func aNearerSiteWithinTheRadiusIsANewSiteNearby() {
        let old = Self.report([Self.trial("NCT1", .eligibleAllMet, km: 900), Self.trial("NCT2", .eligibleAllMet, km: 900)])
        let new = Self.report([Self.trial("NCT1", .eligibleAllMet, km: 40), Self.trial("NCT2", .eligibleAllMet, km: 600)])
        let news = MatchNews.between(old, new, currentStatus: [:], nearRadiusKm: 300)
        #expect(news.newSitesNear.map(\.id) == ["NCT1"])
    }

    @Test func anApprovalThatNowFitsIsANewlyFittingApproval() {
        let label = MatchOption(id: "label:x-us", kind: .approvedProduct, title: "Product X — FDA: lymphoma", summary: "", status: .eligibleAllMet,
                                verdicts: [], relevance: 0, sources: [],
                                label: LabelDetails(productID: "x", brand: "X", generic: "x", indicationID: "x-us", region: .us, regulator: "FDA",
                                                    approvalDate: nil, approvalType: "regular", availability: "", regionsCoveringCancer: [.us]),
                                trial: nil, evidenceStage: nil)
        let news = MatchNews.between(Self.report([]), Self.report([label]), currentStatus: [:])
        #expect(news.newlyFittingApprovals.map(\.id) == ["x-us"])
        #expect(news.counts == "1 newly fitting approval")
        #expect(MatchNews.between(Self.report([label]), Self.report([label]), currentStatus: [:]).isEmpty)
    }

    @Test func anUnchangedReportHasNoNews() {
        let same = Self.report([Self.trial("NCT1", .eligibleAllMet)])
        #expect(MatchNews.between(same, same, currentStatus: [:]).isEmpty)
    }
}
