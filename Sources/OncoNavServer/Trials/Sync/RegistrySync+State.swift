import Fluent
import Foundation

extension RegistrySync {
    /// The scope's state row, created when the scope is new.
    func state(on db: any Database) async throws -> TrialSyncState {
        if let state = try await TrialSyncState.query(on: db).filter(\.$scope == config.scope).first() { return state }
        let state = TrialSyncState(scope: config.scope)
        do {
            try await state.save(on: db)
            return state
        } catch {
            // Another process created it first (the scope is unique).
            guard let existing = try await TrialSyncState.query(on: db).filter(\.$scope == config.scope).first() else { throw error }
            return existing
        }
    }

    /// Takes the scope's lease when nobody holds it (or the holder's lease ran out, e.g. after
    /// a crash): one conditional UPDATE, so two processes cannot both win. Returns the state
    /// row when this process holds the lease.
    func claimLease(on db: any Database, now: Date) async throws -> TrialSyncState? {
        let state = try await state(on: db)
        guard let id = state.id else { return nil }
        try await TrialSyncState.query(on: db)
            .filter(\.$id == id)
            .group(.or) { $0.filter(\.$leaseUntil == nil).filter(\.$leaseUntil < now) }
            .set(\.$leaseOwner, to: owner)
            .set(\.$leaseUntil, to: now.addingTimeInterval(Self.leaseDuration))
            .update()
        guard let fresh = try await TrialSyncState.find(id, on: db), fresh.leaseOwner == owner else { return nil }
        return fresh
    }

    /// Records when the scheduler will run next (shown on the admin page).
    func recordNextRun(_ date: Date?, on db: any Database) async throws {
        let state = try await state(on: db)
        state.nextRun = date
        try await state.save(on: db)
    }
}
