import Fluent
import Foundation

/// The bundled sample of registry records imported on a first start (at most one row). While
/// it exists the trial pages say they show a sample; a completed sync or import deletes the
/// sample studies it did not confirm, then this row.
public final class TrialSampleState: Model, @unchecked Sendable {
    public static let schema = "trial_sample_state"

    @ID(key: .id) public var id: UUID?
    /// The NCT IDs of the sample, comma-separated.
    @Field(key: "nct_ids") public var nctIDs: String
    /// Sample studies the live registry has since sent (kept when the sample is replaced), comma-separated.
    @Field(key: "confirmed_ids") public var confirmedIDs: String
    /// The day the sample's records were retrieved from ClinicalTrials.gov (`YYYY-MM-DD`).
    @Field(key: "retrieved") public var retrieved: String
    @Timestamp(key: "loaded_at", on: .create) public var loadedAt: Date?

    public init() {}

    init(nctIDs: [String], retrieved: String) {
        self.nctIDs = nctIDs.joined(separator: ",")
        self.confirmedIDs = ""
        self.retrieved = retrieved
    }

    var sampleIDs: [String] { nctIDs.split(separator: ",").map(String.init) }
    var confirmed: Set<String> { Set(confirmedIDs.split(separator: ",").map(String.init)) }
}
