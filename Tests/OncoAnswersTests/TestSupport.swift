import Foundation
import OncoAnswers
import OncoKnowledge
import Testing

/// The repository's real knowledge base and this target's fixtures, found from this
/// file's path (symlinks resolved) so tests run from any working directory.
enum AnswersTestPaths {
    static let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let repoRoot = here.deletingLastPathComponent().deletingLastPathComponent()
    static let knowledge = repoRoot.appendingPathComponent("knowledge")
    static let questions = here.appendingPathComponent("Fixtures/questions.json")
}

/// One composer over the real knowledge base for all tests (both are immutable).
enum RealComposer {
    static let knowledge: KnowledgeBase = {
        do { return try KnowledgeBase.load(directory: AnswersTestPaths.knowledge) } catch {
            fatalError("knowledge/ failed to load: \(error)")
        }
    }()
    static let shared = AnswerComposer(knowledge: knowledge)
}

/// A question of the quality suite with what its answer must and must not say.
struct QuestionCase: Codable, Sendable, CustomTestStringConvertible {
    var question: String
    var kind: AnswerKind
    var mustSay: [String]?
    var directMustSay: [String]?
    var mustNotSay: [String]?
    var cancer: String?
    var product: String?
    var region: Region?
    var concern: Concern?
    var intent: QuestionIntent?
    var note: String?

    var testDescription: String { question }

    static let all: [QuestionCase] = {
        struct File: Codable { var questions: [QuestionCase] }
        do {
            let data = try Data(contentsOf: AnswersTestPaths.questions)
            return try JSONDecoder().decode(File.self, from: data).questions
        } catch {
            fatalError("Fixtures/questions.json could not be read: \(error)")
        }
    }()

    /// Every way the answer falls short of this case; empty when it passes.
    func problems(in answer: Answer) -> [String] {
        var problems: [String] = []
        // Statements only: source titles and addresses are not what the answer says.
        let text = (answer.directAnswer + answer.sections.flatMap { $0.paragraphs + $0.bullets })
            .map(\.text).joined(separator: "\n").lowercased()
        let direct = answer.directAnswer.map(\.text).joined(separator: " ").lowercased()
        let u = answer.understanding
        if answer.kind != kind { problems.append("kind \(answer.kind.rawValue), expected \(kind.rawValue)") }
        for phrase in mustSay ?? [] where !text.contains(phrase.lowercased()) { problems.append("does not say \"\(phrase)\"") }
        for phrase in directMustSay ?? [] where !direct.contains(phrase.lowercased()) { problems.append("direct answer does not say \"\(phrase)\"") }
        for phrase in (mustNotSay ?? []) + Self.neverSay where text.contains(phrase.lowercased()) { problems.append("says \"\(phrase)\"") }
        if let cancer, u.cancerIDs.first != cancer { problems.append("cancer \(u.cancerIDs), expected \(cancer)") }
        if let product, !u.productIDs.contains(product) { problems.append("products \(u.productIDs), expected \(product)") }
        if let region, !u.regions.contains(region) { problems.append("regions \(u.regions), expected \(region.rawValue)") }
        if let concern, u.concern != concern { problems.append("concern \(String(describing: u.concern)), expected \(concern.rawValue)") }
        if let intent, !u.intents.contains(intent) { problems.append("intents \(u.intents.map(\.rawValue)), expected \(intent.rawValue)") }
        return problems
    }

    /// Advice OncoNav never gives, whatever the question.
    static let neverSay = ["you should", "i recommend", "we recommend", "you are eligible", "stop taking"]
}
