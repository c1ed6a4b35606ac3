import Foundation
import Vapor

/// Where the trial registry tells the rest of the app that it changed: the admin import,
/// the ClinicalTrials.gov sync and the command-line import call `didChange` once their
/// studies are stored (and, in the server, added to the trial index).
///
/// In the server (after `OncoNavApp.startAlerts`) the open cases are re-matched in the
/// background, one run at a time, bursts coalesced (`Application.rematchRunner`); the
/// caller does not wait. In a process without the live trial index (the command line,
/// which may run while no server does) the change is stored instead, and the server
/// re-matches at its next start: its trial index only sees those studies then anyway.
public enum TrialRegistryEvents {
    /// Studies were added or updated. `changedNCTIDs` are the studies stored (empty when
    /// not known: then every trial new to a case's list counts as news); `source` says
    /// where the change came from ("import", "sync").
    public static func didChange(app: Application, changedNCTIDs: [String], source: String) async {
        let change = RematchRunner.Change(sources: [String(source.prefix(40))], changedTrials: changedNCTIDs.isEmpty ? nil : Set(changedNCTIDs))
        if app.rematchRunner.isInProcess {
            app.rematchRunner.request(change, app: app)
            return
        }
        do {
            try await RematchMarker.noteRegistryChange(source: change.source, at: app.clock.now(), on: app.db)
        } catch {
            app.logger.warning("Could not store that the trial registry changed; open cases are not re-matched for this change",
                               metadata: ["error": .string(String(describing: error).prefix(300).description)])
        }
    }
}
