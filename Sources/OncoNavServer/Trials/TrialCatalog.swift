import Fluent
import Foundation
import OncoKnowledge
import OncoMatch
import OncoTrials
import Vapor

/// The in-memory trial index the site searches and matches against, built from the
/// `trials` table at start and extended as imports arrive: the search index plus each
/// study's eligibility criteria parsed once (`OncoMatch.TrialCatalog`). Searches and
/// matching work on a copy-on-write snapshot, so a long import never blocks them.
public final class TrialCatalog: @unchecked Sendable {
    private let lock = NSLock()
    private var catalog: OncoMatch.TrialCatalog
    /// Site facility names (normalised) → the studies with a site there, for linking partner
    /// organisations to the registry.
    private var facilities: [String: Set<String>] = [:]

    init(knowledge: KnowledgeBase) {
        catalog = OncoMatch.TrialCatalog(knowledge: knowledge, lexicon: OncoMatch.TrialCatalog.lexicon(from: knowledge))
    }

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

    func add(_ studies: [Study]) {
        lock.withLock {
            for study in studies {
                catalog.add(study)
                for facility in Set(study.locations.compactMap(\.facility).map(Self.normalise)) where !facility.isEmpty {
                    facilities[facility, default: []].insert(study.nctID)
                }
            }
        }
    }

    /// Loads every stored study into the index, page by page.
    func load(from db: any Database, logger: Logger) async throws {
        var offset = 0
        let page = 500
        var failures = 0
        while true {
            let records = try await TrialRecord.query(on: db).sort(\.$nctID).range(offset..<(offset + page)).all()
            if records.isEmpty { break }
            var studies: [Study] = []
            for record in records {
                do {
                    studies.append(try StudyParser.reparse(raw: RawStudyCompression.decompress(record.raw)))
                } catch {
                    failures += 1
                }
            }
            add(studies)
            offset += records.count
        }
        if failures > 0 { logger.warning("Stored trials that could not be read", metadata: ["count": .stringConvertible(failures)]) }
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
