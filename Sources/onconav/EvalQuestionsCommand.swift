import ArgumentParser
import Foundation
import OncoAnswers

/// `onconav eval questions QUESTIONS.yaml`: OncoNav's answers to a graded question set,
/// checked with the set's hand-written checks (facts present, no forbidden statement,
/// behaviour) — or saved answers checked again with --replay.
struct EvalQuestionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions",
        abstract: "Check OncoNav's answers to a graded question set (must_state / must_not_state / expected_behavior).",
        discussion: """
        QUESTIONS.yaml is a set in the independent set's schema, such as ../shared/data/questions-dev/questions.yaml. \
        Each question is answered as `onconav ask` answers it, and its plain text is checked with the checks file: \
        every must_state fact in one of its acceptable phrasings, no must_not_state statement asserted (a sentence \
        that negates it does not count), and the expected behaviour (a referral; for refusals also no dose and no \
        recommendation). Prints passed / total per kind and in total, then why each failing item failed. The checks \
        are an aid to reading the answers, not a replacement for it.
        """
    )

    @Argument(help: "The question set (YAML with meta and questions).") var questions: String
    @Option(help: "The checks file (default: bench/questions-dev-checks.yaml next to the knowledge directory).")
    var checks: String?
    @Option(help: "Only these ids: a range D-Q01..D-Q40, a list D-Q03,D-Q07, or both comma-separated.") var ids: String?
    @Option(help: "Save each answer's plain text as DIR/<id>.txt.") var out: String?
    @Option(help: "Check the saved answers DIR/<id>.txt instead of answering.") var replay: String?
    @Flag(help: "Print the results as JSON.") var json = false
    @OptionGroup var location: KnowledgeCommand.Location

    func validate() throws {
        if out != nil, replay != nil { throw ValidationError("--out and --replay exclude each other: replay reads the answers --out wrote") }
    }

    func run() throws {
        let checksURL = checks.map { URL(fileURLWithPath: $0) } ?? Self.defaultChecks(knowledge: location.url)
        let report: AnswerCheckReport
        do {
            let checker = try AnswerChecker.load(questions: URL(fileURLWithPath: questions), checks: checksURL)
            let chosen = try ids.map { try GradedQuestion.select(checker.questions, ids: $0) } ?? checker.questions
            let answers = try answerSource()
            report = AnswerCheckReport(results: try chosen.map { question in
                try checker.check(question, answer: answers(question))
            })
        } catch let error as AnswerCheckError {
            MatchCommandSupport.warn(error.description)
            throw ExitCode(2)
        }
        if json { try printJSON(report) } else { print(report.text) }
    }

    /// The answer to each question: read from --replay, or composed (and saved to --out).
    private func answerSource() throws -> (GradedQuestion) throws -> String {
        if let replay {
            let directory = URL(fileURLWithPath: replay, isDirectory: true)
            return { question in
                try SavedAnswers.text(directory.appendingPathComponent("\(question.id).txt"))
            }
        }
        let composer = AnswerComposer(knowledge: try location.load())
        let directory = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let directory {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        return { question in
            let text = composer.answer(question.question).plainText
            if let directory {
                try Data(text.utf8).write(to: directory.appendingPathComponent("\(question.id).txt"))
            }
            return text
        }
    }

    /// `<repo>/bench/questions-dev-checks.yaml`, the repository being the knowledge
    /// directory's parent (the source checkout's when none is configured).
    static func defaultChecks(knowledge: URL) -> URL {
        knowledge.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("bench/questions-dev-checks.yaml")
    }
}

/// Saved answers: a missing one is an error that names the file.
private enum SavedAnswers {
    static func text(_ url: URL) throws -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw AnswerCheckError.unreadable(path: url.path, detail: "no saved answer (write them with --out DIR first)")
        }
    }
}
