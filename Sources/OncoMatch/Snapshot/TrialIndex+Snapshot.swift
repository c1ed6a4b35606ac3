import Foundation

/// The search index as a snapshot: its arrays as they lie in memory, so loading half a
/// million studies is a copy rather than a re-tokenisation. The lexicon, field weights and
/// the ontology (`isA`) are not stored: the index a snapshot is read into supplies them, and
/// the snapshot's fingerprint (which names the vocabulary version) guarantees they match.
extension TrialIndex {
    func write(to writer: inout SnapshotWriter) {
        writer.value(k1)
        writer.value(b)
        writer.value(stopCount)
        writer.array(terms.arena)
        writer.array(terms.offsets)
        writer.array(terms.slots)
        writer.int(postingDocs.count)
        for (docs, tfs) in zip(postingDocs, postingTFs) {
            writer.array(docs)
            writer.array(tfs)
        }
        writer.array(docs)
        writer.array(docLengths)
        writer.strings(nctIDs)
        writer.array(deleted.map { $0 ? UInt8(1) : 0 })
        writer.int(liveCount)
        writer.value(totalLength)
        writer.strings(conceptNames)
        writer.array(docConcepts)
        writer.array(sites)
        writer.strings(statusPool.values)
        writer.strings(countryPool.values)
        writer.strings(cityPool.values)
        writer.int(cityStats.count)
        for city in cityStats {
            writer.string(city.city)
            writer.optionalString(city.state)
            writer.optionalString(city.country)
            writer.value(city.sumLat)
            writer.value(city.sumLon)
            writer.int(city.geoCount)
            writer.int(city.siteCount)
        }
        writer.int(cityNameIndex.count)
        for (name, ids) in cityNameIndex.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            writer.array(ids)
        }
    }

    /// Replaces this (empty) index's contents with a snapshot's.
    mutating func read(from reader: inout SnapshotReader) throws {
        k1 = try reader.value()
        b = try reader.value()
        guard try reader.value(Int32.self) == stopCount else { throw SnapshotRejected("the stop-word list changed") }
        terms = try TermTable(arena: reader.array(), offsets: reader.array(), slots: reader.array())
        let postingCount = try reader.int()
        guard postingCount >= terms.count else { throw SnapshotRejected("postings do not cover the terms") }
        var allDocs: [[Int32]] = []
        var allTFs: [[UInt16]] = []
        allDocs.reserveCapacity(postingCount)
        allTFs.reserveCapacity(postingCount)
        for _ in 0..<postingCount {
            let docs: [Int32] = try reader.array()
            let tfs: [UInt16] = try reader.array()
            guard docs.count == tfs.count else { throw SnapshotRejected("a posting list is inconsistent") }
            allDocs.append(docs)
            allTFs.append(tfs)
        }
        postingDocs = allDocs
        postingTFs = allTFs
        docs = try reader.array()
        docLengths = try reader.array()
        nctIDs = try reader.strings()
        deleted = try reader.array(UInt8.self).map { $0 != 0 }
        guard docLengths.count == docs.count, nctIDs.count == docs.count, deleted.count == docs.count else {
            throw SnapshotRejected("the document arrays differ in length")
        }
        docByNCT = [:]
        docByNCT.reserveCapacity(docs.count)
        for (doc, nctID) in nctIDs.enumerated() where !deleted[doc] { docByNCT[nctID] = Int32(doc) }
        liveCount = try reader.int()
        totalLength = try reader.value()
        conceptNames = try reader.strings()
        conceptByName = Dictionary(conceptNames.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        docConcepts = try reader.array()
        sites = try reader.array()
        statusPool = StringPool(values: try reader.strings())
        countryPool = StringPool(values: try reader.strings())
        cityPool = StringPool(values: try reader.strings())
        let cityCount = try reader.int()
        var cities: [CityStats] = []
        cities.reserveCapacity(cityCount)
        for _ in 0..<cityCount {
            var city = CityStats(city: try reader.string(), state: try reader.optionalString(), country: try reader.optionalString())
            city.sumLat = try reader.value()
            city.sumLon = try reader.value()
            city.geoCount = try reader.int()
            city.siteCount = try reader.int()
            cities.append(city)
        }
        cityStats = cities
        let nameCount = try reader.int()
        var names: [String: [UInt32]] = [:]
        names.reserveCapacity(nameCount)
        for _ in 0..<nameCount {
            let name = try reader.string()
            names[name] = try reader.array()
        }
        cityNameIndex = names
        guard liveCount == docByNCT.count else { throw SnapshotRejected("the live study count is inconsistent") }
    }

    /// Layout stamp of the plain records copied byte for byte: a build whose layout differs
    /// rejects the snapshot instead of misreading it.
    static var snapshotLayout: String {
        "doc\(MemoryLayout<TrialDocument>.stride)-site\(MemoryLayout<SiteRecord>.stride)"
    }
}
