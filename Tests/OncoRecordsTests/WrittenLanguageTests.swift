import Foundation
import Testing
@testable import OncoRecords

/// Rules that come from how clinical text is written rather than from any one document:
/// a phrase wrapped over two lines, a dose between the drugs of one regimen, a date tied to a
/// treatment by "before", loss of staining as a negative result, and a date the writer has
/// weighed against another one. Every text here is synthetic and written for these tests.
@Suite("Written language")
struct WrittenLanguageTests {
    private func facts(_ text: String, id: String = "doc", date: ClinicalDate? = nil) -> [ProfileFact] {
        ProfileExtractor().extract(text: text, documentID: id, documentDate: date)
    }

    private func lines(_ facts: [ProfileFact]) -> [TreatmentLine] {
        facts.compactMap { fact -> TreatmentLine? in
            if case .treatmentLine(let line) = fact, !line.isNegated { return line.value }
            return nil
        }
    }

    @Test func aNegationWrappedOverTwoLinesIsStillANegation() {
        let text = """
        SUMMARY
        Microsatellite stable adenocarcinoma, KRAS wild-type and ERBB2 not
        amplified. MET was not
        rearranged on RNA sequencing.
        """
        let markers = PatientProfile(facts: facts(text)).biomarkers
        #expect(!markers.isEmpty)
        #expect(markers.allSatisfy { $0.value.interpretation != .positive }, "\(markers.map(\.value))")
    }

    @Test func theWrappingRewriteKeepsClassesAndQuantifiers() {
        #expect(Pattern.wrappingSpaces("not amplified") == #"not\s+amplified"#)
        #expect(Pattern.wrappingSpaces("wild[- ]?type") == "wild[- ]?type")
        #expect(Pattern.wrappingSpaces("a ?b") == #"a\s?b"#)
        #expect(Pattern.wrappingSpaces(#"x\ y"#) == #"x\ y"#)
        let pattern = Pattern("no (?:pathogenic )?variants", wrapping: true)
        #expect(pattern.firstMatch(in: "no pathogenic\n  variants") != nil)
        #expect(pattern.firstMatch(in: "no variants") != nil)
    }

    @Test func aDoseBetweenTwoDrugsKeepsThemOneLine() {
        let found = lines(facts("- Line 1: gemcitabine 1000 mg/m2 + docetaxel 75 mg/m2 x 4 cycles, 03/02/2025 - 20/05/2025."))
        #expect(found.count == 1, "\(found.map(\.displayText))")
        #expect(Set(found.first?.drugs.compactMap(\.conceptID) ?? []) == ["gemcitabine", "docetaxel"])
        #expect(found.first?.startDate == ClinicalDate(year: 2025, month: 2, day: 3))
    }

    @Test func aDateBeforeATreatmentIsNotItsStart() {
        let found = lines(facts("LVEF 58% (63% in 09/2024 prior to epirubicin)."))
        #expect(found.allSatisfy { $0.startDate == nil }, "\(found.map(\.displayText))")
    }

    @Test func lossOfNuclearStainingIsANegativeResult() {
        let text = """
        Marker      Result
        MSH2        Loss of nuclear staining
        MSH6        Loss of nuclear expression (internal control positive)
        MLH1        Retained
        """
        let markers = PatientProfile(facts: facts(text)).biomarkers
        #expect(markers.first { $0.value.marker == "MSH2" }?.value.interpretation == .negative)
        #expect(markers.first { $0.value.marker == "MSH6" }?.value.interpretation == .negative)
    }

    @Test func aScheduleInBracketsAfterARegimenIsThatRegimen() {
        let found = lines(facts("Adjuvant FOLFOX (oxaliplatin with leucovorin and infusional fluorouracil every two weeks, then capecitabine alone for the last cycles) 02/2021 - 08/2021."))
        #expect(!found.contains { $0.regimen == nil && $0.drugs.map(\.conceptID) == ["capecitabine"] }, "\(found.map(\.displayText))")
    }

    @Test func aDateTheWriterWeighedAgainstAnotherWinsAcrossDocuments() {
        let note = facts("- Line 1: ribociclib + letrozole, started 21/06/2023 (the imaging reports give 28/06/2023, the day 8 visit).",
                         id: "note", date: ClinicalDate(year: 2026, month: 3, day: 1))
        let scan = facts("CLINICAL: on ribociclib + letrozole since 28/06/2023. Restaging.",
                         id: "ct", date: ClinicalDate(year: 2026, month: 4, day: 2))
        let (_, timeline) = TreatmentTimeline.reconcile(note + scan, documentDates: [
            "note": ClinicalDate(year: 2026, month: 3, day: 1), "ct": ClinicalDate(year: 2026, month: 4, day: 2),
        ])
        #expect(timeline.count == 1)
        #expect(timeline.first?.line.startDate == ClinicalDate(year: 2023, month: 6, day: 21),
                "the later CT does not override the date the note weighed")
    }

    @Test func aDateHeaderThatLostItsIndentIsPlacedOverTheValueColumns() {
        // As OCR gives a cumulative table: the date row's leading spaces are gone.
        let text = """
        Test                     Current    Earlier      Units      Range
        14/09/2025 30/08/2025                      Interval

        Sodium                   137        131 L        mmol/L     135 - 145

        Creatinine               88         104 H        umol/L     60 - 110

        Albumin                  39         35           g/L        35 - 50

        Magnesium                0.81                    mmol/L     0.7 - 1.0
        """
        let labs = PatientProfile(facts: facts(text)).facts.compactMap { fact -> LabResult? in
            if case .lab(let lab) = fact { return lab.value }
            return nil
        }
        let current = ClinicalDate(year: 2025, month: 9, day: 14), earlier = ClinicalDate(year: 2025, month: 8, day: 30)
        #expect(labs.contains { $0.name == "sodium" && $0.value == 137 && $0.date == current }, "\(labs)")
        #expect(labs.contains { $0.name == "sodium" && $0.value == 131 && $0.date == earlier })
        #expect(labs.contains { $0.name == "albumin" && $0.value == 35 && $0.date == earlier })
        #expect(!labs.contains { $0.value == 0.81 && $0.date == earlier }, "a row with one value keeps it under its own column")
    }
}
