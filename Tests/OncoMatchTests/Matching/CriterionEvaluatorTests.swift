import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials
import Testing
@testable import OncoMatch

@Suite("Trial criteria judged against extracted records")
struct CriterionEvaluatorTests {
    let dlbcl = MatchFixture.profile(dlbclNote)

    @Test func exclusionFlipsTheConditionsTruth() {
        // The record says HIV negative: the exclusion does not apply, so the criterion is met.
        #expect(MatchFixture.criterionVerdict("Known HIV infection", section: "Exclusion Criteria", dlbcl)?.verdict == .met)
        let positive = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. HIV positive.")
        #expect(MatchFixture.criterionVerdict("Known HIV infection", section: "Exclusion Criteria", positive)?.verdict == .notMet)
        // The same words as an inclusion criterion are read the other way round.
        #expect(MatchFixture.criterionVerdict("Known HIV infection", dlbcl)?.verdict == .notMet)
    }

    @Test func cnsExclusionUsesAStatedAbsence() {
        #expect(MatchFixture.criterionVerdict("Active CNS involvement by malignancy", section: "Exclusion Criteria", dlbcl)?.verdict == .met)
        let silent = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma.")
        // Silence is never absence: the exclusion is "not mentioned" (to confirm), not met.
        #expect(MatchFixture.criterionVerdict("Active CNS involvement by malignancy", section: "Exclusion Criteria", silent)?.verdict == .notMentioned)
    }

    @Test func timesUpperLimitOfNormalIsDecidedOnlyWhenEveryCommonLimitAgrees() {
        // bilirubin 2.1 mg/dL is above 1.5 × any common ULN (1.0–1.3 mg/dL)
        #expect(MatchFixture.criterionVerdict("Total bilirubin ≤ 1.5 x ULN", dlbcl)?.verdict == .notMet)
        let normal = MatchFixture.profile("Total bilirubin 1.2 mg/dL.")
        #expect(MatchFixture.criterionVerdict("Total bilirubin ≤ 1.5 x ULN", normal)?.verdict == .met)
        let borderline = MatchFixture.profile("Total bilirubin 1.7 mg/dL.")
        let verdict = MatchFixture.criterionVerdict("Total bilirubin ≤ 1.5 x ULN", borderline)
        #expect(verdict?.verdict == .unknown)
        #expect(verdict?.reason.contains("laboratory's own limit") == true)
    }

    @Test func labUnitsAreConverted() {
        // 97 µmol/L creatinine is 1.1 mg/dL
        let si = MatchFixture.profile("Creatinine 97 µmol/L.")
        #expect(MatchFixture.criterionVerdict("Serum creatinine ≤ 1.5 mg/dL", si)?.verdict == .met)
        #expect(MatchFixture.criterionVerdict("Serum creatinine ≤ 1.0 mg/dL", si)?.verdict == .notMet)
    }

    @Test func performanceStatusAndLVEF() {
        #expect(MatchFixture.criterionVerdict("ECOG performance status 0 or 1", dlbcl)?.verdict == .met)
        #expect(MatchFixture.criterionVerdict("ECOG performance status of 0", dlbcl)?.verdict == .notMet)
        #expect(MatchFixture.criterionVerdict("Left ventricular ejection fraction ≥ 45%", dlbcl)?.verdict == .met)
        let noEcho = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma.")
        let verdict = MatchFixture.criterionVerdict("Left ventricular ejection fraction ≥ 45%", noEcho)
        #expect(verdict?.verdict == .unknown)
        #expect(verdict?.needs.map(\.key) == ["lvef"])
    }

    @Test func relapsedAndRefractoryAreTold() {
        let relapsedOnly = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. First-line R-CHOP from 2024-02 to 2024-06, complete response. He relapsed in 2025-03.")
        #expect(MatchFixture.criterionVerdict("Relapsed diffuse large B-cell lymphoma", relapsedOnly)?.verdict == .met)
        #expect(MatchFixture.criterionVerdict("Refractory disease", relapsedOnly)?.verdict == .unknown)
        #expect(MatchFixture.criterionVerdict("Refractory disease", dlbcl)?.verdict == .met)
    }

    @Test func washoutIsMeasuredFromTodayGiven() {
        let recent = MatchFixture.profile("Diagnosis: diffuse large B-cell lymphoma. Second-line R-ICE from 2026-10-01 to 2026-11-20.")
        let criterion = EligibilityParser().parse("Exclusion Criteria:\n- Chemotherapy within 4 weeks prior to enrollment")[0]
        let soon = MatchFixture.evaluator.evaluate(criterion, profile: recent, today: Day(year: 2026, month: 11, day: 29))
        let later = MatchFixture.evaluator.evaluate(criterion, profile: recent, today: Day(year: 2027, month: 1, day: 15))
        #expect(soon.verdict == .notMet)
        #expect(later.verdict == .met)
    }

    @Test func ontologyHierarchyAppliesToTrialDiagnoses() {
        #expect(MatchFixture.criterionVerdict("Histologically confirmed B-cell lymphoma", dlbcl)?.verdict == .met)
        let pmbcl = MatchFixture.profile("Diagnosis: primary mediastinal B-cell lymphoma.")
        #expect(MatchFixture.criterionVerdict("Diffuse large B-cell lymphoma", pmbcl)?.verdict == .notMet)
        let vague = MatchFixture.profile("Diagnosis: lymphoma.")
        #expect(MatchFixture.criterionVerdict("Diffuse large B-cell lymphoma", vague)?.verdict == .unknown)
    }

    @Test func notUnderstoodIsUnknownForTheTrialTeam() {
        let verdict = MatchFixture.criterionVerdict("Willing to travel to the study site for follow-up visits", dlbcl)
        #expect(verdict?.verdict == .unknown)
        #expect(verdict?.reason == CriterionEvaluator.reviewReason)
    }

    @Test func pregnancyCriteriaDoNotApplyToMen() {
        #expect(MatchFixture.criterionVerdict("Pregnant or breastfeeding women", section: "Exclusion Criteria", dlbcl)?.verdict == .notApplicable)
    }

    /// Unknown never becomes met or not met: with nothing in the record, every criterion of
    /// every real study stays unknown (or, for statements of what is allowed, not applicable).
    @Test func anEmptyRecordMeetsAndFailsNothing() throws {
        try #require(!MatchFixture.studies.isEmpty, "shared data missing")
        let parser = EligibilityParser()
        var judged = 0
        var decided: [String] = []
        // Every 7th study (about 80) keeps the debug-build test fast; the choice is fixed, not tuned.
        for study in MatchFixture.studies.values.sorted(by: { $0.nctID < $1.nctID }).enumerated().filter({ $0.offset % 7 == 0 }).map(\.element) {
            for criterion in parser.parse(study.eligibilityCriteria ?? "") {
                let verdict = MatchFixture.evaluator.evaluate(criterion, profile: PatientProfile(), today: MatchFixture.today)
                if verdict.verdict == .met || verdict.verdict == .notMet { decided.append("\(study.nctID): \(criterion.text) → \(verdict.verdict)") }
                judged += 1
            }
        }
        #expect(decided.isEmpty, "\(decided.prefix(5))")
        #expect(judged > 1_000)
    }
}

@Suite("Trial diagnoses read at the level the criterion names")
struct TrialDiagnosisLevelTests {
    @Test func largeBCellLymphomaIsNotAnyBCellLymphoma() {
        let follicular = MatchFixture.profile("Diagnosis: follicular lymphoma, diagnosed 2021-04.")
        let dlbcl = MatchFixture.profile(dlbclNote)
        #expect(MatchFixture.criterionVerdict("Relapsed or refractory large B-cell lymphoma", follicular)?.verdict == .notMet)
        #expect(MatchFixture.criterionVerdict("Relapsed or refractory large B-cell lymphoma", dlbcl)?.verdict != .notMet)
        #expect(MatchFixture.criterionVerdict("Histologically confirmed B-cell lymphoma", follicular)?.verdict == .met)
    }
}

@Suite("Basket trials")
struct CohortCriterionTests {
    @Test func aCohortsCriteriaDoNotApplyToAnotherCancer() throws {
        // NCT06330064 lists additional criteria per cohort (EC, HNSCC, PDAC, CRC, HCC, BTC, melanoma).
        let study = try #require(MatchFixture.studies["NCT06330064"], "shared data missing")
        let criteria = EligibilityParser().parse(study.eligibilityCriteria ?? "")
        let melanoma = MatchFixture.profile("Diagnosis: melanoma, diagnosed 2023-02. Stage IV.")
        let verdicts = MatchFixture.evaluator.evaluate(criteria, profile: melanoma, today: MatchFixture.today)
        let pancreatic = zip(criteria, verdicts).filter { $0.0.text.contains("pancreatic adenocarcinoma") }
        #expect(!pancreatic.isEmpty)
        #expect(pancreatic.allSatisfy { $0.1.verdict == .notApplicable })
        // the melanoma cohort's own criterion still applies
        let own = zip(criteria, verdicts).first { $0.0.text.hasPrefix("Histologically or cytologically confirmed cutaneous") }
        #expect(own?.1.verdict == .met)
    }
}
