import Foundation
import OncoKnowledge
import OncoTrials

extension TrialIndex {
    /// Resolves a city name against the cities of imported sites that carry geoPoints
    /// ("Houston", "Houston, Texas", "Lyon France"); the city with most sites wins.
    public func resolvePlace(_ name: String) -> ResolvedPlace? {
        let key = Self.normalisePlace(name)
        guard let candidates = cityNameIndex[key] else { return nil }
        let best = candidates.map { cityStats[Int($0)] }.filter { $0.geoCount > 0 }.max { $0.siteCount < $1.siteCount }
        return best.map {
            ResolvedPlace(city: $0.city, state: $0.state, country: $0.country, latitude: $0.sumLat / Double($0.geoCount),
                          longitude: $0.sumLon / Double($0.geoCount), siteCount: $0.siteCount)
        }
    }

    /// Query terms with weights: the text's own tokens (weight 1) and the synonyms of the
    /// lexicon concepts it names (weight 0.5).
    func weightedTerms(_ text: String) -> [(Int32, Float, String)] {
        var weights: [Int32: (Float, String)] = [:]
        func add(_ phrase: String, _ weight: Float) {
            IndexTokenizer.forEachToken(in: phrase) { token in
                guard let id = terms.lookup(token), id >= stopCount else { return }
                if (weights[id]?.0 ?? 0) < weight { weights[id] = (weight, String(decoding: token, as: UTF8.self)) }
            }
        }
        add(text, 1)
        // Synonyms: each synonym's rarest word, plus its other words unless they are as
        // common as "cell" or "cancer" (those add cost, not precision).
        let common = max(1, docs.count / 10)
        for match in lexicon.matches(in: text) {
            for synonym in lexicon.synonyms(of: String(text[match.range])) {
                var words: [(Int32, String)] = []
                IndexTokenizer.forEachToken(in: synonym) { token in
                    if let id = terms.lookup(token), id >= stopCount { words.append((id, String(decoding: token, as: UTF8.self))) }
                }
                let rarest = words.min { postingDocs[Int($0.0)].count < postingDocs[Int($1.0)].count }?.0
                for (id, word) in words where weights[id] == nil && (id == rarest || postingDocs[Int(id)].count <= common) {
                    weights[id] = (0.5, word)
                }
            }
        }
        // Words in a third of all studies rank almost nothing once a rarer word is present:
        // treat them as stop words for this query (dynamic stop words).
        let veryCommon = max(1, docs.count / 3)
        if weights.keys.contains(where: { postingDocs[Int($0)].count <= veryCommon }) {
            weights = weights.filter { postingDocs[Int($0.key)].count <= veryCommon }
        }
        return weights.map { ($0.key, $0.value.0, $0.value.1) }.sorted { $0.0 < $1.0 }
    }

    public func search(_ query: TrialQuery, limit: Int = 20, offset: Int = 0) -> TrialSearchResults {
        let n = docs.count
        // Place.
        var origin: (lat: Double, lon: Double)?
        var resolved: ResolvedPlace?
        var unresolved: String?
        switch query.near {
        case .named(let name)?:
            if let place = resolvePlace(name) {
                resolved = place
                origin = (place.latitude, place.longitude)
            } else {
                unresolved = name
            }
        case .coordinate(let lat, let lon)?:
            origin = (lat, lon)
        case nil:
            break
        }
        // Filters that do not depend on the document.
        let statusIDs = Set(query.overallStatuses.compactMap { statusPool.id($0.uppercased()) }.map { UInt8(truncatingIfNeeded: $0) })
        let siteStatusIDs = Set(query.siteStatuses.compactMap { statusPool.id($0.uppercased()) }.map { UInt8(truncatingIfNeeded: $0) })
        let countryID = query.country.map { countryPool.id($0.lowercased()).map { UInt16(truncatingIfNeeded: $0) } }
        let phaseMask = Self.phaseMask(Array(query.phases))
        let modalityMask = Self.modalityMask(query.modalities)
        var allowedConcepts: [Bool]?
        if let concept = query.conditionConcept {
            allowedConcepts = conceptNames.map { $0 == concept || isA($0, concept) }
        }
        let ageMonths = query.patientAge.map { $0 * 12 }
        let sexCode: UInt8? = query.patientSex.map { $0 == .female ? 1 : 2 }
        let emptyResult = TrialSearchResults(hits: [], totalMatches: 0, resolvedPlace: resolved, unresolvedPlace: unresolved, expandedTerms: [])
        if !query.overallStatuses.isEmpty && statusIDs.isEmpty { return emptyResult }
        if !query.siteStatuses.isEmpty && siteStatusIDs.isEmpty { return emptyResult }
        if case .some(.none) = countryID { return emptyResult }

        // Scoring.
        let text = query.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let queryTerms = text.isEmpty ? [] : weightedTerms(text)
        if !text.isEmpty && queryTerms.isEmpty { return emptyResult }
        var scores = [Float](repeating: 0, count: queryTerms.isEmpty ? 0 : n)
        var candidates: [Int32] = []
        if !queryTerms.isEmpty {
            let live = Float(max(liveCount, 1))
            let averageLength = Float(totalLength / Double(max(liveCount, 1)))
            let base = k1 * (1 - b)
            let slope = k1 * b / averageLength
            // Rarest terms first. A common term (in more than 5% of studies) only adds to
            // studies already found by a rarer one once there are enough of them: the
            // studies it alone would bring in rank at the bottom anyway (a simple form of
            // max-score pruning), and skipping them keeps latency flat at registry scale.
            let ordered = queryTerms.sorted { postingDocs[Int($0.0)].count < postingDocs[Int($1.0)].count }
            let commonDF = max(1, n / 20)
            let enough = max(1_000, 10 * (offset + limit))
            var found = 0
            candidates.reserveCapacity(min(n, ordered.reduce(0) { $0 + postingDocs[Int($1.0)].count }))
            scores.withUnsafeMutableBufferPointer { acc in
              docLengths.withUnsafeBufferPointer { lengths in
                for (term, weight, _) in ordered {
                    let postings = postingDocs[Int(term)]
                    let tfs = postingTFs[Int(term)]
                    let df = Float(postings.count)
                    let idf = log(1 + (live - df + 0.5) / (df + 0.5)) * weight
                    let updateOnly = postings.count > commonDF && found >= enough
                    postings.withUnsafeBufferPointer { p in
                        tfs.withUnsafeBufferPointer { t in
                            for i in 0..<p.count {
                                let doc = Int(p[i])
                                let old = acc[doc]
                                if old == 0 {
                                    if updateOnly { continue }
                                    candidates.append(p[i])
                                }
                                let tf = Float(t[i])
                                acc[doc] = old + idf * tf * (k1 + 1) / (tf + base + slope * lengths[doc])
                            }
                        }
                    }
                    found = candidates.count
                }
              }
            }
        } else {
            candidates = (0..<Int32(n)).filter { !deleted[Int($0)] }
        }

        // Filtering and ranking.
        var top = TopK(k: offset + limit, byDistance: query.sort == .distance && origin != nil)
        var total = 0
        let radius = unresolved == nil ? query.radiusKm : nil
        let noFilters = phaseMask == 0 && modalityMask == 0 && statusIDs.isEmpty && sexCode == nil && ageMonths == nil
            && allowedConcepts == nil && siteStatusIDs.isEmpty && countryID == nil && origin == nil
        if noFilters {
            // Fast path: rank by score alone.
            for doc32 in candidates where !deleted[Int(doc32)] {
                total += 1
                top.insert(TopK.Entry(doc: doc32, score: queryTerms.isEmpty ? 0 : scores[Int(doc32)], distance: .infinity, site: -1))
            }
            candidates = []
        }
        for doc32 in candidates {
            let doc = Int(doc32)
            if deleted[doc] { continue }
            let d = docs[doc]
            if phaseMask != 0 && d.phaseMask & phaseMask == 0 { continue }
            if modalityMask != 0 && d.modalityMask & modalityMask == 0 { continue }
            if !statusIDs.isEmpty && !statusIDs.contains(d.status) { continue }
            if let sexCode, d.sex != 0, d.sex != sexCode { continue }
            if let ageMonths {
                if d.minAgeMonths != 0 && ageMonths < Double(d.minAgeMonths) { continue }
                if d.maxAgeMonths != .max && ageMonths > Double(d.maxAgeMonths) { continue }
            }
            if let allowed = allowedConcepts {
                var ok = false
                for i in Int(d.conceptStart)..<(Int(d.conceptStart) + Int(d.conceptCount)) where allowed[Int(docConcepts[i])] { ok = true; break }
                if !ok { continue }
            }
            // Sites: status, country, nearest distance.
            var nearest: (distance: Double, site: Int)?
            var siteOK = siteStatusIDs.isEmpty && countryID == nil
            if !siteOK || origin != nil {
                for s in Int(d.siteStart)..<(Int(d.siteStart) + Int(d.siteCount)) {
                    let site = sites[s]
                    if !siteStatusIDs.isEmpty && !siteStatusIDs.contains(site.status) { continue }
                    if let countryID, site.country != countryID { continue }
                    siteOK = true
                    if let origin, !site.lat.isNaN {
                        let km = haversineKm(origin.lat, origin.lon, Double(site.lat), Double(site.lon))
                        if nearest == nil || km < nearest!.distance { nearest = (km, s) }
                    }
                }
            }
            if !siteOK { continue }
            if let radius {
                guard let nearest, nearest.distance <= radius else { continue }
            }
            total += 1
            top.insert(TopK.Entry(doc: doc32, score: queryTerms.isEmpty ? 0 : scores[doc],
                                  distance: nearest?.distance ?? .infinity, site: nearest.map { Int32($0.site) } ?? -1))
        }
        let hits = top.sorted().dropFirst(offset).map { entry -> TrialSearchHit in
            var hit = TrialSearchHit(nctID: nctIDs[Int(entry.doc)], score: Double(entry.score))
            if entry.site >= 0 {
                let site = sites[Int(entry.site)]
                hit.distanceKm = entry.distance
                hit.nearestSiteIndex = Int(site.locationIndex)
                hit.nearestCity = cityStats[Int(site.city)].city
                hit.nearestCountry = cityStats[Int(site.city)].country
            }
            return hit
        }
        return TrialSearchResults(hits: Array(hits), totalMatches: total, resolvedPlace: resolved, unresolvedPlace: unresolved,
                                  expandedTerms: queryTerms.map(\.2))
    }
}

/// Keeps the best k entries seen (k is small: a page of results).
struct TopK {
    struct Entry {
        var doc: Int32
        var score: Float
        var distance: Double
        var site: Int32
    }

    let k: Int
    let byDistance: Bool
    private(set) var entries: [Entry] = []

    init(k: Int, byDistance: Bool) {
        self.k = max(1, k)
        self.byDistance = byDistance
        entries.reserveCapacity(self.k + 1)
    }

    /// Whether `a` ranks before `b`.
    func better(_ a: Entry, _ b: Entry) -> Bool {
        if byDistance {
            if a.distance != b.distance { return a.distance < b.distance }
            if a.score != b.score { return a.score > b.score }
        } else {
            if a.score != b.score { return a.score > b.score }
            if a.distance != b.distance { return a.distance < b.distance }
        }
        return a.doc < b.doc
    }

    @inline(__always)
    mutating func insert(_ entry: Entry) {
        if entries.count == k, !better(entry, entries[k - 1]) { return }
        var i = entries.count
        while i > 0 && better(entry, entries[i - 1]) { i -= 1 }
        entries.insert(entry, at: i)
        if entries.count > k { entries.removeLast() }
    }

    func sorted() -> [Entry] { entries }
}
