import Foundation
import Testing
@testable import OncoRecords

/// Clinical text extraction. Every text here is synthetic.
@Suite("Clinical text extraction")
struct ProfileExtractorTests {
    private func extract(_ text: String, documentDate: ClinicalDate? = nil) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "doc", documentDate: documentDate))
    }

    private func quote<V>(_ fact: Fact<V>?) -> String? { fact?.provenance.quote }

    @Test func everyFactQuotesTheSpanItCameFrom() throws {
        let text = String(decoding: try TestPaths.fixture("referral-letter.txt"), as: UTF8.self)
        let facts = ProfileExtractor.extract(text: text, documentID: "letter-1", lexicon: .builtIn)
        #expect(facts.count > 20)
        let utf16 = text as NSString
        for fact in facts.map(\.summary) {
            guard case .document(let id, let span) = fact.provenance.source else { Issue.record("no span"); continue }
            #expect(id == "letter-1")
            #expect(utf16.substring(with: NSRange(location: span.start, length: span.end - span.start)) == span.text)
            #expect(fact.status == .pendingConfirmation)
        }
    }

    @Test func theReferralLetterBecomesACase() throws {
        let text = String(decoding: try TestPaths.fixture("referral-letter.txt"), as: UTF8.self)
        let profile = extract(text)
        #expect(profile.ages.first?.value == Years(62))
        #expect(profile.sexes.first?.value == .male)
        #expect(profile.primaryCancers.count == 1, "follicular lymphoma is history, breast cancer the mother's")
        #expect(profile.primaryCancer?.value.cancer.conceptID == "dlbcl-nos")
        #expect(profile.primaryCancer?.value.diagnosisDate == ClinicalDate(year: 2023, month: 3))
        #expect(profile.histologies.contains { $0.value.conceptID == "gcb" })
        #expect(profile.stages.first?.value.system == .annArbor)
        #expect(profile.stages.first?.value.group == "IIIA")
        #expect(profile.latestECOG?.value.score == 1)
        #expect(profile.latestLVEF?.value.value == 55)
        #expect(profile.conflicts.isEmpty == false, "possible leptomeningeal disease vs no CNS involvement needs a person")
    }

    @Test func immunophenotypeListsTakeTheirHeadsPolarity() {
        let profile = extract("Tumour cells are positive for CD19, CD20 and BCL2 and negative for CD5 and CD10.")
        let results = Dictionary(uniqueKeysWithValues: profile.biomarkers.map { ($0.value.marker, $0.value.interpretation) })
        #expect(results == ["CD19": .positive, "CD20": .positive, "BCL2": .positive, "CD5": .negative, "CD10": .negative])
    }

    @Test func mutationsFusionsAndExpressionAreRead() {
        let profile = extract("""
            NGS: EGFR exon 19 deletion detected. ALK negative. ROS1 rearrangement not detected.
            KRAS G12C mutation. PD-L1 TPS 80%. HER2 IHC 3+. HLA-A*02:01 positive.
            """)
        let byMarker = Dictionary(grouping: profile.biomarkers.map(\.value), by: \.marker)
        #expect(byMarker["EGFR"]?.first?.alteration == "exon 19 deletion")
        #expect(byMarker["EGFR"]?.first?.interpretation == .positive)
        #expect(byMarker["ALK"]?.first?.interpretation == .negative)
        #expect(byMarker["ROS1"]?.first?.alteration == "rearrangement")
        #expect(byMarker["ROS1"]?.first?.interpretation == .negative)
        #expect(byMarker["KRAS"]?.first?.alteration == "G12C")
        #expect(byMarker["PD-L1"]?.first?.value == "80%")
        #expect(byMarker["HER2"]?.first?.interpretation == .positive)
        #expect(byMarker["HLA-A"]?.first?.alteration == "*02:01")
    }

    @Test func aNegatedMutationIsANegativeResultNotAMissingOne() {
        let fact = extract("No EGFR mutation was identified.").biomarkers.first
        #expect(fact?.value.interpretation == .negative)
        #expect(fact?.isNegated == false)
    }

    @Test func aMarkerWithoutAResultStaysUnknown() {
        #expect(extract("Please ask the pathologist for CD19 status.").biomarkers.isEmpty)
        #expect(extract("CD19 testing pending.").biomarkers.isEmpty)
        #expect(extract("He received anti-CD20 antibody therapy.").biomarkers.isEmpty)
    }

    @Test(arguments: [
        "No evidence of CNS involvement.",
        "MRI brain: negative for CNS disease.",
        "CNS involvement was ruled out.",
        "He denies brain metastases.",
    ])
    func negatedCNSInvolvementIsRecordedAsAbsent(text: String) {
        let profile = extract(text)
        #expect(profile.cnsInvolvement.count == 1)
        #expect(profile.hasCNSInvolvement == false)
        #expect(profile.cnsInvolvement.first?.isUncertain == false)
    }

    @Test(arguments: [
        "Possible leptomeningeal disease.",
        "Findings suspicious for brain metastases.",
        "CNS involvement cannot be excluded.",
    ])
    func hedgedCNSInvolvementIsUncertainNotNegated(text: String) {
        let fact = extract(text).cnsInvolvement.first
        #expect(fact?.isUncertain == true)
        #expect(fact?.isNegated == false)
    }

    @Test func theNegationTriggerIsPartOfTheQuote() {
        let fact = extract("MRI: no evidence of CNS involvement.").cnsInvolvement.first
        #expect(quote(fact) == "no evidence of CNS involvement")
    }

    @Test func aNegationDoesNotCrossBut() {
        let profile = extract("No fever but CNS involvement was confirmed on CSF.")
        #expect(profile.hasCNSInvolvement == true)
    }

    @Test func stagesInTheirSystems() {
        #expect(extract("Myeloma, R-ISS stage II.").stages.first?.value.system == .riss)
        let lung = extract("Lung adenocarcinoma, cT2a N2 M0, stage IIIA.").stages.map(\.value)
        #expect(lung.contains { $0.t == "cT2a" && $0.n == "N2" && $0.m == "M0" })
        #expect(lung.contains { $0.system == .tnm && $0.group == "IIIA" })
        #expect(extract("Follicular lymphoma, stage IV.").stages.first?.value.system == .annArbor)
    }

    @Test func treatmentLinesWithDatesIntentResponseAndRelapse() {
        let profile = extract("""
            First-line R-CHOP x6 from 04/2023 to 08/2023, best response CR. He relapsed in February 2024.
            Second-line R-ICE, refractory.
            Bridging therapy with pola-BR in 05/2024.
            """)
        let lines = profile.treatmentLines.map(\.value)
        #expect(lines.count == 3)
        #expect(lines[0].lineNumber == 1)
        #expect(lines[0].regimen?.conceptID == "r-chop")
        #expect(lines[0].startDate == ClinicalDate(year: 2023, month: 4))
        #expect(lines[0].endDate == ClinicalDate(year: 2023, month: 8))
        #expect(lines[0].bestResponse == .completeResponse)
        #expect(lines[0].relapseDate == ClinicalDate(year: 2024, month: 2))
        #expect(lines[1].refractory == true)
        #expect(lines[2].intent == .bridging)
    }

    @Test func drugsWithoutARegimenNameMakeOneLine() {
        let lines = extract("Treated with bendamustine and rituximab in 2021.").treatmentLines
        #expect(lines.count == 1)
        #expect(lines.first?.value.drugs.map(\.conceptID) == ["bendamustine", "rituximab"])
    }

    @Test func transplantsAutologousAndAllogeneic() {
        let profile = extract("Autologous stem cell transplant in 06/2019. Later allo-HCT in 2021.")
        #expect(profile.transplants.map(\.value.kind) == [.autologous, .allogeneic])
        #expect(profile.transplants.first?.value.date == ClinicalDate(year: 2019, month: 6))
    }

    @Test func transplantIneligibilityIsNotATransplant() {
        let fact = extract("He is not a candidate for autologous stem cell transplant.").transplants.first
        #expect(fact == nil || fact?.isNegated == true)
    }

    @Test func priorCARTNeedsEvidenceItWasGiven() {
        let prior = extract("She received ciltacabtagene autoleucel in 01/2024 and achieved VGPR.").priorCellTherapies.first
        #expect(prior?.value.product?.conceptID == "carvykti")
        #expect(prior?.value.target == "BCMA")
        #expect(prior?.value.date == ClinicalDate(year: 2024, month: 1))
        #expect(prior?.value.bestResponse == .veryGoodPartialResponse)
        #expect(extract("Referred for axi-cel evaluation.").priorCellTherapies.isEmpty)
        #expect(extract("Relapsed after CD19-directed CAR-T therapy.").priorCellTherapies.first?.value.target == "CD19")
    }

    @Test func performanceStatusScales() {
        #expect(extract("ECOG PS: 2").latestECOG?.value.score == 2)
        #expect(extract("Karnofsky performance status 80%.").performanceStatuses.first?.value == PerformanceStatus(scale: .karnofsky, score: 80))
        let range = extract("ECOG 0-1.").performanceStatuses.first
        #expect(range?.value.score == 1)
        #expect(range?.isUncertain == true)
    }

    @Test func labsWithUnitsAndTheirDates() {
        let profile = extract("Labs 10 June 2025: creatinine 1.1 mg/dL, AST 32 U/L, ALT 28 U/L, platelets 145 x10^9/L, Hb 11.2 g/dL, LDH 410 U/L, ANC 1,500/µL.")
        let labs = Dictionary(uniqueKeysWithValues: profile.labs.map { ($0.value.name, $0.value) })
        #expect(labs["creatinine"]?.value == 1.1)
        #expect(labs["creatinine"]?.unit == "mg/dL")
        #expect(labs["creatinine"]?.date == ClinicalDate(year: 2025, month: 6, day: 10))
        #expect(labs["AST"]?.value == 32)
        #expect(labs["ALT"]?.value == 28)
        #expect(labs["platelets"]?.value == 145)
        #expect(labs["hemoglobin"]?.value == 11.2)
        #expect(labs["LDH"]?.value == 410)
    }

    @Test func aResponseAbbreviationIsNotALab() {
        #expect(extract("Achieved CR 2 years ago.").labs.isEmpty)
    }

    @Test func undatedLabsTakeTheDocumentDateOnlyWhenGiven() {
        #expect(extract("Creatinine 1.3 mg/dL").labs.first?.value.date == nil)
        #expect(extract("Creatinine 1.3 mg/dL", documentDate: ClinicalDate(year: 2025, month: 2, day: 1)).labs.first?.value.date
            == ClinicalDate(year: 2025, month: 2, day: 1))
    }

    @Test func lvefRangesKeepTheLowerBound() {
        let fact = extract("Echo: EF 50-55%.").latestLVEF
        #expect(fact?.value.value == 50)
        #expect(fact?.isUncertain == true)
    }

    @Test func infectionSerologies() {
        let profile = extract("HIV negative. HBsAg negative, anti-HBc positive. HCV RNA not detected.")
        let results = profile.infections.map { "\($0.value.test ?? $0.value.agent.rawValue)=\($0.value.result.rawValue)" }
        #expect(results == ["HIV=negative", "HBsAg=negative", "anti-HBc=positive", "HCV RNA=negative"])
    }

    @Test func pregnancy() {
        #expect(extract("Urine pregnancy test negative.").isPregnant == false)
        #expect(extract("She is not pregnant.").isPregnant == false)
        #expect(extract("She is pregnant (12 weeks).").isPregnant == true)
        #expect(extract("Pregnancy test ordered.").isPregnant == nil)
        #expect(extract("History of an ectopic pregnancy at age 26.").isPregnant == nil)
        #expect(extract("Beta-HCG is negative.").isPregnant == false)
    }

    @Test func emergencyRoomIsNotOestrogenReceptor() {
        #expect(extract("A woman with no past history presents to the ER with pain.").biomarkers.isEmpty)
    }

    @Test func agesWrittenShort() {
        #expect(extract("A 44 yo male with cough.").ages.first?.value == Years(44))
        #expect(extract("A 44 yo male with cough.").sexes.first?.value == .male)
        #expect(extract("65 y/o African-American female").sexes.first?.value == .female)
    }

    @Test func thousandsSeparatorsAreNotDecimalCommas() {
        #expect(extract("WBC 25,000/µL").labs.first?.value.value == 25000)
        #expect(extract("Kreatinin: creatinine 1,1 mg/dL").labs.first?.value.value == 1.1)
    }

    @Test func familyHistoryIsNotThePatients() {
        #expect(extract("Family history: mother had breast cancer.").primaryCancers.isEmpty)
    }

    @Test func ocrTextLowersConfidence() {
        let typed = ProfileExtractor().extract(text: "ECOG 1", documentID: "d").first?.summary.confidence ?? 0
        let scanned = ProfileExtractor().extract(text: "ECOG 1", documentID: "d", method: .ocrTextRules).first?.summary.confidence ?? 1
        #expect(scanned < typed)
    }

    @Test func theKnowledgeBaseLexiconIsUsed() {
        let lexicon = ClinicalLexicon(entries: [.init(term: "Richter transformation", conceptID: "richter", kind: .cancer)])
        let facts = ProfileExtractor.extract(text: "Biopsy confirms Richter transformation.", documentID: "d", lexicon: lexicon)
        guard case .primaryCancer(let fact)? = facts.first(where: { $0.field == .primaryCancer }) else {
            Issue.record("no diagnosis"); return
        }
        #expect(fact.value.cancer.conceptID == "richter")
    }
}

@Suite("Clinical text extraction: plans are not history")
struct PlannedTherapyTests {
    private func extract(_ text: String) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "doc"))
    }

    @Test func aPlannedCARTInfusionIsNotPriorCART() {
        #expect(extract("Bridging with R-GemOx prior to axi-cel infusion planned for 07/2025.").priorCellTherapies.isEmpty)
    }

    @Test func aPlannedRegimenIsNotATreatmentLine() {
        #expect(extract("Plan: R-ICE followed by autologous stem cell transplant.").treatmentLines.isEmpty)
        #expect(extract("Plan: R-ICE followed by autologous stem cell transplant.").transplants.isEmpty)
    }

    @Test func historyAndPlanInOneSentenceKeepTheHistory() {
        let profile = extract("He received tisa-cel in 2022 and is now referred for a clinical trial.")
        #expect(profile.priorCellTherapies.first?.value.product?.conceptID == "kymriah")
    }

    @Test func carTNaiveMeansNoPriorCART() {
        let fact = extract("Patient is CAR-T naive.").priorCellTherapies.first
        #expect(fact?.isNegated == true)
    }

    @Test func lostAntigenExpressionIsNegative() {
        #expect(extract("CD19 expression was lost at relapse.").biomarkers.first?.value.interpretation == .negative)
        #expect(extract("CD19-negative relapse.").biomarkers.first?.value.interpretation == .negative)
    }
}

@Suite("Clinical text extraction: treatment histories in one sentence")
struct TreatmentSegmentTests {
    private func extract(_ text: String) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "doc"))
    }

    @Test func eachDateBelongsToTheNearestMentionBeforeIt() {
        let profile = extract("Induction VRd x4 cycles, then ASCT 08/2020, lenalidomide maintenance until progression 03/2023.")
        let lines = profile.treatmentLines.map(\.value)
        #expect(lines.count == 2)
        #expect(lines[0].regimen?.conceptID == "vrd")
        #expect(lines[0].intent == .induction)
        #expect(lines[0].startDate == nil)
        #expect(lines[1].drugs.first?.conceptID == "lenalidomide")
        #expect(lines[1].intent == .maintenance)
        #expect(lines[1].relapseDate == ClinicalDate(year: 2023, month: 3))
        #expect(profile.transplants.first?.value.date == ClinicalDate(year: 2020, month: 8))
    }

    @Test func responsesStayWithTheirLine() {
        let lines = extract("DLBCL s/p R-CHOP (CR), relapse 1 yr later, R-GDP x2 with PD.").treatmentLines.map(\.value)
        #expect(lines.map(\.bestResponse) == [.completeResponse, .progressiveDisease])
        let two = extract("First-line R-CHOP, best response CR, second-line R-ICE, refractory.").treatmentLines.map(\.value)
        #expect(two.map(\.lineNumber) == [1, 2])
        #expect(two.map(\.bestResponse) == [.completeResponse, nil])
        #expect(two.map(\.refractory) == [nil, true])
    }

    @Test func thenSeparatesLinesAndSlashJoinsDrugs() {
        let lines = extract("Received nivolumab/ipilimumab then pembrolizumab.").treatmentLines.map(\.value)
        #expect(lines.map { $0.drugs.compactMap(\.conceptID) } == [["nivolumab", "ipilimumab"], ["pembrolizumab"]])
    }

    @Test func aRelapseSentenceAfterSomethingElseIsNotPinnedOnAnOldLine() {
        let profile = extract("Second line DPd. Triple-class refractory. Received cilta-cel 05/2024 with sCR; relapse 02/2025.")
        #expect(profile.treatmentLines.first?.value.relapseDate == nil)
        #expect(profile.priorCellTherapies.first?.value.bestResponse == .completeResponse)
    }
}

@Suite("Clinical text extraction: markers and serologies in shorthand")
struct ShorthandTests {
    private func extract(_ text: String) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "doc"))
    }

    @Test func hepatitisBCoreAntibodyIsItsOwnTest() {
        let results = extract("HBV core Ab positive, HBsAg negative, HBV DNA undetectable.").infections.map { "\($0.value.test ?? "")=\($0.value.result.rawValue)" }
        #expect(results == ["HBV core Ab=positive", "HBsAg=negative", "HBV DNA=negative"])
    }

    @Test func allCNSStatusGrades() {
        #expect(extract("CNS status: CNS1.").hasCNSInvolvement == false)
        #expect(extract("CNS3 disease at diagnosis.").hasCNSInvolvement == true)
    }

    @Test func shorthandResults() {
        let markers = Dictionary(uniqueKeysWithValues: extract("TP53 mutated. PD-L1 <1%. CD22 dim.").biomarkers.map { ($0.value.marker, $0.value) })
        #expect(markers["TP53"]?.interpretation == .positive)
        #expect(markers["PD-L1"]?.value == "<1%")
        #expect(markers["CD22"]?.interpretation == .positive)
    }
}

@Suite("Lexicon seam")
struct LexiconSeamTests {
    @Test func knowledgeBaseEntriesWinOverTheBuiltInDefault() {
        let kb = ClinicalLexicon(entries: [
            .init(term: "HLA-A*02", conceptID: "hla-a02", kind: .biomarker, displayName: "HLA-A*02"),
            .init(term: "DLBCL", conceptID: "kb-dlbcl", kind: .cancer),
        ]).merging(.builtIn)
        let facts = PatientProfile(facts: ProfileExtractor.extract(text: "DLBCL. HLA-A*02:01 positive.", documentID: "d", lexicon: kb))
        #expect(facts.biomarkers.first?.value.conceptID == "hla-a02")
        #expect(facts.primaryCancer?.value.cancer.conceptID == "kb-dlbcl")
    }

    @Test func theLexiconRoundTripsAsJSONForConfiguration() throws {
        let data = try JSONEncoder().encode(ClinicalLexicon.builtIn)
        let decoded = try JSONDecoder().decode(ClinicalLexicon.self, from: data)
        #expect(decoded.lookup("axi-cel", kinds: [.cellTherapyProduct])?.conceptID == "yescarta")
    }
}

@Suite("Clinical text extraction: abbreviations in context")
struct AbbreviationContextTests {
    private func extract(_ text: String) -> PatientProfile {
        PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "doc"))
    }

    @Test func slashListsShareTheirResult() {
        let markers = Dictionary(uniqueKeysWithValues: extract("Breast cancer, ER/PR positive, HER2 negative.").biomarkers.map { ($0.value.marker, $0.value.interpretation) })
        #expect(markers == ["ER": .positive, "PR": .positive, "HER2": .negative])
        let signs = Dictionary(uniqueKeysWithValues: extract("ER+/PR+/HER2-").biomarkers.map { ($0.value.marker, $0.value.interpretation) })
        #expect(signs == ["ER": .positive, "PR": .positive, "HER2": .negative])
    }

    @Test func capitalisedHeadingsAreNotAbbreviations() {
        #expect(extract("ALL RESULTS ATTACHED BELOW").primaryCancers.isEmpty)
        #expect(extract("Diagnosis: B-cell ALL in first relapse.").primaryCancers.first?.value.cancer.conceptID == "b-all")
    }
}
