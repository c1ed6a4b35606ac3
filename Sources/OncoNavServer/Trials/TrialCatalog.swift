import Fluent
import Foundation
import OncoKnowledge
import OncoMatch
import OncoTrials
import Vapor

/// The in-memory trial index the site searches and matches against, built from the
/// `trials` table at start and extended as imports arrive: the search index plus each
/// study's eligibility criteria (`OncoMatch.TrialCatalog`), read from the parse stored at
/// import — nothing is parsed at start. Searches and matching work on a copy-on-write
/// snapshot, so a long import never blocks them.
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

    init(knowledge: KnowledgeBase) {
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
        add(studies.map { ($0, nil) })
    }

    /// Adds studies as the importer stored them, with their parsed criteria.
    func add(_ stored: [TrialImporter.Stored]) {
        add(stored.map { ($0.study, $0.criteria) })
    }

    private func add(_ studies: [(Study, [Criterion]?)]) {
        lock.withLock {
            for (study, criteria) in studies {
                catalog.add(study, criteria: criteria)
                for facility in Set(study.locations.compactMap(\.facility).map(Self.normalise)) where !facility.isEmpty {
                    facilities[facility, default: []].insert(study.nctID)
                }
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
    func updateCriteria(text: String, criteria: [Criterion]) {
        lock.withLock { catalog.updateCriteria(text: text, criteria: criteria) }
    }

    /// Loads every stored study into the index, page by page, with its stored parse: a
    /// parse of another version serves until the background re-read replaces it, a study
    /// without one has no criteria until then. Nothing is parsed here.
    func load(from db: any Database, logger: Logger) async throws {
        var offset = 0
        let page = 500
        var report = LoadReport()
        // Studies sharing a criteria text share one decoded parse.
        var decoded: [String: [Criterion]] = [:]
        while true {
            let records = try await TrialRecord.query(on: db).sort(\.$nctID).range(offset..<(offset + page)).all()
            if records.isEmpty { break }
            var studies: [(Study, [Criterion]?)] = []
            for record in records {
                do {
                    let study = try StudyParser.reparse(raw: RawStudyCompression.decompress(record.raw))
                    let text = study.eligibilityCriteria ?? ""
                    var criteria: [Criterion]?
                    if let hash = record.criteriaHash {
                        // The hash and the raw record are written together: no need to re-hash the text here.
                        criteria = decoded[hash] ?? reading.stored(record, text: text, checkHash: false)
                        if let criteria { decoded[hash] = criteria }
                    }
                    if criteria == nil { report.missing += 1 } else if record.parserVersion == reading.version { report.current += 1 } else { report.stale += 1 }
                    studies.append((study, criteria ?? []))
                    report.studies += 1
                } catch {
                    report.unreadable += 1
                }
            }
            add(studies)
            offset += records.count
        }
        lock.withLock { loaded = report }
        if report.unreadable > 0 { logger.warning("Stored trials that could not be read", metadata: ["count": .stringConvertible(report.unreadable)]) }
    }
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
