import OncoAnswers
import OncoKnowledge
import Testing

/// Answers for a person with a case, and the trial lookup the server plugs in.
@Suite("Personalised answers")
struct PersonalisedAnswerTests {
    let composer = RealComposer.shared

    let dlbclCase = CaseContext(
        diagnosisName: "Diffuse large B-cell lymphoma", cancerID: "dlbcl-nos", linesOfTherapy: 2,
        relapsedOrRefractory: true, age: 58,
        fittingLabels: [
            FittingLabel(productID: "kymriah", indicationID: "kymriah-us-lbcl", region: .us, allCriteriaMet: true),
            FittingLabel(productID: "yescarta", indicationID: "yescarta-us-lbcl-3l", region: .us, allCriteriaMet: false),
        ],
        unknowns: ["CD19 status"]
    )

    @Test("The case's fitting labels and unknowns are listed by region")
    func fittingLabels() throws {
        let answer = composer.answer("Which CAR-T could I get?", case: dlbclCase)
        let section = try #require(answer.sections.first { $0.kind == .yourCase })
        let text = (section.paragraphs + section.bullets).map(\.text).joined(separator: "\n")
        #expect(text.contains("Diffuse large B-cell lymphoma after 2 lines of therapy"))
        #expect(text.contains("Kymriah and Yescarta"))
        #expect(text.contains("CD19 status"))
        #expect(text.contains("some criteria still unknown"))
        #expect(!answer.inviteToUpload)
    }

    @Test("Without a cancer in the question, the case's diagnosis is used")
    func diagnosisFromCase() {
        let answer = composer.answer("Is CAR-T approved for me?", case: dlbclCase)
        #expect(answer.understanding.cancerIDs.isEmpty)
        #expect(answer.directAnswer.map(\.text).joined().contains("Yes"))
    }

    @Test("Missing case facts are named as unknown, never guessed")
    func unknownsNamed() throws {
        let answer = composer.answer("Is CAR-T approved for DLBCL?", case: CaseContext(fittingLabels: []))
        let section = try #require(answer.sections.first { $0.kind == .yourCase })
        let text = section.paragraphs.map(\.text).joined(separator: " ")
        #expect(text.contains("age"))
        #expect(text.contains("a confirmed diagnosis"))
        #expect(text.contains("no approved label that fits"))
    }

    struct FixedTrials: TrialLookup {
        func trials(cancerID: String?, modalities: [TherapyModality], region: Region?) -> TrialSummary {
            cancerID == "melanoma" ? TrialSummary(count: 2, examples: [TrialExample(nctID: "NCT00000001", title: "A TIL study")]) : TrialSummary(count: 0)
        }
    }

    @Test("With the server's trial index, the answer counts and lists trials")
    func trialLookup() {
        let composer = AnswerComposer(knowledge: RealComposer.knowledge, trials: FixedTrials())
        let text = composer.answer("Are there trials of TIL for melanoma?").plainText
        #expect(text.contains("lists 2 recruiting trials"))
        #expect(text.contains("NCT00000001"))
        #expect(composer.answer("Are there CAR-T trials for pancreatic cancer?").plainText.contains("no recruiting trial"))
    }

    @Test("A closure can stand in for the trial index")
    func trialLookupFunction() {
        let lookup = TrialLookupFunction { cancer, _, _ in TrialSummary(count: cancer == "melanoma" ? 1 : 0) }
        let composer = AnswerComposer(knowledge: RealComposer.knowledge, trials: lookup)
        #expect(composer.answer("Are there trials of TIL for melanoma?").directAnswer.first?.text.contains("lists 1 recruiting trial") == true)
    }
}
