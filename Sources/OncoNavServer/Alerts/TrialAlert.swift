import Fluent
import Foundation
import OncoMatch

/// What one background re-match found for one case: the news (trials newly fitting, newly
/// recruiting, closed, with a new site nearby; approvals newly fitting) and every other
/// line of "what changed", kept so the options page can still show them after the
/// re-match has moved the case's snapshot on. The people on the case see it there; email
/// never carries it.
public final class TrialAlert: Model, @unchecked Sendable {
    public static let schema = "trial_alerts"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "case_id") public var caseRecord: CaseRecord
    /// What changed the registry or the knowledge base: "import", "sync", "knowledge base" …
    @Field(key: "source") public var source: String
    /// `MatchNews` as JSON.
    @Field(key: "news") public var newsJSON: String
    /// The rest of `MatchDiff.lines`, as a JSON array.
    @Field(key: "lines") public var linesJSON: String
    /// The navigator task this alert opened (nil: no news worth a task, or one already open).
    @OptionalField(key: "task_id") public var taskID: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(caseID: UUID, source: String, news: MatchNews, lines: [String], taskID: UUID?, at: Date) {
        self.$caseRecord.id = caseID
        self.source = String(source.prefix(100))
        self.newsJSON = String(decoding: (try? JSONEncoder().encode(news)) ?? Data("{}".utf8), as: UTF8.self)
        self.linesJSON = String(decoding: (try? JSONEncoder().encode(lines)) ?? Data("[]".utf8), as: UTF8.self)
        self.taskID = taskID
        self.createdAt = at
    }

    public var news: MatchNews { (try? JSONDecoder().decode(MatchNews.self, from: Data(newsJSON.utf8))) ?? MatchNews() }
    public var lines: [String] { (try? JSONDecoder().decode([String].self, from: Data(linesJSON.utf8))) ?? [] }
}

extension TrialAlert {
    /// How long an alert stays under the options page's "what changed".
    static let shownFor: TimeInterval = 30 * 86_400

    /// The recent alerts of a case as lines for "what changed", newest first:
    /// "Trial registry update (import, 7 Dec 2026, 15:40 UTC): Newly fitting trial: NCT… — …".
    static func recentLines(caseID: UUID, now: Date, on db: any Database) async throws -> [String] {
        let alerts = try await TrialAlert.query(on: db).filter(\.$caseRecord.$id == caseID)
            .filter(\.$createdAt >= now.addingTimeInterval(-shownFor)).sort(\.$createdAt, .descending).limit(5).all()
        return alerts.flatMap { alert in
            let heading = "\(alert.source.contains("knowledge") ? "Knowledge base update" : "Trial registry update") (\(alert.source), \(DisplayDate.string(alert.createdAt)))"
            return (alert.news.lines + alert.lines).map { "\(heading): \($0)" }
        }
    }
}
