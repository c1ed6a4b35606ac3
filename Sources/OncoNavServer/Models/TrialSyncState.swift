import Fluent
import Foundation

/// The resumable cursor of the ClinicalTrials.gov sync, one row per scope (condition/term
/// query). A run starts from `watermark` (the day the last completed run began) and pages on
/// with `pageToken`; both are saved after every stored page, so an interrupted run is
/// resumed by the next one and nothing already stored is fetched again.
public final class TrialSyncState: Model, @unchecked Sendable {
    public static let schema = "trial_sync_state"

    @ID(key: .id) public var id: UUID?
    @Field(key: "scope") public var scope: String
    /// `YYYY-MM-DD`: studies updated on or after this day are fetched by the next run.
    @OptionalField(key: "watermark") public var watermark: String?
    /// The lower bound of the run in progress (nil when none is), and its page token.
    @OptionalField(key: "run_since") public var runSince: String?
    @OptionalField(key: "page_token") public var pageToken: String?
    /// The day the run in progress began: the watermark once it completes.
    @OptionalField(key: "run_day") public var runDay: String?
    /// Counts of the current (or last) run, across resumptions.
    @Field(key: "pages") public var pages: Int
    @Field(key: "fetched") public var fetched: Int
    @Field(key: "stored") public var stored: Int
    @Field(key: "skipped") public var skipped: Int
    @Field(key: "failed") public var failed: Int
    /// Faults met and handled (retried) in the current run: malformed pages, 429s, timeouts, dropped connections.
    @Field(key: "faults") public var faults: Int
    /// What the registry reported as the scope's size on the run's first page.
    @OptionalField(key: "total_count") public var totalCount: Int?
    /// Records that could not be read, one per line (NCT ID and reason; registry data, no health data).
    @OptionalField(key: "failures") public var failures: String?
    @OptionalField(key: "last_error") public var lastError: String?
    /// `completed`, `interrupted` or `running`.
    @OptionalField(key: "last_outcome") public var lastOutcome: String?
    @OptionalField(key: "last_run_started") public var lastRunStarted: Date?
    @OptionalField(key: "last_run_finished") public var lastRunFinished: Date?
    @OptionalField(key: "last_completed") public var lastCompleted: Date?
    @OptionalField(key: "next_run") public var nextRun: Date?
    /// One run at a time across processes: the holder's id and until when it holds the lease.
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_until") public var leaseUntil: Date?

    public init() {}

    init(scope: String) {
        self.scope = scope
        pages = 0; fetched = 0; stored = 0; skipped = 0; failed = 0; faults = 0
    }
}
