import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials
import Testing
@testable import OncoMatch

/// Label rules read from referral-summary text: subtype lists, re-treatment after a
/// same-target CAR-T, relapse ordinal, conditional prior therapy, transplant status. Each
/// case runs the real extractor and the real knowledge base; the false fits are the ones
/// the independent vignettes found.
@Suite struct LabelRuleTests {
    /// Verdicts of one indication for a referral text (profile from the extractor, text read too).
    func verdicts(_ indicationID: String, _ text: String) -> [CriterionVerdict] {
        let profile = MatchFixture.profile(text, documentID: "referral")
        return MatchFixture.labels.evaluate(MatchFixture.indication(indicationID), profile: profile, today: MatchFixture.today,
                                            texts: [CaseDocumentText(documentID: "referral", text: text)])
    }

    func verdict(_ indicationID: String, _ prefix: String, _ text: String) -> CriterionVerdict? {
        verdicts(indicationID, text).first { $0.text.hasPrefix(prefix) }
    }

    /// Best status per product in a region for a referral text.
    func statuses(_ text: String, region: Region) -> [String: OptionStatus] {
        let profile = MatchFixture.profile(text, documentID: "referral")
        let report = Matcher(knowledge: MatchFixture.knowledge).match(profile, settings: MatchSettings(today: MatchFixture.today, region: region),
                                                                      texts: [CaseDocumentText(documentID: "referral", text: text)])
        var best: [String: OptionStatus] = [:]
        for option in report.options where option.label?.region == region {
            guard let product = option.label?.productID else { continue }
            if best[product].map({ option.status.rank < $0.rank }) ?? true { best[product] = option.status }
        }
        return best
    }

    static let pmbcl = """
    Referral summary
    Patient: 31-year-old man.
    Diagnosis: primary mediastinal large B-cell lymphoma (PMBCL), relapsed.
    Prior treatment:
      1. DA-EPOCH-R x6
      2. R-ICE salvage
    Prior CAR-T: none.
    """

    @Test func pmbclIsNotCoveredByALabelThatListsOtherSubtypes() throws {
        // The US Kymriah LBCL label lists DLBCL NOS, high-grade and DLBCL from FL, not PMBCL.
        let cancer = try #require(verdict("kymriah-us-lbcl", "Cancer type", Self.pmbcl))
        #expect(cancer.verdict == .notMet)
        #expect(cancer.reason.contains("Primary mediastinal") || cancer.reason.lowercased().contains("mediastinal"))
        #expect(!cancer.sources.isEmpty)
        // … while the Yescarta and Breyanzi third-line labels, which list it, fit.
        #expect(verdict("yescarta-us-lbcl-3l", "Cancer type", Self.pmbcl)?.verdict == .met)
        let status = statuses(Self.pmbcl, region: .us)
        #expect(status["kymriah"] == nil || status["kymriah"]?.rank == 2)
        #expect(status["yescarta"] == .eligibleAllMet)
    }

    @Test func reTreatmentAfterASameTargetCarTIsNeverAPlainFit() throws {
        let text = """
        Diagnosis: multiple myeloma, relapsed.
        Prior treatment:
          1. VRd induction with autologous stem cell transplant and lenalidomide maintenance
          2. daratumumab, pomalidomide and dexamethasone
          3. Abecma (idecabtagene vicleucel)
        Prior CAR-T: Abecma (BCMA-directed), progression 14 months later.
        """
        let again = try #require(verdict("abecma-us-mm", "No earlier CAR-T", text))
        #expect(again.verdict == .unknown)
        #expect(again.reason.contains("same target"))
        let status = statuses(text, region: .us)
        #expect(status["abecma"] != .eligibleAllMet)
        #expect(status["carvykti"] != .eligibleAllMet)
        // A label that excludes an earlier same-target CAR-T says not met.
        let lymphoma = """
        Diagnosis: diffuse large B-cell lymphoma, relapsed.
        Prior treatment:
          1. R-CHOP
          2. R-ICE
          3. Yescarta (axicabtagene ciloleucel)
        Prior CAR-T: Yescarta (CD19-directed).
        """
        // (No label in the knowledge base carries that rule now; the rule is checked on a copy
        // of a CD19 label with it switched on.)
        var excluding = MatchFixture.indication("yescarta-us-lbcl-3l")
        excluding.excludesPriorSameTargetCellTherapy = true
        let excluded = MatchFixture.labels.evaluate(excluding, profile: MatchFixture.profile(lymphoma, documentID: "referral"), today: MatchFixture.today,
                                                    texts: [CaseDocumentText(documentID: "referral", text: lymphoma)])
        #expect(excluded.first { $0.text.hasPrefix("No earlier CAR-T") }?.verdict == .notMet)
        // "Prior CAR-T: none" is read as none, and then the rule is met, not just absent.
        #expect(verdict("yescarta-us-lbcl-3l", "No earlier CAR-T", Self.pmbcl)?.verdict == .met)
    }

    @Test func aFirstRelapseDoesNotMeetASecondRelapseLabel() throws {
        let first = """
        Patient: 12-year-old boy.
        Diagnosis: acute lymphoblastic leukemia — B-cell precursor, CD19-positive, first bone-marrow relapse.
        Prior treatment:
          1. standard-risk frontline ALL therapy
        """
        let us = try #require(verdict("kymriah-us-all", "Disease refractory", first))
        #expect(us.verdict == .notMet)
        #expect(us.reason.contains("first relapse"))
        // The subtype is read from the qualifier written next to the parent's name.
        #expect(verdict("kymriah-us-all", "Cancer type", first)?.verdict == .met)
        let second = first.replacingOccurrences(of: "first bone-marrow relapse", with: "second bone-marrow relapse")
        #expect(verdict("kymriah-us-all", "Disease refractory", second)?.verdict == .met)
        // The EU label also takes a first relapse after a transplant.
        let afterTransplant = first.replacingOccurrences(of: "first bone-marrow relapse", with: "first bone-marrow relapse 9 months after allogeneic stem cell transplant")
        #expect(verdict("kymriah-eu-all", "Disease refractory", afterTransplant)?.verdict == .met)
        #expect(verdict("kymriah-us-all", "Disease refractory", afterTransplant)?.verdict == .notMet)
    }

    @Test func aBRAFMutantMelanomaNeedsTheBRAFInhibitorTheLabelRequires() throws {
        let withoutInhibitor = """
        Diagnosis: metastatic melanoma, BRAF V600E mutated.
        Prior treatment:
          1. nivolumab and ipilimumab
          2. nivolumab
        """
        let missing = try #require(verdict("amtagvi-us-melanoma", "If BRAF", withoutInhibitor))
        #expect(missing.verdict == .notMet)
        #expect(!missing.sources.isEmpty)
        let treated = withoutInhibitor.replacingOccurrences(of: "  2. nivolumab", with: "  2. dabrafenib and trametinib")
        #expect(verdict("amtagvi-us-melanoma", "If BRAF", treated)?.verdict == .met)
        let wildType = withoutInhibitor.replacingOccurrences(of: "BRAF V600E mutated", with: "BRAF wild-type")
        #expect(verdict("amtagvi-us-melanoma", "If BRAF", wildType)?.verdict != .notMet)
        #expect(verdict("amtagvi-us-melanoma", "Disease: cannot be removed", withoutInhibitor)?.verdict == .met)
    }

    @Test func transplantStatusAndLateRelapseAreReadFromTheText() throws {
        let text = """
        Patient: 78-year-old man.
        Diagnosis: diffuse large B-cell lymphoma — DLBCL NOS, late relapse 19 months after first-line therapy.
        Prior treatment:
          1. R-CHOP x6 with complete metabolic response
        Organ function / comorbidities: judged not eligible for high-dose chemotherapy and autologous transplant because of age and comorbidities.
        """
        #expect(verdict("breyanzi-us-lbcl-2l-transplant-ineligible", "Not eligible for a stem cell transplant", text)?.verdict == .met)
        #expect(verdict("yescarta-us-lbcl-2l", "Refractory to, or relapsed within 12 months", text)?.verdict == .notMet)
        #expect(verdict("kymriah-us-lbcl", "At least 2 prior lines", text)?.verdict == .notMet)
    }

    @Test func negatedStatementsAreNotReadAsPresent() {
        let text = """
        Diagnosis: prostate adenocarcinoma, castration-sensitive, no metastases on PSMA PET.
        """
        #expect(verdict("provenge-us-mcrpc", "Disease: castration-resistant", text)?.verdict == .notMet)
        #expect(verdict("provenge-us-mcrpc", "Disease: metastatic", text)?.verdict == .notMet)
    }
}

@Suite struct CriterionNotMentionedTests {
    @Test func aNullCriterionTextIsSkippedNotACrash() throws {
        let json = """
        [{"note": "0. A 60-year-old man with lung cancer.", "criterion_type": "exclusion", "criterion_text": null, "expert_eligibility": "not excluded", "trial_id": "NCT0"},
         {"note": "0. A 60-year-old man with lung cancer.", "criterion_type": "exclusion", "criterion_text": "Active hepatitis B infection", "expert_eligibility": "not excluded", "trial_id": "NCT1"}]
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let pairs = try CriterionAnnotationEvaluation.load(url)
        let report = CriterionAnnotationEvaluation.run(pairs, knowledge: MatchFixture.knowledge, today: MatchFixture.today)
        #expect(report.skipped.count == 1)
        #expect(report.pairs == 1)
        // The note is silent on hepatitis B: not mentioned, which the annotators call "not excluded".
        #expect(report.notMentioned == 1 && report.conventionCorrect == 1)
    }

    @Test func anExclusionTheNoteTouchesIsUnknownNotNotMentioned() throws {
        let parser = MatchFixture.evaluator
        let criteria = EligibilityParser().parse("Exclusion Criteria:\n- Known HIV infection")
        let silent = "A 60-year-old woman with metastatic breast cancer."
        let touched = "A 60-year-old woman with metastatic breast cancer. HIV test sent, result pending."
        func verdict(_ note: String) -> Verdict? {
            parser.evaluate(criteria, profile: MatchFixture.profile(note), today: MatchFixture.today,
                            texts: [CaseDocumentText(documentID: "note", text: note)]).first?.verdict
        }
        #expect(verdict(silent) == .notMentioned)
        #expect(verdict(touched) != .notMentioned)
        #expect(verdict(touched) != .met)
    }
}
