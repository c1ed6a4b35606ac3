import Fluent
import Foundation
import OncoAnswers
import OncoKnowledge
import OncoMatch
import OncoRecords
import Vapor

/// The "Ask" box: answers composed from the knowledge base (and the asker's own confirmed
/// record when asked from a case). `GET /ask?q=` is a shareable page; a case's answers live
/// at `/cases/:caseID/ask?q=` behind the case's access check.
enum AskController {
    static let maximumQuestionLength = 500

    static func register(_ routes: any RoutesBuilder) {
        routes.get("ask", use: askPage).access(.anyone)
        routes.get("cases", ":caseID", "ask", use: askForCase).access(.signedIn)
    }

    static func registerAPI(_ api: any RoutesBuilder) {
        api.post("ask", use: askAPI).access(.anyone)
    }

    struct StatementView: Encodable, Sendable {
        let text: String
        let citations: [Int]
        let hasCitations: Bool
    }

    struct SectionView: Encodable, Sendable {
        let title: String
        let paragraphs: [StatementView]
        let bullets: [StatementView]
        let hasBullets: Bool
    }

    struct CitationView: Encodable, Sendable {
        let number: Int
        let title: String
        let publisher: String
        let url: String
        let accessed: String?
    }

    struct RelatedView: Encodable, Sendable {
        let question: String
        let link: String
    }

    struct AnswerPage: Encodable, Sendable {
        let question: String
        let hasQuestion: Bool
        let kind: String
        let direct: [StatementView]
        let sections: [SectionView]
        let citations: [CitationView]
        let hasCitations: Bool
        let related: [RelatedView]
        let hasRelated: Bool
        let disclaimer: String
        let inviteToUpload: Bool
        let signedIn: Bool
        let caseID: String?
        let caseTitle: String?
        let shareLink: String
        let examples: [RelatedView]
        /// The compare page's picture, for answers about how the families differ.
        let diagramLink: String?
    }

    static let examples = [
        "How does CAR-T work for lung cancer?", "Is there a gene therapy for bladder cancer?",
        "Can I get CAR-T if I relapsed after a transplant?", "What is CRS?", "Is Carvykti approved in the EU?",
    ]

    static func link(_ question: String, caseID: String? = nil) -> String {
        let encoded = question.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return caseID.map { "/cases/\($0)/ask?q=\(encoded)" } ?? "/ask?q=\(encoded)"
    }

    static func question(from req: Request) throws -> String? {
        guard let raw = try? req.query.get(String.self, at: "q") else { return nil }
        let question = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if question.isEmpty { return nil }
        guard question.count <= maximumQuestionLength else {
            throw AppError.badRequest("Please keep the question under \(maximumQuestionLength) characters.")
        }
        return question
    }

    static func page(for answer: Answer?, question: String, req: Request, caseRecord: CaseRecord?) throws -> AnswerPage {
        let caseID = caseRecord?.id?.uuidString
        var numbers: [String: Int] = [:]
        for (index, citation) in (answer?.citations ?? []).enumerated() { numbers[citation.id] = index + 1 }
        func view(_ statement: Statement) -> StatementView {
            let cited = statement.citations.compactMap { numbers[$0] }
            return StatementView(text: statement.text, citations: cited, hasCitations: !cited.isEmpty)
        }
        return AnswerPage(
            question: question, hasQuestion: answer != nil, kind: answer?.kind.rawValue ?? "",
            direct: (answer?.directAnswer ?? []).map(view),
            sections: (answer?.sections ?? []).map { section in
                // With no registry imported, "no recruiting trial at the moment" would be
                // untrue: nothing was searched. Say so, and how it gets fixed.
                if section.kind == .trials, req.application.trials.snapshot.count == 0 {
                    return SectionView(title: section.title, paragraphs: [StatementView(text: noRegistryText, citations: [], hasCitations: false)], bullets: [], hasBullets: false)
                }
                // Trials named from the bundled sample are labelled as such.
                let sample = section.kind == .trials ? req.application.registrySampleNotice.label.map { [StatementView(text: "\($0).", citations: [], hasCitations: false)] } ?? [] : []
                return SectionView(title: section.title, paragraphs: sample + section.paragraphs.map(view), bullets: section.bullets.map(view), hasBullets: !section.bullets.isEmpty)
            },
            citations: (answer?.citations ?? []).enumerated().map { CitationView(number: $0.offset + 1, title: $0.element.title, publisher: $0.element.publisher, url: $0.element.url, accessed: $0.element.accessed) },
            hasCitations: !(answer?.citations ?? []).isEmpty,
            related: (answer?.relatedQuestions ?? []).map { RelatedView(question: $0, link: link($0, caseID: caseID)) },
            hasRelated: !(answer?.relatedQuestions ?? []).isEmpty,
            disclaimer: answer?.disclaimer ?? "",
            inviteToUpload: (answer?.inviteToUpload ?? false) && caseRecord == nil,
            signedIn: req.currentUser != nil,
            caseID: caseID, caseTitle: caseRecord?.title,
            shareLink: link(question),
            examples: examples.map { RelatedView(question: $0, link: link($0, caseID: caseID)) },
            diagramLink: answer.flatMap { $0.kind == .answer && TherapyDiagram.isAboutTheDifference($0.understanding) ? TherapyDiagram.link : nil })
    }

    static let noRegistryText = "No trial registry is loaded in this OncoNav yet, so it cannot tell which trials are recruiting. An administrator imports ClinicalTrials.gov records on the Import trials page or with `onconav trials import`; until then, search ClinicalTrials.gov directly and bring what you find to your care team."

    static func askPage(req: Request) async throws -> Response {
        let question = try question(from: req)
        let answer = question.map { req.application.answerComposer.answer($0) }
        if let answer { logAnswer(req, answer) }
        return try await req.page("ask/answer", title: question.map { "Ask: \($0)" } ?? "Ask a question",
                                  content: try page(for: answer, question: question ?? "", req: req, caseRecord: nil))
    }

    static func askForCase(req: Request) async throws -> Response {
        let record = try await CaseAccess.load(req, caseID: req.parameters.get("caseID"), for: .read)
        let question = try question(from: req)
        var answer: Answer?
        if let question {
            let context = try await caseContext(for: record, req: req)
            answer = req.application.answerComposer.answer(question, case: context)
            try await AuditLog.record(req, action: .read, objectType: "personalised-answer", objectID: nil, caseID: record.id)
            logAnswer(req, answer!)
        }
        return try await req.page("ask/answer", title: question.map { "Ask: \($0)" } ?? "Ask about this case",
                                  content: try page(for: answer, question: question ?? "", req: req, caseRecord: record))
    }

    /// Logs what kind of answer was given, never the question (it can hold health data).
    static func logAnswer(_ req: Request, _ answer: Answer) {
        req.logger.info("answered", metadata: ["kind": .string(answer.kind.rawValue), "intents": .string(answer.understanding.intents.map(\.rawValue).joined(separator: ","))])
    }

    struct AskDTO: Content {
        let question: String
        /// Personalise from this case (needs a token with access to it).
        let caseID: UUID?
    }

    static func askAPI(req: Request) async throws -> Response {
        let answer = try await answerFromAPI(req)
        let response = Response(status: .ok)
        try response.content.encode(answer, as: .json)
        return response
    }

    static func answerFromAPI(_ req: Request) async throws -> Answer {
        let input = try req.content.decode(AskDTO.self)
        let question = input.question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty, question.count <= maximumQuestionLength else {
            throw AppError.badRequest("`question` must be 1 to \(maximumQuestionLength) characters.")
        }
        guard let caseID = input.caseID else { return req.application.answerComposer.answer(question) }
        guard req.currentUser != nil else { throw AppError.signInRequired }
        let record = try await CaseAccess.load(req, caseID: caseID.uuidString, for: .read)
        try await AuditLog.record(req, action: .read, objectType: "personalised-answer", objectID: nil, caseID: record.id)
        return req.application.answerComposer.answer(question, case: try await caseContext(for: record, req: req))
    }

    /// The case as the answer composer sees it: confirmed values only, so an answer never
    /// rests on a reading nobody has checked, judged by the options page's own matcher run
    /// (`CaseOptions.match`, the same label evaluator) and limited to the case's cancer.
    static func caseContext(for record: CaseRecord, req: Request) async throws -> CaseContext {
        try await caseContext(for: record, app: req.application, on: req.db, now: req.now)
    }

    static func caseContext(for record: CaseRecord, app: Application, on db: any Database, now: Date) async throws -> CaseContext {
        let result = try await CaseOptions.match(record, settings: MatchSettings(today: Day.today(now)), app: app, on: db,
                                                 remember: false, values: .confirmed, trials: false)
        let confirmed = result.stored.confirmedProfile
        var context = CaseContextBuilder.context(from: confirmed, knowledge: app.knowledge, today: now)
        context.fittingLabels = CaseOptions.fittingLabels(result.report, cancerID: context.cancerID, knowledge: app.knowledge)
        context.unknowns = Array((result.report.toDo.map(\.action) + context.unknowns).prefix(8))
        context.usedValues = CaseContextBuilder.usedValues(confirmed)
        context.pendingValues = result.stored.rows.values.filter { $0.reviewState == .pending }.count
        return context
    }
}

extension OncoNavApp {
    /// `onconav ask --case ID`: a personalised answer for an operator on the server, written
    /// to the audit log as a command-line read of the case.
    /// nil when no case has that id.
    public static func answer(_ app: Application, question: String, caseID raw: String) async throws -> Answer? {
        guard let caseID = UUID(uuidString: raw), let record = try await CaseRecord.find(caseID, on: app.db) else { return nil }
        try await AuditEvent(actorID: nil, actorEmail: "command line", actorRole: nil, action: .read, objectType: "personalised-answer",
                             objectID: nil, caseID: caseID, outcome: .allowed, clientAddress: "local", occurredAt: app.clock.now()).create(on: app.db)
        let context = try await AskController.caseContext(for: record, app: app, on: app.db, now: app.clock.now())
        return app.answerComposer.answer(question, case: context)
    }
}

/// Fills `CaseContext` from a confirmed profile.
enum CaseContextBuilder {
    static func context(from profile: PatientProfile, knowledge: KnowledgeBase, today: Date) -> CaseContext {
        var context = CaseContext()
        if let diagnosis = profile.primaryCancer, !diagnosis.isNegated {
            context.diagnosisName = diagnosis.value.cancer.text
            context.cancerID = diagnosis.value.cancer.conceptID.flatMap { knowledge.cancer(id: $0)?.id } ?? knowledge.cancer(named: diagnosis.value.cancer.text)?.id
        }
        let systemic = profile.treatmentLines.filter { $0.isActive && !$0.isNegated && $0.value.kind == .systemic }
        if !systemic.isEmpty {
            let numbered = systemic.compactMap(\.value.lineNumber).max()
            context.linesOfTherapy = max(numbered ?? 0, systemic.count)
            if systemic.contains(where: { $0.value.refractory == true || $0.value.relapseDate != nil }) { context.relapsedOrRefractory = true }
        }
        if let birth = PatientProfile.preferred(profile.birthDates)?.value {
            let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: today)
            let (year, month, day) = (parts.year ?? 0, parts.month ?? 1, parts.day ?? 1)
            let notYet = birth.month.map { $0 > month || ($0 == month && (birth.day ?? 1) > day) } ?? false
            context.age = year - birth.year - (notYet ? 1 : 0)
        } else if let age = PatientProfile.preferred(profile.ages)?.value.value {
            context.age = age
        }
        context.unknowns = CaseSummary(profile: profile).unknowns
        return context
    }

    /// The confirmed values an answer rests on, as the case summary words them
    /// ("Primary cancer: diffuse large B-cell lymphoma"), first twelve.
    static func usedValues(_ confirmed: PatientProfile) -> [String] {
        let lines = CaseSummary(profile: confirmed).sections.flatMap(\.lines)
        return Array(lines.compactMap { line in line.value.map { "\(line.label): \($0)" } }.prefix(12))
    }
}

extension Application {
    private struct ComposerKey: StorageKey { typealias Value = AnswerComposer }

    /// Built once (its lookup tables take a few milliseconds); answers then take well under one.
    var answerComposer: AnswerComposer {
        get {
            guard let composer = storage[ComposerKey.self] else { fatalError("configure(_:config:) has not run") }
            return composer
        }
        set { storage[ComposerKey.self] = newValue }
    }
}

/// Trials for answers, from the imported registry's index: recruiting studies of the
/// cancer (subtypes included) and modality.
struct IndexTrialLookup: TrialLookup {
    let catalog: TrialCatalog

    func trials(cancerID: String?, modalities: [TherapyModality], region: Region?) -> TrialSummary {
        var query = TrialQuery()
        query.conditionConcept = cancerID
        query.modalities = Set(modalities)
        query.overallStatuses = ["RECRUITING", "NOT_YET_RECRUITING"]
        let results = catalog.snapshot.search(query, limit: 5)
        return TrialSummary(count: results.totalMatches, examples: [])
    }
}
