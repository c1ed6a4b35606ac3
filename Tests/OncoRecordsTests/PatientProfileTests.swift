import Foundation
import Testing
@testable import OncoRecords

@Suite("Patient profile and facts")
struct PatientProfileTests {
    private func documentFact<V: ProfileValue>(_ value: V, doc: String = "doc-1", quote: String = "q",
                                               negated: Bool = false) -> Fact<V> {
        Fact(value: value,
             provenance: Provenance(source: .document(documentID: doc, span: TextSpan(start: 0, end: quote.utf16.count, text: quote)),
                                    method: .textRules),
             confidence: 0.8, isNegated: negated)
    }

    @Test func anEmptyProfileKnowsNothingAndAssumesNothing() {
        let profile = PatientProfile()
        #expect(profile.primaryCancer == nil)
        #expect(profile.hasCNSInvolvement == nil)
        #expect(profile.isPregnant == nil)
        #expect(profile.latestLVEF == nil)
        #expect(profile.conflicts.isEmpty)
    }

    @Test func newFactsArePendingConfirmationAndCarryTheirSpan() {
        let fact = documentFact(BiomarkerResult(marker: "CD19", interpretation: .positive), quote: "CD19 positive")
        #expect(fact.status == .pendingConfirmation)
        #expect(fact.provenance.quote == "CD19 positive")
        #expect(fact.provenance.citation.contains("doc-1"))
    }

    @Test func contradictoryBiomarkersAreAConflict() {
        var profile = PatientProfile()
        profile.add(.biomarker(documentFact(BiomarkerResult(marker: "CD19", interpretation: .positive), doc: "path")))
        profile.add(.biomarker(documentFact(BiomarkerResult(marker: "CD19", interpretation: .negative), doc: "flow")))
        profile.add(.biomarker(documentFact(BiomarkerResult(marker: "CD20", interpretation: .positive))))
        #expect(profile.conflicts.count == 1)
        #expect(profile.conflicts.first?.field == .biomarker)
        #expect(profile.conflicts.first?.message.contains("flow") == true)
    }

    @Test func rejectingOneSideResolvesTheConflict() {
        var profile = PatientProfile()
        let wrong = documentFact(ClinicalFinding(text: "CNS involvement"))
        profile.add(.cnsInvolvement(wrong))
        profile.add(.cnsInvolvement(documentFact(ClinicalFinding(text: "CNS involvement"), negated: true)))
        #expect(profile.hasConflict(in: .cnsInvolvement))
        let found = profile.setStatus(.rejected(by: "navigator-1", at: Date(), reason: "other patient"), forFact: wrong.id)
        #expect(found)
        #expect(profile.conflicts.isEmpty)
        #expect(profile.hasCNSInvolvement == false)
    }

    @Test func agreeingFactsFromTwoDocumentsAreNoConflict() {
        var profile = PatientProfile()
        let dx = Diagnosis(cancer: CodedText(conceptID: "dlbcl-nos", text: "DLBCL"))
        let dx2 = Diagnosis(cancer: CodedText(conceptID: "dlbcl-nos", text: "diffuse large B-cell lymphoma"))
        profile.add([.primaryCancer(documentFact(dx)), .primaryCancer(documentFact(dx2, doc: "doc-2"))])
        #expect(profile.conflicts.isEmpty)
    }

    @Test func labsOnDifferentDatesAreATimeSeriesNotAConflict() {
        var profile = PatientProfile()
        profile.add(.lab(documentFact(LabResult(name: "creatinine", value: 1.0, unit: "mg/dL", date: ClinicalDate(year: 2025, month: 1)))))
        profile.add(.lab(documentFact(LabResult(name: "creatinine", value: 1.6, unit: "mg/dL", date: ClinicalDate(year: 2025, month: 3)))))
        #expect(profile.conflicts.isEmpty)
    }

    @Test func confirmedFactsArePreferredOverMoreConfidentPendingOnes() {
        let pending = Fact(value: Years(60), provenance: Provenance(source: .manual(enteredBy: "a"), method: .manualEntry), confidence: 0.99)
        let confirmed = Fact(value: Years(61), provenance: Provenance(source: .manual(enteredBy: "b"), method: .manualEntry), confidence: 0.5)
            .confirmed(by: "navigator-1")
        #expect(PatientProfile.preferred([pending, confirmed])?.value == Years(61))
    }

    @Test func editingKeepsThePreviousValue() {
        let fact = documentFact(PerformanceStatus(scale: .ecog, score: 2)).edited(to: PerformanceStatus(scale: .ecog, score: 1), by: "dr-x")
        #expect(fact.value.score == 1)
        guard case .edited(let by, _, let previous) = fact.status else {
            Issue.record("status should be edited"); return
        }
        #expect(by == "dr-x")
        #expect(previous == "ECOG 2")
    }

    @Test func profileRoundTripsThroughJSON() throws {
        var profile = PatientProfile(caseID: "case-1")
        profile.add(.stage(documentFact(Stage(system: .annArbor, group: "IIIA", text: "Ann Arbor stage IIIA"))))
        profile.add(.birthDate(documentFact(ClinicalDate(year: 1966, month: 4))))
        let data = try JSONEncoder().encode(profile)
        let decoded = try JSONDecoder().decode(PatientProfile.self, from: data)
        #expect(decoded == profile)
        #expect(String(decoding: data, as: UTF8.self).contains("\"1966-04\""))
    }

    @Test func aProfileFactIsStoredAsFieldAndFact() throws {
        let fact = ProfileFact.lab(documentFact(LabResult(name: "ANC", value: 1.5, unit: "x10^9/L"), quote: "ANC 1.5"))
        let data = try JSONEncoder().encode(fact)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["field"] as? String == "lab")
        #expect((object?["fact"] as? [String: Any])?["value"] != nil)
        #expect(try JSONDecoder().decode(ProfileFact.self, from: data) == fact)
    }

    @Test func partialDatesKeepTheirPrecision() {
        #expect(ClinicalDate(iso: "2021-03")?.description == "2021-03")
        #expect(ClinicalDate(iso: "2019-04-01T10:00:00Z") == ClinicalDate(year: 2019, month: 4, day: 1))
        #expect(ClinicalDate(iso: "2021-13") == nil)
        #expect(ClinicalDate(year: 2021) < ClinicalDate(year: 2021, month: 1))
    }
}

@Suite("Conflict precision rules")
struct ConflictPrecisionTests {
    @Test func aLessPreciseStageAgreesAndADifferentOneConflicts() {
        #expect(PatientProfile.compatible("III", "IIIA", field: .stage))
        #expect(!PatientProfile.compatible("IIIA", "IIIB", field: .stage))
        #expect(!PatientProfile.compatible("I", "IV", field: .stage))
        #expect(PatientProfile.compatible("1966-08", "1966-08-03", field: .birthDate))
        #expect(!PatientProfile.compatible("positive", "negative", field: .biomarker))
    }
}
