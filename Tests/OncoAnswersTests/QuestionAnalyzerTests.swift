import OncoAnswers
import OncoKnowledge
import Testing

/// How questions are read: names, misspellings, abbreviations, places, intents.
@Suite("Question analyzer")
struct QuestionAnalyzerTests {
    let analyzer = RealComposer.shared.analyzer

    @Test("Brand, generic and short names all find the product")
    func productNames() {
        for name in ["Kymriah", "tisagenlecleucel", "tisa-cel", "CTL019"] {
            #expect(analyzer.analyze("What is \(name)?").productIDs == ["kymriah"], "\(name)")
        }
    }

    @Test("A small misspelling of a long name is forgiven and reported")
    func misspelling() {
        let u = analyzer.analyze("Does kymria work for multiple myelomma?")
        #expect(u.productIDs == ["kymriah"])
        #expect(u.cancerIDs == ["multiple-myeloma"])
        #expect(!u.corrections.isEmpty)
    }

    @Test("Everyday words that are also abbreviations count only in capitals")
    func capitalsOnly() {
        #expect(analyzer.analyze("Are all CAR-T products approved for us?").cancerIDs.isEmpty)
        #expect(analyzer.analyze("Are all CAR-T products approved for us?").regions.isEmpty)
        #expect(analyzer.analyze("CAR-T for ALL in the US").cancerIDs == ["acute-lymphoblastic-leukaemia"])
        #expect(analyzer.analyze("CAR-T for ALL in the US").regions == [.us])
    }

    @Test("The more specific of two named cancers comes first")
    func mostSpecific() {
        #expect(analyzer.analyze("lymphoma, specifically DLBCL").cancerIDs == ["dlbcl-nos"])
    }

    @Test("A question may carry several intents")
    func severalIntents() {
        let u = analyzer.analyze("Is CAR-T approved for myeloma and what are the side effects?")
        #expect(u.intents.contains(.approval))
        #expect(u.intents.contains(.sideEffects))
    }

    @Test("A transplant already had is history, not a treatment asked about")
    func priorTransplant() {
        #expect(!analyzer.analyze("Can I get CAR-T if I relapsed after a transplant?").modalities.contains(.transplant))
        #expect(analyzer.analyze("Is a stem cell transplant used for AML?").modalities.contains(.transplant))
    }

    @Test("Reported claims are flagged so the answer checks them")
    func claims() {
        #expect(analyzer.analyze("My doctor said Kymriah works for lung cancer").reportsClaim)
        #expect(!analyzer.analyze("Does Kymriah work for lung cancer?").reportsClaim)
    }
}
