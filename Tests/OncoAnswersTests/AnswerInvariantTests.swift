import Foundation
import OncoAnswers
import OncoKnowledge
import Testing

/// Properties every answer has, whatever the question.
@Suite("Answer invariants")
struct AnswerInvariantTests {
    let composer = RealComposer.shared
    let kb = RealComposer.knowledge

    @Test("Every cited id is a knowledge-base source with an address, listed once in citations", arguments: QuestionCase.all)
    func citationsResolve(_ item: QuestionCase) {
        let answer = composer.answer(item.question)
        let cited = Set((answer.directAnswer + answer.sections.flatMap { $0.paragraphs + $0.bullets }).flatMap(\.citations))
        #expect(Set(answer.citations.map(\.id)) == cited)
        for citation in answer.citations {
            #expect(kb.source(id: citation.id) != nil)
            #expect(citation.url.hasPrefix("http"))
        }
        #expect(!answer.disclaimer.isEmpty)
        #expect(!answer.directAnswer.isEmpty)
    }

    @Test("Refusals carry no medical sections or citations, except referrals that go on to inform")
    func refusalsStayShort() {
        let informing: Set<Concern> = [.personalDecision, .urgentSymptoms]
        for item in QuestionCase.all where item.kind == .refusal && !informing.contains(item.concern ?? .outOfScope) {
            let answer = composer.answer(item.question)
            // A refused dose or treatment change keeps only the safety-critical facts, sourced.
            #expect(answer.sections.allSatisfy { $0.kind == .sideEffects }, "\(item.question)")
            #expect(answer.sections.flatMap(\.bullets).allSatisfy { !$0.citations.isEmpty }, "\(item.question)")
            if answer.sections.isEmpty { #expect(answer.citations.isEmpty, "\(item.question)") }
        }
    }

    @Test("Urgent symptoms put the call to the care team before anything else")
    func urgentFirst() throws {
        let answer = composer.answer("My husband has a fever and confusion after his CAR-T")
        #expect(answer.understanding.concern == .urgentSymptoms)
        let first = try #require(answer.directAnswer.first)
        #expect(first.text.contains("24-hour number now"))
        #expect(first.text.contains("emergency services"))
    }

    @Test("The same question gives the same answer")
    func deterministic() {
        for item in QuestionCase.all.prefix(20) {
            #expect(composer.answer(item.question) == composer.answer(item.question))
        }
    }

    @Test("Answers encode as JSON and decode back unchanged")
    func codableRoundTrip() throws {
        let answer = composer.answer("Is Kymriah approved in China?")
        let data = try JSONEncoder().encode(answer)
        #expect(try JSONDecoder().decode(Answer.self, from: data) == answer)
    }

    @Test("A visitor without a case is invited to upload records; a case holder is not")
    func inviteToUpload() {
        #expect(composer.answer("What is CRS?").inviteToUpload)
        #expect(!composer.answer("What is CRS?", case: CaseContext()).inviteToUpload)
    }

    @Test("Answer latency stays well under the 20 ms budget")
    func latency() {
        let result = AnswerBenchmark.run(knowledge: kb, questions: QuestionCase.all.map(\.question), iterations: 2)
        // Debug builds are several times slower than release; the budget is for release.
        #expect(result.p50Milliseconds < 100, "\(result.summary)")
    }
}
