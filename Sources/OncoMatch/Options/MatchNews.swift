import Foundation

/// What a registry or knowledge-base change means for one person's options: trials that
/// newly fit, that started recruiting, that closed or that gained a site near the person,
/// and approved indications that newly fit. Computed from the report before and after a
/// re-match (the alert); `MatchDiff` says the rest of what changed.
public struct MatchNews: Codable, Sendable, Hashable {
    /// One trial or approved indication named in the news.
    public struct Item: Codable, Sendable, Hashable {
        /// The NCT ID of a trial, the indication id of an approval.
        public var id: String
        public var title: String
        /// A trial's registry status now ("RECRUITING", "COMPLETED" …), when known.
        public var status: String?
        /// A trial's nearest site now (newly near sites only).
        public var distanceKm: Double?

        public init(id: String, title: String, status: String? = nil, distanceKm: Double? = nil) {
            self.id = id
            self.title = title
            self.status = status
            self.distanceKm = distanceKm
        }
    }

    /// Trials that fit (every criterion met, or none failing) and did not before: new to
    /// the registry, reopened, or their criteria now settle differently.
    public var newlyFitting: [Item] = []
    /// Fitting trials that moved from "not yet recruiting" to "recruiting".
    public var newlyRecruiting: [Item] = []
    /// Trials that fitted before and are no longer open (completed, terminated, suspended …).
    public var closed: [Item] = []
    /// Fitting trials whose nearest site is now within the radius and nearer than before.
    public var newSitesNear: [Item] = []
    /// Approved indications that fit and did not before (a new approval in the knowledge base).
    public var newlyFittingApprovals: [Item] = []

    public init() {}

    public var isEmpty: Bool { groups.allSatisfy { $0.items.isEmpty } }

    /// Every item named, trials by NCT ID, approvals by indication id.
    public var ids: Set<String> { Set(groups.flatMap { $0.items.map(\.id) }) }

    /// The registry statuses that count as open (the matcher's "open trials only").
    public static let openStatuses: Set<String> = ["RECRUITING", "NOT_YET_RECRUITING"]

    private var groups: [(items: [Item], words: String)] {
        [(newlyFitting, "newly fitting"), (newlyRecruiting, "newly recruiting"), (closed, "closed"),
         (newSitesNear, "with a new site nearby"), (newlyFittingApprovals, newlyFittingApprovals.count == 1 ? "newly fitting approval" : "newly fitting approvals")]
    }

    /// "2 newly fitting, 1 closed" — counts only, nothing named.
    public var counts: String {
        groups.filter { !$0.items.isEmpty }.map { "\($0.items.count) \($0.words)" }.joined(separator: ", ")
    }

    /// "2 newly fitting (NCT01, NCT02), 1 closed (NCT03)" — for staff, who may see trial IDs.
    public func countsWithIDs(limit: Int = 5) -> String {
        groups.filter { !$0.items.isEmpty }.map { items, words in
            let ids = items.prefix(limit).map(\.id).joined(separator: ", ") + (items.count > limit ? ", …" : "")
            return "\(items.count) \(words) (\(ids))"
        }.joined(separator: ", ")
    }

    /// One plain line per item, for the options page's "what changed".
    public var lines: [String] {
        newlyFitting.map { "Newly fitting trial: \($0.id) — \($0.title)" }
            + newlyRecruiting.map { "Now recruiting: \($0.id) — \($0.title)" }
            + closed.map { "Trial closed (\(Self.statusWords($0.status))): \($0.id) — \($0.title)" }
            + newSitesNear.map { item in "New site nearby\(item.distanceKm.map { String(format: " (%.0f km)", $0) } ?? ""): \(item.id) — \(item.title)" }
            + newlyFittingApprovals.map { "Newly fitting approval: \($0.title)" }
    }

    /// "COMPLETED" → "completed".
    static func statusWords(_ status: String?) -> String {
        status.map { $0.lowercased().replacingOccurrences(of: "_", with: " ") } ?? "no longer open"
    }

    /// Trials that fitted in `old` and that `new` no longer lists: whether they closed is a
    /// question for the registry (the matcher leaves closed trials out).
    public static func trialsNoLongerListed(_ old: MatchReport, _ new: MatchReport) -> [String] {
        let listed = Set(new.options.compactMap { $0.trial?.nctID })
        return old.options.compactMap { option in
            guard let trial = option.trial, option.status.rank < 2, !listed.contains(trial.nctID) else { return nil }
            return trial.nctID
        }
    }

    /// The news between the report before and after a re-match. `currentStatus` holds the
    /// registry status now of the trials `trialsNoLongerListed` names; a site is "near"
    /// within `nearRadiusKm` (only when the match had a place to measure from).
    /// `changedTrials` are the studies the registry change stored (nil: not known): a trial
    /// the old report did not list is news only if it is one of them, since an unchanged
    /// study reappearing in the list was only pushed out of it and back by the ranking.
    public static func between(_ old: MatchReport, _ new: MatchReport, currentStatus: [String: String], changedTrials: Set<String>? = nil,
                               nearRadiusKm: Double = 300) -> MatchNews {
        let before = Dictionary(old.options.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var news = MatchNews()
        for option in new.options where option.status.rank < 2 {
            let previous = before[option.id]
            if let label = option.label {
                if previous.map({ $0.status.rank == 2 }) ?? true { news.newlyFittingApprovals.append(Item(id: label.indicationID, title: option.title)) }
                continue
            }
            guard let trial = option.trial else { continue }
            let item = Item(id: trial.nctID, title: option.title, status: trial.overallStatus, distanceKm: trial.distanceKm)
            let isOpen = trial.overallStatus.map(openStatuses.contains) ?? true
            guard let previous, let was = previous.trial else {
                if isOpen, changedTrials?.contains(trial.nctID) ?? true { news.newlyFitting.append(item) }
                continue
            }
            let wasOpen = was.overallStatus.map(openStatuses.contains) ?? true
            if !isOpen {
                if wasOpen, previous.status.rank < 2 { news.closed.append(item) }
            } else if previous.status.rank == 2 || !wasOpen {
                news.newlyFitting.append(item)
            } else if was.overallStatus == "NOT_YET_RECRUITING", trial.overallStatus == "RECRUITING" {
                news.newlyRecruiting.append(item)
            } else if let km = trial.distanceKm, km <= nearRadiusKm, km < (was.distanceKm ?? .infinity) - 1 {
                news.newSitesNear.append(item)
            }
        }
        // Fitting trials no longer listed: closed if the registry says so (otherwise they
        // only fell out of the list, which `MatchDiff` reports).
        let titles = Dictionary(old.options.compactMap { option in option.trial.map { ($0.nctID, option.title) } }, uniquingKeysWith: { first, _ in first })
        for nctID in trialsNoLongerListed(old, new) {
            guard let status = currentStatus[nctID], !openStatuses.contains(status) else { continue }
            news.closed.append(Item(id: nctID, title: titles[nctID] ?? nctID, status: status))
        }
        return news
    }
}
