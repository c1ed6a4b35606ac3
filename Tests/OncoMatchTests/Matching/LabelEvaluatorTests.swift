import Foundation
import OncoKnowledge
import OncoRecords
import Testing
@testable import OncoMatch

@Suite("Label indications, judged from the knowledge base's fields")
struct LabelEvaluatorTests {
    let dlbcl = MatchFixture.profile(dlbclNote)

    @Test func dlbclIsCoveredByALargeBCellLymphomaLabel() {
        // given a label written for large B-cell lymphoma and a record saying DLBCL
        let verdict = MatchFixture.labelVerdict("yescarta-us-lbcl-3l", "Cancer type", dlbcl)
        // then the ontology makes DLBCL NOS a large B-cell lymphoma
        #expect(verdict?.verdict == .met)
        #expect(verdict?.evidence.contains { $0.field == .primaryCancer } == true)
        #expect(verdict?.sources == MatchFixture.indication("yescarta-us-lbcl-3l").sources)
    }

    @Test func pmbclIsNotDLBCLNotOtherwiseSpecified() {
        let pmbcl = MatchFixture.profile("Diagnosis: primary mediastinal B-cell lymphoma, diagnosed 2024-02.")
        #expect(MatchFixture.labelVerdict("yescarta-eu-lbcl-2l", "Cancer type", pmbcl)?.verdict == .notMet)
        #expect(MatchFixture.labelVerdict("yescarta-eu-lbcl-3l", "Cancer type", pmbcl)?.verdict == .met)
    }

    @Test func excludedSubtypeIsNotMetEvenUnderACoveredParent() {
        let pcnsl = MatchFixture.profile("Diagnosis: primary CNS lymphoma, diagnosed 2025-01.")
        let verdict = MatchFixture.labelVerdict("breyanzi-us-lbcl-3l", "Cancer type", pcnsl)
        #expect(MatchFixture.knowledge.cancer(id: "primary-cns-lymphoma") != nil)
        #expect(verdict?.verdict == .notMet)
    }

    @Test func linesAreCountedTheWayLabelsCountThem() {
        // given: BR (told twice), rituximab maintenance, R-CHOP, R-GemOx bridging, an autologous transplant, R2 (told twice)
        let profile = MatchFixture.profile(followedLinesNote)
        let reading = CaseReading(profile: profile, knowledge: MatchFixture.knowledge, today: MatchFixture.today)
        // then maintenance and bridging belong to their lines and the duplicates count once
        #expect(reading.priorLineCount == 3)
        #expect(MatchFixture.labelVerdict("yescarta-us-fl", "At least 2 prior lines", profile)?.verdict == .met)
        // and the merged third line keeps the dates told in the second account
        #expect(reading.lines.last?.value.startDate == ClinicalDate(year: 2024, month: 3))
    }

    @Test func tooFewLinesIsNotMetWithTheCountInTheReason() {
        let oneLine = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. First-line R-CHOP from 2024-02 to 2024-06, complete response. He relapsed in 2025-03.")
        let verdict = MatchFixture.labelVerdict("yescarta-us-lbcl-3l", "At least 2 prior lines", oneLine)
        #expect(verdict?.verdict == .notMet)
        #expect(verdict?.reason == "the label requires at least 2 prior lines; the records show 1")
    }

    @Test func relapseWithinTwelveMonthsOfFirstLineMeetsTheTimingRule() {
        // R-CHOP ended 2024-06, relapse 2025-03: 9 months
        let verdict = MatchFixture.labelVerdict("yescarta-us-lbcl-2l", "Refractory to, or relapsed within 12 months", dlbcl)
        #expect(verdict?.verdict == .met)
    }

    @Test func lateRelapseDoesNotMeetTheTimingRule() {
        let late = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. First-line R-CHOP from 2022-01 to 2022-05, complete response. He relapsed in 2024-02.")
        #expect(MatchFixture.labelVerdict("yescarta-us-lbcl-2l", "Refractory to, or relapsed within 12 months", late)?.verdict == .notMet)
    }

    @Test func relapsedOrRefractoryNeedsTheRecordToShowIt() {
        let untreated = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma, diagnosed 2026-09.")
        #expect(MatchFixture.labelVerdict("yescarta-us-lbcl-3l", "Disease status", untreated)?.verdict == .unknown)
        #expect(MatchFixture.labelVerdict("yescarta-us-lbcl-3l", "Disease status", dlbcl)?.verdict == .met)
    }

    @Test func ageIsComputedFromTheBirthDateOnTheDayGiven() {
        let teen = MatchFixture.profile("Date of birth: 2008-12-01. Diagnosis: diffuse large B-cell lymphoma.")
        let before = MatchFixture.labelVerdict("breyanzi-us-lbcl-3l", "Age", teen, today: Day(year: 2026, month: 11, day: 30))
        let after = MatchFixture.labelVerdict("breyanzi-us-lbcl-3l", "Age", teen, today: Day(year: 2026, month: 12, day: 1))
        #expect(before?.verdict == .notMet)
        #expect(after?.verdict == .met)
    }

    @Test func additionalCriteriaAreUnknownItemsToCheck() {
        let melanoma = MatchFixture.profile("Diagnosis: metastatic melanoma, diagnosed 2024-03.")
        let verdict = MatchFixture.labelVerdict("imlygic-us-melanoma", "The skin, under-skin", melanoma)
        #expect(verdict?.verdict == .unknown)
        #expect(verdict?.needs.first?.key.hasPrefix("check:") == true)
    }

    @Test func aCaveatAboutTheRecordStaysUnknownButAsksNobodyToDoAnything() {
        let lymphoma = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma, diagnosed 2024-03.")
        let verdict = MatchFixture.labelVerdict("kymriah-jp-dlbcl", "Detailed line-of-therapy conditions", lymphoma)
        #expect(verdict?.verdict == .unknown, "never counted as met")
        #expect(verdict?.needs.isEmpty == true, "not a to-do")
    }

    @Test func anEmptyRecordLeavesEveryLabelRequirementUnknown() {
        let empty = PatientProfile()
        for product in MatchFixture.knowledge.products {
            for indication in product.indications {
                for verdict in MatchFixture.labels.evaluate(indication, profile: empty, today: MatchFixture.today) {
                    #expect(verdict.verdict == .unknown, "\(indication.id): \(verdict.text)")
                    // Every unknown says what would settle it, except a caveat about the record itself.
                    #expect(!verdict.needs.isEmpty || LabelIndication.isCaveat(verdict.text), "\(indication.id): \(verdict.text) has nothing to do")
                }
            }
        }
    }
}
