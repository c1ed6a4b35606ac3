import Foundation
import OncoAnswers
import OncoKnowledge
import Testing

/// Answers address the asked point: the asker's own facts against the labels, unknown
/// names said to be unknown, the asker's region, refusals that keep safety facts, and
/// passages retrieved for the question's own words. Questions here are written for these
/// tests (not taken from any evaluation set).
@Suite("Focused answers")
struct FocusedAnswerTests {
    let composer = RealComposer.shared

    private func text(_ answer: Answer) -> String {
        (answer.directAnswer + answer.sections.flatMap { $0.paragraphs + $0.bullets }).map(\.text).joined(separator: "\n")
    }

    @Test("A named product whose every label misses the asker's age is not answered 'Yes', and the miss comes first")
    func namedProductMissesFirst() throws {
        let answer = composer.answer("Could my 23 year old get Tecartus in Spain? His B-ALL has relapsed twice.")
        let first = try #require(answer.directAnswer.first?.text)
        #expect(!first.hasPrefix("Yes"))
        #expect(first.contains("do not fit"))
        #expect(first.contains("Tecartus"))
        // The label that fits a 23-year-old in second relapse is named too.
        #expect(text(answer).contains("Kymriah"))
    }

    @Test("A product is judged per region: one fitting label there is enough, and misses of its other labels are not listed")
    func perRegionOutcome() throws {
        let answer = composer.answer("I'm 64 and my large B-cell lymphoma came back 5 months after R-CHOP. Can I get Yescarta in the US?")
        let first = try #require(answer.directAnswer.first(where: { $0.text.hasPrefix("For you") })?.text)
        #expect(first.contains("Yescarta (the US)"))
        // Yescarta's third-line label misses, but its second-line label fits: Yescarta is not among the misses.
        let misses = first.components(separatedBy: "do not fit").dropFirst().joined()
        #expect(!misses.contains("Yescarta"))
    }

    @Test("An invented product name with a cell-therapy stem is said to be unknown, written with or without a hyphen")
    func unknownINN() {
        for question in ["Is zorvalimogene approved for liver cancer?", "Has Hepatrix-cel been approved for liver cancer?"] {
            let answer = composer.answer(question)
            #expect(answer.directAnswer.first?.text.contains("has no record of a product called") == true, "\(question)")
            #expect(!text(answer).hasPrefix("Yes"), "\(question)")
        }
    }

    @Test("Monitoring rules follow the region asked about; a US-only rule is never given for Europe")
    func regionalMonitoring() {
        let answer = composer.answer("After Breyanzi in France, how long must I stay near the hospital and when can I drive?")
        let all = text(answer)
        #expect(all.contains("four weeks"))
        #expect(all.contains("eight weeks"))
        #expect(!all.contains("the US label asks people to stay near the treating centre for at least 2 weeks"))
    }

    @Test("A refused dose keeps the safety-critical facts: the call-now signs and the product's boxed warning")
    func refusalKeepsSafety() throws {
        let answer = composer.answer("How much tocilizumab should my wife be given after Carvykti?")
        #expect(answer.understanding.concern == .dosing)
        #expect(answer.directAnswer.first?.text.contains("cannot give doses") == true)
        let safety = try #require(answer.sections.first { $0.kind == .sideEffects })
        #expect(safety.bullets.contains { $0.text.contains("24-hour number now") })
        #expect(safety.bullets.contains { $0.text.contains("boxed warning") && $0.text.hasPrefix("Carvykti") })
        #expect(safety.bullets.allSatisfy { !$0.citations.isEmpty })
    }

    @Test("A question about how a treatment works leads with how it works, not with a list of approvals")
    func mechanismFirst() throws {
        let answer = composer.answer("My aunt's myeloma doctor talked about CAR-T. What do they do with her blood cells?")
        let first = try #require(answer.directAnswer.first?.text)
        #expect(first.contains("apheresis"))
        #expect(!first.contains("is approved in"))
    }

    @Test("Passages come from the knowledge base, cited, and none repeats within an answer")
    func noRepeats() {
        for question in ["What is lymphodepletion?", "Is gene therapy the same as cell therapy? What is Yescarta?",
                         "Does CAR-T therapy harm healthy cells?", "Why is CAR-T harder for solid tumours like bowel cancer?"] {
            let answer = composer.answer(question)
            let statements = answer.directAnswer + answer.sections.flatMap { $0.paragraphs + $0.bullets }
            let texts = statements.map(\.text)
            #expect(Set(texts).count == texts.count, "\(question)")
            // Statements of absence ("No CAR-T is approved for …") come from the whole knowledge base, not one source.
            #expect(answer.directAnswer.allSatisfy { !$0.citations.isEmpty || $0.text.hasPrefix("OncoNav") || $0.text.hasPrefix("No ") }, "\(question)")
        }
    }

    @Test("A word like 'fit' in 'I am fit' is not an emergency")
    func fitIsNotASeizure() {
        let answer = composer.answer("I'm 70 and fit. My mantle cell lymphoma came back after ibrutinib. Is Tecartus approved for me in the US?")
        #expect(answer.understanding.concern != .urgentSymptoms)
    }
}
