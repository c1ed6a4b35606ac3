import ArgumentParser
import Foundation
import OncoAnswers
import OncoKnowledge
import OncoNavServer

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
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        if let caseID {
            // The case's confirmed values and label matches, read from the server's database
            // (the read is written to the audit log).
            try await CommandSupport.withApp(storage) { app in
                guard let answer = try await OncoNavApp.answer(app, question: question, caseID: caseID) else {
                    FileHandle.standardError.write(Data("No case with the id \(caseID.prefix(40)) in this data directory (see `onconav serve`'s data directory, or --data-dir).\n".utf8))
                    throw ExitCode(65)
                }
                print(try render(answer))
            }
            return
        }
        print(try render(AnswerComposer(knowledge: try location.load()).answer(question)))
    }

    func render(_ answer: Answer) throws -> String {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(answer), as: UTF8.self)
        }
        return answer.plainText
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
