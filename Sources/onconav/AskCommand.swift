import ArgumentParser
import Foundation
import OncoAnswers
import OncoKnowledge

/// `onconav ask "<question>"`: a structured, cited answer from the knowledge base.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the knowledge base, with sources (informs; never advises)."
    )

    @Argument(help: "The question, in your own words.") var question: String
    @Flag(help: "Print the answer as JSON.") var json = false
    @Option(name: .customLong("case"), help: "Personalise with a case's profile and label matches (needs the server's data directory).")
    var caseID: String?
    @OptionGroup var location: KnowledgeCommand.Location

    func run() async throws {
        if let caseID {
            // Reading a case needs the server database and the matcher; the server wires this
            // by building a `CaseContext` and calling `AnswerComposer.answer(_:case:)`.
            FileHandle.standardError.write(Data("--case \(caseID): personalised answers need the server's data directory and are not wired into the command line yet. Ask without --case, or use the case page.\n".utf8))
            throw ExitCode(64)
        }
        let composer = AnswerComposer(knowledge: try location.load())
        let answer = composer.answer(question)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(answer), as: UTF8.self))
        } else {
            print(answer.plainText)
        }
    }
}

/// `onconav bench ask`: per-answer latency over sample or given questions.
struct BenchAsk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Latency of composing answers (p50/p95); build with -c release."
    )

    @Option(help: "A file of questions, one a line (default: built-in samples).") var questions: String?
    @Option(help: "How many times to answer each question.") var iterations = 50
    @OptionGroup var location: KnowledgeCommand.Location

    func run() throws {
        let list: [String]
        if let questions {
            list = try String(contentsOfFile: questions, encoding: .utf8)
                .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } else {
            list = AnswerBenchmark.sampleQuestions
        }
        let result = AnswerBenchmark.run(knowledge: try location.load(), questions: list, iterations: iterations)
        print(result.summary)
    }
}
