import Fluent
import Foundation
import OncoAnswers
import OncoKnowledge
import OncoMatch
import OncoRecords
import Vapor

/// The last match report of a case, so the options page can say what changed when the
/// profile (or the trial registry) changes.
public final class MatchSnapshot: Model, @unchecked Sendable {
    public static let schema = "match_snapshots"

    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "report") public var report: String
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public init(caseID: UUID, report: String, updatedAt: Date) {
        self.caseID = caseID
        self.report = report
        self.updatedAt = updatedAt
    }
}

struct CreateMatchSnapshots: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MatchSnapshot.schema)
            .id()
            .field("case_id", .uuid, .required, .references(CaseRecord.schema, "id", onDelete: .cascade))
            .field("report", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "case_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchSnapshot.schema).delete()
    }
}

/// Runs the matcher for a case: the options page weighs every active value (pending ones are
/// shown as such in the evidence); a personalised answer only the confirmed ones. Both go
/// through `match`, so they judge labels with the same evaluator and settings.
enum CaseOptions {
    /// Which of the case's values the matcher reads.
    enum Values {
        /// Every active value, pending ones included (the options page marks them).
        case active
        /// Values a person confirmed or corrected (answers, what leaves the case).
        case confirmed
    }

    struct Result {
        let report: MatchReport
        let changes: MatchDiff?
        let stored: StoredProfile
        /// The remembered report this one replaced (`remember` only; nil the first time).
        var previous: MatchReport? = nil
    }

    static func settings(_ req: Request, region: Region?, near: String?) -> MatchSettings {
        MatchSettings(today: Day.today(req.now), region: region, near: near.flatMap { $0.isEmpty ? nil : .named($0) })
    }

    static func match(_ record: CaseRecord, settings: MatchSettings, app: Application, on db: any Database, remember: Bool,
                      values: Values = .active, trials: Bool = true) async throws -> Result {
        let caseID = try record.requireID()
        let stored = try await CaseProfiles.load(caseID: caseID, on: db)
        let matcher = Matcher(knowledge: app.knowledge, trials: trials ? app.trials.matching : nil)
        var report = matcher.match(values == .active ? stored.profile : stored.confirmedProfile, settings: settings)
        report.caseID = caseID.uuidString
        var changes: MatchDiff?
        var previousReport: MatchReport?
        if remember {
            let encoded = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            if let snapshot = try await MatchSnapshot.query(on: db).filter(\.$caseID == caseID).first() {
                if let previous = try? JSONDecoder().decode(MatchReport.self, from: Data(snapshot.report.utf8)) {
                    previousReport = previous
                    let diff = MatchReport.diff(previous, report)
                    if !diff.isEmpty { changes = diff }
                }
                if snapshot.report != encoded {
                    snapshot.report = encoded
                    snapshot.updatedAt = app.clock.now()
                    try await snapshot.save(on: db)
                }
            } else {
                try await MatchSnapshot(caseID: caseID, report: encoded, updatedAt: app.clock.now()).create(on: db)
            }
        }
        return Result(report: report, changes: changes, stored: stored, previous: previousReport)
    }

    /// What the answer composer needs to personalise: the labels that fit (every criterion
    /// met, or none failing with some unknown) and cover the case's cancer. Without a
    /// confirmed cancer none does: the matcher then keeps every cancer's labels "to check",
    /// which must not read as "fits your diagnosis".
    static func fittingLabels(_ report: MatchReport, cancerID: String?, knowledge: KnowledgeBase) -> [FittingLabel] {
        guard let cancerID else { return [] }
        return report.options.compactMap { option in
            guard let label = option.label,
                  let indication = knowledge.product(id: label.productID)?.indications.first(where: { $0.id == label.indicationID }),
                  knowledge.indication(indication, covers: cancerID) else { return nil }
            switch option.status {
            case .eligibleAllMet: return FittingLabel(productID: label.productID, indicationID: label.indicationID, region: label.region, allCriteriaMet: true)
            case .mayBeEligible: return FittingLabel(productID: label.productID, indicationID: label.indicationID, region: label.region, allCriteriaMet: false)
            default: return nil
            }
        }
    }
}
