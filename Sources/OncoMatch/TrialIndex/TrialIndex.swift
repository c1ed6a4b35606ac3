import Foundation
import OncoKnowledge
import OncoTrials

/// An in-memory search index over ClinicalTrials.gov studies, sized for the whole
/// registry (500,000+ studies) on one machine.
///
/// Compact by construction: terms are interned once (`TermTable`), postings are parallel
/// arrays of `Int32` document numbers and `UInt16` weighted term frequencies, documents
/// and sites are small fixed-size structs, and strings (cities, countries, statuses,
/// concepts) are pooled — no per-document dictionaries.
///
/// Ranking is BM25 over a weighted bag of fields (BM25F-style: title and conditions
/// count three times, interventions and keywords twice, summary and criteria once), with
/// query expansion through the lexicon. Filters: condition concept with subtypes (the
/// injected `isA`), modality, phase, overall and site status, country, distance from a
/// place, age and sex.
///
/// The index is a value: build it with `add(_:)`, then share it (it is `Sendable`);
/// `search` does not mutate it and can run concurrently.
public struct TrialIndex: Sendable {
    /// Field weights (integers: they multiply term counts stored as `UInt16`).
    public struct FieldWeights: Sendable, Hashable {
        public var title: UInt16 = 3
        public var conditions: UInt16 = 3
        public var interventions: UInt16 = 2
        public var keywords: UInt16 = 2
        public var summary: UInt16 = 1
        public var criteria: UInt16 = 1
        public init() {}
    }

    public let lexicon: ConceptLexicon
    public let fieldWeights: FieldWeights
    let classifier: ModalityClassifier
    let isA: @Sendable (_ concept: String, _ ancestor: String) -> Bool
    public var k1: Float = 1.2
    public var b: Float = 0.75

    var terms = TermTable()
    let stopCount: Int32
    var postingDocs: [[Int32]] = []
    var postingTFs: [[UInt16]] = []
    var docs: [TrialDocument] = []
    /// Weighted lengths, kept apart from `docs` so the scoring loop reads 4 bytes per posting.
    var docLengths: [Float] = []
    var nctIDs: [String] = []
    var docByNCT: [String: Int32] = [:]
    var deleted: [Bool] = []
    var liveCount = 0
    var totalLength: Double = 0

    var conceptNames: [String] = []
    var conceptByName: [String: Int32] = [:]
    var docConcepts: [Int32] = []
    var sites: [SiteRecord] = []
    var statusPool = StringPool()
    var countryPool = StringPool()
    var cityPool = StringPool()
    var cityStats: [CityStats] = []
    var cityNameIndex: [String: [UInt32]] = [:]

    // Build-time scratch and caches (value types; cheap to carry).
    private var scratchTF: [UInt16] = []
    private var touched: [Int32] = []
    private var conceptCache: [String: [Int32]] = [:]
    private var modalityCache: [String: UInt16] = [:]

    /// - Parameters:
    ///   - lexicon: synonyms for query expansion and cancer names for condition concepts.
    ///   - isA: whether `concept` is `ancestor` or one of its subtypes (from the knowledge
    ///     base's hierarchy); the default knows only identity and the lexicon's groups.
    public init(lexicon: ConceptLexicon = .oncologyDefault,
                fieldWeights: FieldWeights = FieldWeights(),
                isA: (@Sendable (_ concept: String, _ ancestor: String) -> Bool)? = nil) {
        self.lexicon = lexicon
        self.fieldWeights = fieldWeights
        self.classifier = ModalityClassifier(lexicon: lexicon)
        self.isA = isA ?? { concept, ancestor in concept == ancestor }
        var table = TermTable()
        for word in IndexTokenizer.stopWords {
            var w = word
            _ = w.withUTF8 { table.intern($0) }
        }
        terms = table
        stopCount = Int32(table.count)
        postingDocs = Array(repeating: [], count: terms.count)
        postingTFs = Array(repeating: [], count: terms.count)
        scratchTF = Array(repeating: 0, count: terms.count)
    }

    /// Studies in the index (replaced and removed ones not counted).
    public var count: Int { liveCount }

    /// Whether the index holds this study.
    public func contains(nctID: String) -> Bool { docByNCT[nctID] != nil }

    /// Distinct index terms (for diagnostics).
    public var termCount: Int { terms.count }

    /// Adds a study; a study already present (same NCT ID) is replaced.
    /// - Parameter modalities: precomputed modalities (the import stores them); classified here when nil.
    public mutating func add(_ study: Study, modalities: Set<TherapyModality>? = nil) {
        if let old = docByNCT[study.nctID] { markDeleted(old) }
        let doc = Int32(docs.count)
        let w = fieldWeights
        var length: UInt32 = 0
        func field(_ text: String?, _ weight: UInt16) {
            guard let text, !text.isEmpty, weight > 0 else { return }
            IndexTokenizer.forEachToken(in: text) { token in
                let id = terms.intern(token)
                if id < stopCount { return }
                let i = Int(id)
                if i >= scratchTF.count {
                    scratchTF.append(contentsOf: repeatElement(0, count: i - scratchTF.count + 1024))
                }
                if i >= postingDocs.count {
                    let extra = i - postingDocs.count + 1
                    postingDocs.append(contentsOf: repeatElement([], count: extra))
                    postingTFs.append(contentsOf: repeatElement([], count: extra))
                }
                if scratchTF[i] == 0 { touched.append(id) }
                let (sum, overflow) = scratchTF[i].addingReportingOverflow(weight)
                scratchTF[i] = overflow ? .max : sum
                length += UInt32(weight)
            }
        }
        let id = study.protocolSection.identificationModule
        field(id.briefTitle, w.title)
        field(id.officialTitle, w.title)
        field(id.acronym, w.title)
        field(id.nctId, w.title)
        for condition in study.conditions { field(condition, w.conditions) }
        for mesh in study.conditionMeshTerms { field(mesh.term, w.conditions) }
        for intervention in study.interventions {
            field(intervention.name, w.interventions)
            for other in intervention.otherNames ?? [] { field(other, w.interventions) }
        }
        for mesh in study.interventionMeshTerms { field(mesh.term, w.interventions) }
        for keyword in study.keywords { field(keyword, w.keywords) }
        field(study.briefSummary, w.summary)
        field(study.eligibilityCriteria, w.criteria)
        for term in touched {
            let i = Int(term)
            postingDocs[i].append(doc)
            postingTFs[i].append(scratchTF[i])
            scratchTF[i] = 0
        }
        touched.removeAll(keepingCapacity: true)

        let conceptStart = UInt32(docConcepts.count)
        var concepts: [Int32] = []
        for text in study.conditions + study.conditionMeshTerms.compactMap(\.term) {
            for c in conditionConcepts(text) where !concepts.contains(c) { concepts.append(c) }
        }
        docConcepts.append(contentsOf: concepts)

        let siteStart = UInt32(sites.count)
        for (index, location) in study.locations.enumerated() where index < Int(UInt16.max) {
            sites.append(siteRecord(location, index: index))
        }
        let eligibility = study.eligibility
        let document = TrialDocument(
            length: Float(length),
            conceptStart: conceptStart, conceptCount: UInt16(min(concepts.count, Int(UInt16.max))),
            siteStart: siteStart, siteCount: UInt16(min(sites.count - Int(siteStart), Int(UInt16.max))),
            phaseMask: Self.phaseMask(study.phases),
            status: UInt8(truncatingIfNeeded: statusPool.intern(study.overallStatus?.uppercased() ?? "")),
            modalityMask: modalities.map(Self.modalityMask) ?? classifiedModalities(study),
            sex: eligibility?.sex == "FEMALE" ? 1 : eligibility?.sex == "MALE" ? 2 : 0,
            minAgeMonths: eligibility?.minimumAgeLimit.map { UInt16(min(65_000, max(0, $0.months.rounded(.down)))) } ?? 0,
            maxAgeMonths: eligibility?.maximumAgeLimit.map { UInt16(min(65_000, max(0, $0.months.rounded(.up)))) } ?? .max)
        docs.append(document)
        docLengths.append(Float(length))
        nctIDs.append(study.nctID)
        deleted.append(false)
        docByNCT[study.nctID] = doc
        liveCount += 1
        totalLength += Double(length)
    }

    /// The condition concepts (lexicon cancer ids) of a study's conditions and MeSH condition terms.
    public func conditionConcepts(nctID: String) -> [String] {
        guard let doc = docByNCT[nctID] else { return [] }
        let document = docs[Int(doc)]
        return (0..<Int(document.conceptCount)).map { conceptNames[Int(docConcepts[Int(document.conceptStart) + $0])] }
    }

    /// Removes a study (its postings stay but are skipped).
    public mutating func remove(nctID: String) {
        guard let doc = docByNCT[nctID] else { return }
        markDeleted(doc)
        docByNCT[nctID] = nil
    }

    private mutating func markDeleted(_ doc: Int32) {
        guard !deleted[Int(doc)] else { return }
        deleted[Int(doc)] = true
        liveCount -= 1
        totalLength -= Double(docs[Int(doc)].length)
    }

    private mutating func conditionConcepts(_ text: String) -> [Int32] {
        if let cached = conceptCache[text] { return cached }
        var ids: [Int32] = []
        for match in lexicon.matches(in: text, kinds: [.cancer]) {
            let id = conceptID(match.entry.conceptID)
            if !ids.contains(id) { ids.append(id) }
        }
        if conceptCache.count < 1_000_000 { conceptCache[text] = ids }
        return ids
    }

    mutating func conceptID(_ name: String) -> Int32 {
        if let id = conceptByName[name] { return id }
        let id = Int32(conceptNames.count)
        conceptNames.append(name)
        conceptByName[name] = id
        return id
    }

    private mutating func classifiedModalities(_ study: Study) -> UInt16 {
        // Interventions repeat across the registry (same product, many trials): cache by text.
        var key = ""
        for i in study.interventions {
            key += (i.type ?? "") + "\u{1}" + (i.name ?? "") + "\u{1}" + (i.otherNames ?? []).joined(separator: "\u{2}") + "\u{1}" + (i.description ?? "") + "\u{3}"
        }
        for m in study.interventionMeshTerms { key += (m.term ?? "") + "\u{4}" }
        if let cached = modalityCache[key] { return cached }
        let mask = Self.modalityMask(classifier.classify(study))
        if modalityCache.count < 1_000_000 { modalityCache[key] = mask }
        return mask
    }

    private mutating func siteRecord(_ location: Study.Location, index: Int) -> SiteRecord {
        let city = location.city ?? ""
        let country = location.country ?? ""
        let cityKey = [city, location.state ?? "", country].joined(separator: "|").lowercased()
        let cityID = cityPool.intern(cityKey)
        if Int(cityID) >= cityStats.count {
            cityStats.append(CityStats(city: city, state: location.state, country: location.country))
            for name in Self.placeNames(city: city, state: location.state, country: location.country) {
                cityNameIndex[name, default: []].append(cityID)
            }
        }
        cityStats[Int(cityID)].siteCount += 1
        if let geo = location.geoPoint {
            cityStats[Int(cityID)].add(lat: geo.lat, lon: geo.lon)
        }
        return SiteRecord(lat: location.geoPoint.map { Float($0.lat) } ?? .nan, lon: location.geoPoint.map { Float($0.lon) } ?? .nan,
                          city: cityID, country: UInt16(truncatingIfNeeded: countryPool.intern(country.lowercased())),
                          status: UInt8(truncatingIfNeeded: statusPool.intern(location.status?.uppercased() ?? "")),
                          locationIndex: UInt16(index))
    }

    static func placeNames(city: String, state: String?, country: String?) -> [String] {
        let c = normalisePlace(city)
        guard !c.isEmpty else { return [] }
        var names = [c]
        if let state, !state.isEmpty { names.append(c + " " + normalisePlace(state)) }
        if let country, !country.isEmpty { names.append(c + " " + normalisePlace(country)) }
        return names
    }

    static func normalisePlace(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }.joined(separator: " ")
    }

    static let phaseBits: [String: UInt8] = ["EARLY_PHASE1": 1, "PHASE1": 2, "PHASE2": 4, "PHASE3": 8, "PHASE4": 16, "NA": 32]

    static func phaseMask(_ phases: [String]) -> UInt8 {
        phases.reduce(0) { $0 | (phaseBits[$1.uppercased()] ?? 0) }
    }

    static func modalityMask(_ modalities: Set<TherapyModality>) -> UInt16 {
        modalities.reduce(0) { mask, m in
            mask | (UInt16(1) << UInt16(TherapyModality.allCases.firstIndex(of: m) ?? 15))
        }
    }
}

/// One study's fixed-size record (about 32 bytes).
struct TrialDocument: Sendable {
    var length: Float
    var conceptStart: UInt32
    var conceptCount: UInt16
    var siteStart: UInt32
    var siteCount: UInt16
    var phaseMask: UInt8
    var status: UInt8
    var modalityMask: UInt16
    /// 0 all, 1 female, 2 male.
    var sex: UInt8
    var minAgeMonths: UInt16
    var maxAgeMonths: UInt16
}

/// One site (about 20 bytes); latitude NaN when the registry gave no geoPoint.
struct SiteRecord: Sendable {
    var lat: Float
    var lon: Float
    var city: UInt32
    var country: UInt16
    var status: UInt8
    var locationIndex: UInt16
}

struct CityStats: Sendable {
    var city: String
    var state: String?
    var country: String?
    var sumLat = 0.0
    var sumLon = 0.0
    var geoCount = 0
    var siteCount = 0

    mutating func add(lat: Double, lon: Double) {
        sumLat += lat
        sumLon += lon
        geoCount += 1
    }
}

/// Interned short strings (statuses, countries, cities).
struct StringPool: Sendable {
    private(set) var values: [String] = []
    private var ids: [String: UInt32] = [:]

    init() {}

    /// A pool as a snapshot stored it.
    init(values: [String]) {
        self.values = values
        ids = Dictionary(values.enumerated().map { ($1, UInt32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func intern(_ value: String) -> UInt32 {
        if let id = ids[value] { return id }
        let id = UInt32(values.count)
        values.append(value)
        ids[value] = id
        return id
    }

    func id(_ value: String) -> UInt32? { ids[value] }
}
