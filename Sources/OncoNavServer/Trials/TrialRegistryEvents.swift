import Vapor

/// What happens after the stored registry changed (a sync or an import stored studies). The
/// alerts work (issue 16, point 7) re-matches open cases here; until then it only logs.
public enum TrialRegistryEvents {
    /// Called once the changed studies are stored and in the in-memory index. Logs counts
    /// only: no health data (and no case) is involved at this point.
    public static func didChange(app: Application, changedNCTIDs: [String], source: String) async {
        app.logger.info("Trial registry changed", metadata: ["source": .string(source), "studies": .stringConvertible(changedNCTIDs.count)])
    }
}
