import Fluent
import Foundation
import OncoKnowledge
import OncoMatch
import OncoTrials
import Vapor

/// The in-memory trial index the site searches and matches against, loaded at start in the
/// background — from the snapshot file written after the last change when it still fits
/// the stored registry, else from the `trials` table — and extended as imports arrive: the
/// search index plus each study's eligibility criteria (`OncoMatch.TrialCatalog`), read
/// from the parse stored at import — nothing is parsed at start. Searches and matching work
/// on a copy-on-write value, so a long import never blocks them.
public final class TrialCatalog: @unchecked Sendable {
    private let lock = NSLock()
    private var catalog: OncoMatch.TrialCatalog
    /// The parser (with the knowledge base's vocabulary) and the version stamp of its parses.
    public let reading: CriteriaReading

    /// What the last `load` found.
    public struct LoadReport: Sendable {
        public var studies = 0
        /// Studies whose stored parse is of the current version.
        public var current = 0
        /// Studies with a parse of another version (used until re-read in the background).
        public var stale = 0
        /// Studies without a stored parse (no criteria until re-read in the background).
        public var missing = 0
        public var unreadable = 0
    }
    private var loaded = LoadReport()
    public var lastLoad: LoadReport { lock.withLock { loaded } }
    /// Site facility names (normalised) → the studies with a site there, for linking partner
    /// organisations to the registry.
    private var facilities: [String: Set<String>] = [:]

    private let knowledge: KnowledgeBase

    init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        catalog = OncoMatch.TrialCatalog(knowledge: knowledge, lexicon: OncoMatch.TrialCatalog.lexicon(from: knowledge))
        reading = CriteriaReading(parser: catalog.parser)
    }

    /// Criteria texts the index parsed itself rather than reading a stored parse.
    public var parsesRun: Int { lock.withLock { catalog.parsesRun } }

    /// The search index.
    var snapshot: TrialIndex { lock.withLock { catalog.index } }

    static func normalise(_ name: String) -> String {
        name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Studies with a site whose facility name matches an organisation's name (the same
    /// words, or the organisation's name contained in the facility's: "Mayo Clinic" matches
    /// "Mayo Clinic in Rochester"). Sorted by NCT ID.
    func studies(atFacilityNamed name: String) -> [String] {
        let wanted = Self.normalise(name)
        guard wanted.count >= 4 else { return [] }
        return lock.withLock {
            facilities.filter { $0.key == wanted || " \($0.key) ".contains(" \(wanted) ") }.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        }.sorted()
    }

    /// The index with the parsed criteria, for matching.
    var matching: OncoMatch.TrialCatalog { lock.withLock { catalog } }

    /// Adds studies, parsing their criteria (for studies that were not stored by the importer).
    func add(_ studies: [Study]) {
        add(studies.compactMap { study in
            let text = study.eligibilityCriteria ?? ""
            return (try? reading.parse(text)).flatMap { parsed in (try? parsed.storedParse(text: text)).map { (study, nil, $0) } }
        })
    }

    /// Adds studies as the importer stored them, with their parsed criteria.
    func add(_ stored: [TrialImporter.Stored]) {
        add(stored.compactMap { item in (try? item.parsed.storedParse(text: item.study.eligibilityCriteria ?? "")).map { (item.study, nil, $0) } })
    }

    /// - Parameter fromLoad: the studies come from the load itself (not kept aside for
    ///   re-applying, and no snapshot write: the load writes its own).
    func add(_ studies: [(Study, Set<TherapyModality>?, StoredParse)], fromLoad: Bool = false) {
        let settled = lock.withLock {
            insert(studies)
            if fromLoad { return false }
            if case .loading = state { addedWhileLoading += studies; return false }
            return true
        }
        if settled { snapshots?.changed() }
    }

    /// Adds to the index and the facility map; the caller holds the lock.
    private func insert(_ studies: [(Study, Set<TherapyModality>?, StoredParse)]) {
        for (study, modalities, stored) in studies {
            catalog.add(study, modalities: modalities, stored: stored)
            for facility in Set(study.locations.compactMap(\.facility).map(Self.normalise)) where !facility.isEmpty {
                facilities[facility, default: []].insert(study.nctID)
            }
        }
    }

    /// Removes studies (the first-start sample, once the real registry replaced it).
    func remove(_ nctIDs: [String]) {
        lock.withLock {
            for id in nctIDs { catalog.remove(nctID: id) }
            for key in Array(facilities.keys) {
                facilities[key]?.subtract(nctIDs)
                if facilities[key]?.isEmpty ?? false { facilities[key] = nil }
            }
        }
    }

    /// A newer parse of a criteria text, for every study that has it.
    func updateCriteria(text: String, parsed: CriteriaReading.Parsed) {
        guard let stored = try? parsed.storedParse(text: text) else { return }
        lock.withLock { catalog.updateCriteria(stored) }
        snapshots?.changed()
    }

    // MARK: Loading state

    /// Where the index came from at start.
    public enum LoadSource: String, Sendable {
        case snapshot, database
    }

    /// Whether the index is being built: until it is, searches say so instead of "no results".
    public enum LoadState: Sendable {
        /// No load was asked for: the index holds what was added.
        case notLoaded
        case loading(loaded: Int, total: Int?, source: LoadSource?)
        case loaded(source: LoadSource, seconds: Double)
        case failed(String)
    }

    private var state = LoadState.notLoaded
    /// Studies added while a load ran, re-applied after a snapshot replaces the index.
    private var addedWhileLoading: [(Study, Set<TherapyModality>?, StoredParse)] = []
    /// Writes the snapshot after changes, when the server keeps one.
    var snapshots: TrialSnapshotWriter?

    public var loadState: LoadState { lock.withLock { state } }

    /// True while the index is being built (or failed to build).
    public var isLoading: Bool {
        switch loadState {
        case .loading, .failed: true
        case .notLoaded, .loaded: false
        }
    }

    /// "Loading the trial index: 120,000 of 500,000 studies" for pages and the API.
    public var loadingMessage: String? {
        switch loadState {
        case .loading(let loaded, let total, _):
            let count = total.map { "\(loaded) of \($0) studies" } ?? "\(loaded) studies so far"
            return "The trial index is loading (\(count)); search will be ready in a moment. Try again shortly."
        case .failed(let reason):
            return "The trial index could not be loaded (\(reason)); an administrator should check the server log."
        case .notLoaded, .loaded:
            return nil
        }
    }

    func setState(_ new: LoadState) { lock.withLock { state = new } }

    func progress(loaded: Int, total: Int?, source: LoadSource?) {
        lock.withLock { state = .loading(loaded: loaded, total: total, source: source) }
    }

    /// Replaces the index with one read from a snapshot; studies added meanwhile are kept.
    func replace(with loaded: OncoMatch.TrialCatalog, facilities newFacilities: [String: Set<String>]) {
        lock.withLock {
            catalog = loaded
            facilities = newFacilities
            insert(addedWhileLoading)
            addedWhileLoading = []
        }
    }

    func finishLoading(_ report: LoadReport, source: LoadSource, seconds: Double) {
        lock.withLock {
            loaded = report
            state = .loaded(source: source, seconds: seconds)
            addedWhileLoading = []
        }
    }

    /// An empty catalog with the server's vocabulary, to read a snapshot into.
    func emptyCatalog() -> OncoMatch.TrialCatalog {
        OncoMatch.TrialCatalog(knowledge: knowledge, lexicon: catalog.parser.extractor.lexicon)
    }

    /// The index and the site-facility map, taken together (for the snapshot).
    var contents: (catalog: OncoMatch.TrialCatalog, facilities: [String: Set<String>]) { lock.withLock { (catalog, facilities) } }
}

extension Application {
    private struct CatalogKey: StorageKey { typealias Value = TrialCatalog }

    public var trials: TrialCatalog {
        if let catalog = storage[CatalogKey.self] { return catalog }
        let catalog = TrialCatalog(knowledge: knowledge)
        storage[CatalogKey.self] = catalog
        return catalog
    }
}
