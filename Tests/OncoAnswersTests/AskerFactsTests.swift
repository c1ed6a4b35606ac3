import Foundation
@testable import OncoAnswers
import OncoKnowledge
import Testing

/// The asker's facts as questions state them (a relative as the patient, an age in
/// apposition, a generic first-line treatment, a temperature reading) and approvals the
/// knowledge base could not check at a primary source. Questions are written for these
/// tests, not taken from any evaluation set.
@Suite("Asker facts and unchecked approvals")
struct AskerFactsTests {
    let composer = RealComposer.shared

    private func text(_ answer: Answer) -> String {
        (answer.directAnswer + answer.sections.flatMap { $0.paragraphs + $0.bullets }).map(\.text).joined(separator: "\n")
    }

    private func personal(_ answer: Answer) -> String {
        answer.sections.first { $0.title.lowercased().hasPrefix("for you") }.map { ($0.paragraphs + $0.bullets).map(\.text).joined(separator: "\n") } ?? ""
    }

    @Test("A temperature reading at fever level after a cell therapy is urgent, with or without the word 'fever'")
    func temperatureReading() throws {
        for question in ["My wife had Kymriah 4 days ago and the thermometer says 38.6 °C. Can this wait until tomorrow?",
                         "Dad got Abecma last week, his temp is 101.2F tonight"] {
            let first = try #require(composer.answer(question).directAnswer.first?.text)
            #expect(first.hasPrefix("Call the treatment centre's 24-hour number now"), "\(question)")
            #expect(text(composer.answer(question)).contains("38 °C / 100.4 °F"))
        }
        // A normal reading, or an age, is not an emergency.
        for question in ["Is 36.9 C a normal temperature reading after Kymriah?", "I'm 38 and had Kymriah two years ago. Can I travel?"] {
            let first = composer.answer(question).directAnswer.first?.text ?? ""
            #expect(!first.hasPrefix("Call the treatment centre"), "\(question)")
        }
    }

    @Test("A question about a relative reads the relative's facts as the patient's, not as family history")
    func relativeIsThePatient() {
        let answer = composer.answer("My uncle, 69, has DLBCL that relapsed after R-CHOP and then R-ICE. Which CAR-T could he get in the US?")
        let check = personal(answer)
        #expect(!check.contains("Not settled by what you wrote: at least 2 prior lines"))
        #expect(check.contains("at least 2 prior lines of systemic therapy"))
        #expect(!check.contains("age 18 years or older.") || check.contains("meets"))
        // The asker's own illness first: a relative mentioned afterwards stays family history.
        #expect(QuestionFacts.asPatientText("I have DLBCL and my mother had breast cancer.") == "I have DLBCL and my mother had breast cancer.")
        #expect(QuestionFacts.asPatientText("My mother has DLBCL.") == "My        has DLBCL.")
    }

    @Test("A relapse some months after a generic first-line treatment decides the early-relapse rule")
    func genericFirstLine() {
        let answer = composer.answer("I'm 57 with large B-cell lymphoma; it came back 9 months after I finished my first chemo. Is Yescarta possible in the US?")
        let check = personal(answer)
        #expect(!check.contains("Not settled by what you wrote: at least 1 prior line"))
        #expect(!check.contains("refractory to, or relapsed within 12 months of, first-line chemoimmunotherapy."), "the timing rule is decided")
    }

    @Test("A product the knowledge base holds without a checked approval is never answered 'No'")
    func uncheckedApprovalIsNotANo() throws {
        let kb = RealComposer.knowledge
        let products = kb.products.filter { $0.indications.isEmpty }
        try #require(!products.isEmpty, "the knowledge base holds products known from trials only")
        for product in products {
            let answer = composer.answer("Is \(product.brand) approved yet?")
            let all = text(answer)
            let first = answer.directAnswer.first?.text ?? ""
            let opensWithNo = first.hasPrefix("No.") || first.hasPrefix("No,") || first.hasPrefix("No ")
            #expect(!opensWithNo, "\(product.brand): \(first)")
            #expect(all.contains("that it could check against a regulator's own documents"), "\(product.brand)")
            #expect(!all.contains("in ."), "no empty list of places")
        }
    }

    @Test("A time span is not an age, and a modal question about someone getting a product gets the personal check")
    func spansAndModals() {
        let answer = composer.answer("My aunt is 74 and her DLBCL came back 2 years after R-CHOP. She is too frail for a transplant. Could she get Breyanzi in the US?")
        let check = personal(answer)
        #expect(!check.contains("you gave age 2"))
        #expect(!check.isEmpty, "the modal question is an eligibility question")
        #expect(answer.directAnswer.contains { $0.text.contains("every rule stated on the label fits what you wrote for Breyanzi") })
    }

    @Test("A refusal to change treatment during the manufacturing wait still explains bridging treatment")
    func bridgingInRefusal() throws {
        let answer = composer.answer("Can I quit my lenalidomide while I wait for my Carvykti cells to be made?")
        let first = try #require(answer.directAnswer.first?.text)
        #expect(first.contains("cannot tell anyone to stop, start, skip or change a treatment"))
        #expect(text(answer).contains("Bridging therapy"))
        // Without the wait, no bridging paragraph.
        #expect(!text(composer.answer("Should I stop taking my lenalidomide?")).contains("Bridging therapy"))
    }

    @Test("Confusion described in the ICE score's terms after a cell therapy is urgent even with a normal temperature")
    func iceSignsAreUrgent() throws {
        let first = try #require(composer.answer("My husband had Breyanzi a week ago. This evening he can't name simple things and doesn't know where he is. His temperature is 36.8. Can we wait for the clinic?").directAnswer.first?.text)
        #expect(first.hasPrefix("Call the treatment centre's 24-hour number now"))
    }

    @Test("A prior drug the asker says they never took does not meet a required-prior-therapy rule")
    func neverTakenIsNotTaken() throws {
        let first = try #require(composer.answer("BRAF V600E melanoma, spread to the liver. Pembrolizumab stopped working and I haven't taken any BRAF or MEK pills like Tafinlar. Can I get Amtagvi in the US?").directAnswer.first { $0.text.hasPrefix("For you") }?.text)
        #expect(first.contains("do not fit"))
        #expect(first.contains("BRAF inhibitor"))
    }
}
