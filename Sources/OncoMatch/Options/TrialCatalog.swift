import Foundation
import OncoKnowledge
import OncoTrials

/// The trials to match against: the search index plus, per study, what ranking and
/// display need and its criteria parsed once. Studies with identical criteria text share
/// one parsed list (common across cohorts and re-registrations).
public struct TrialCatalog: Sendable {
    struct Record: Sendable {
        var nctID: String
        var title: String
        var phases: [String]
        var overallStatus: String?
        var conditions: [String]
        var modalities: Set<TherapyModality>
        var recruitingSites: Int
        var lastUpdate: String?
        var criteria: Int32
    }

    public internal(set) var index: TrialIndex
    public let parser: EligibilityParser
    var records: [String: Record] = [:]
    var criteriaSets: [CatalogCriteria] = []
    /// Criteria slot by the criteria text (parsed here) or by the stored parse's key (its
    /// text hash): at registry scale the texts themselves are not kept as keys.
    var criteriaByKey: [String: Int32] = [:]

    public init(knowledge: KnowledgeBase? = nil, lexicon: ConceptLexicon = .oncologyDefault) {
        parser = EligibilityParser(lexicon: lexicon)
        // With a knowledge base, a cancer filter takes in its subtypes (DLBCL under large B-cell lymphoma).
        if let knowledge {
            index = TrialIndex(lexicon: lexicon, isA: { concept, ancestor in concept == ancestor || knowledge.isA(concept, ancestor) })
        } else {
            index = TrialIndex(lexicon: lexicon)
        }
        criteriaSets = [.parsed([])]
        criteriaByKey[""] = 0
    }

    public var count: Int { records.count }
    /// Distinct criteria texts held (parsed here or read from storage).
    public var parsedCriteriaTexts: Int { criteriaSets.count - 1 }
    /// How many criteria texts this catalog parsed itself (the others came parsed, from storage).
    public private(set) var parsesRun = 0

    /// Adds (or replaces) a study. Its criteria are `criteria` when given (a stored parse),
    /// else those of the same text added before, else parsed now.
    public mutating func add(_ study: Study, modalities: Set<TherapyModality>? = nil, criteria: [Criterion]? = nil) {
        let text = study.eligibilityCriteria ?? ""
        let slot: Int32
        if let known = criteriaByKey[text] {
            slot = known
        } else {
            slot = Int32(criteriaSets.count)
            if let criteria {
                criteriaSets.append(.parsed(criteria))
            } else {
                criteriaSets.append(.parsed(parser.parse(text)))
                parsesRun += 1
            }
            criteriaByKey[text] = slot
        }
        add(study, modalities: modalities, slot: slot)
    }

    /// Adds (or replaces) a study with its stored parse, kept compressed and decoded when a
    /// match reads it (how the server holds the whole registry). An empty criteria text
    /// shares the empty slot.
    public mutating func add(_ study: Study, modalities: Set<TherapyModality>? = nil, stored: StoredParse) {
        let slot: Int32
        if (study.eligibilityCriteria ?? "").isEmpty {
            slot = 0
        } else if let known = criteriaByKey[stored.key] {
            slot = known
        } else {
            slot = Int32(criteriaSets.count)
            criteriaSets.append(.stored(stored))
            criteriaByKey[stored.key] = slot
        }
        add(study, modalities: modalities, slot: slot)
    }

    private mutating func add(_ study: Study, modalities: Set<TherapyModality>?, slot: Int32) {
        index.add(study, modalities: modalities)
        let classified = modalities ?? ModalityClassifier(lexicon: parser.extractor.lexicon).classify(study)
        records[study.nctID] = Record(
            nctID: study.nctID, title: study.briefTitle ?? study.officialTitle ?? study.nctID, phases: study.phases,
            overallStatus: study.overallStatus, conditions: study.conditions, modalities: classified,
            recruitingSites: study.locations.filter { $0.status == "RECRUITING" }.count, lastUpdate: study.lastUpdate?.description, criteria: slot)
    }

    /// Replaces the criteria of every study with this criteria text (a newer parse).
    public mutating func updateCriteria(text: String, criteria: [Criterion]) {
        guard let slot = criteriaByKey[text], slot != 0 else { return }
        criteriaSets[Int(slot)] = .parsed(criteria)
    }

    /// Replaces the stored parse with this key (a newer parse of the same text).
    public mutating func updateCriteria(_ stored: StoredParse) {
        guard let slot = criteriaByKey[stored.key], slot != 0 else { return }
        criteriaSets[Int(slot)] = .stored(stored)
    }

    /// Removes a study from the search index and the catalog (its criteria set stays: others may share it).
    public mutating func remove(nctID: String) {
        index.remove(nctID: nctID)
        records[nctID] = nil
    }

    /// The parsed criteria of a study in the catalog.
    public func criteria(nctID: String) -> [Criterion]? {
        records[nctID].map { criteria(slot: $0.criteria) }
    }

    func criteria(slot: Int32) -> [Criterion] {
        criteriaSets[Int(slot)].criteria
    }

    /// Reads a JSON-lines (or any `StudyImportReader` source) file of studies.
    public static func load(_ url: URL, knowledge: KnowledgeBase? = nil) throws -> (catalog: TrialCatalog, failures: Int) {
        var catalog = TrialCatalog(knowledge: knowledge, lexicon: knowledge.map(Self.lexicon(from:)) ?? .oncologyDefault)
        var failures = 0
        try StudyImportReader(source: .file(url)).read { record in
            switch record {
            case .study(let imported): catalog.add(imported.study)
            case .failure: failures += 1
            }
        }
        return (catalog, failures)
    }
}

extension TrialCatalog {
    /// The trial vocabulary: the built-in oncology terms plus every cancer name, synonym
    /// and abbreviation and every drug name in the knowledge base, under the knowledge
    /// base's ids, so a cancer chosen on a page filters trials by the same ontology. The
    /// server, the command line and the FHIR endpoint all use it, so they agree.
    public static func lexicon(from knowledge: KnowledgeBase) -> ConceptLexicon {
        var lexicon = ConceptLexicon.oncologyDefault
        var entries = knowledge.cancerLexicon.map { ConceptLexicon.Entry(term: $0.term, conceptID: $0.id, kind: .cancer) }
        entries += knowledge.drugLexicon.compactMap { entry in
            guard entry.kind == .drug else { return nil }
            return ConceptLexicon.Entry(term: entry.term, conceptID: entry.id, kind: .drug, modality: knowledge.drug(id: entry.id).flatMap { drug in
                knowledge.products.first { $0.generic.lowercased() == drug.generic.lowercased() }?.modality
            })
        }
        lexicon.add(entries)
        return lexicon
    }
}
