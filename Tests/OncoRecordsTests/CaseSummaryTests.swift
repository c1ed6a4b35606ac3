import Foundation
import Testing
@testable import OncoRecords

@Suite("Case summary")
struct CaseSummaryTests {
    @Test func anEmptyProfileIsAllUnknownAndSaysWhatToObtain() {
        let summary = CaseSummary(profile: PatientProfile())
        let text = summary.plainText
        #expect(text.contains("Primary cancer: unknown"))
        #expect(text.contains("ECOG: unknown"))
        #expect(text.contains("LVEF: unknown"))
        #expect(text.contains("CNS involvement: unknown"))
        #expect(text.contains("HIV: unknown"))
        #expect(summary.unknowns.contains("a recent LVEF (echocardiogram or MUGA)"))
        #expect(text.contains("not medical advice"))
    }

    @Test func knownValuesShowTheirSourceStatusAndNegation() throws {
        let text = String(decoding: try TestPaths.fixture("referral-letter.txt"), as: UTF8.self)
        let profile = PatientProfile(facts: ProfileExtractor().extract(text: text, documentID: "letter-1"))
        let summary = CaseSummary(profile: profile)
        let plain = summary.plainText
        #expect(plain.contains("Primary cancer: diffuse large B-cell lymphoma, diagnosed 2023-03  [pending confirmation]"))
        #expect(plain.contains("source: letter-1 ["))
        #expect(plain.contains("no / absent — CNS involvement") || plain.contains("⚠ conflicting sources"))
        #expect(plain.contains("CONFLICTS TO RESOLVE"))
        #expect(!summary.unknowns.contains { $0.contains("LVEF") })
        #expect(plain.split(separator: "\n").count < 90, "one page")
    }

    @Test func rejectedFactsDoNotAppear() {
        let source = Provenance(source: .manual(enteredBy: "a"), method: .manualEntry)
        var profile = PatientProfile()
        profile.add(.lvef(Fact(value: LabResult(name: "LVEF", value: 20, unit: "%"), provenance: source, confidence: 1).rejected(by: "nav")))
        #expect(CaseSummary(profile: profile).plainText.contains("LVEF: unknown"))
    }
}
