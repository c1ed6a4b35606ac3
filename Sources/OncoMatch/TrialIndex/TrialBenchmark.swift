import Foundation
import OncoTrials

/// Measures import and search at registry scale from a small real corpus: the corpus is
/// scaled to `scaleTo` studies by varying real records (new NCT IDs, a perturbed title,
/// jittered site coordinates), written as JSON lines to disk, then
/// 1. imported through `StudyImportReader` (parse only) — studies/s and peak memory,
/// 2. imported again into a `TrialIndex` — build time,
/// 3. queried — latency p50 / p99.
///
/// Pure library code: the CLI wires it to `onconav trials bench`. Interventions are not
/// varied, so the modality classifier's cache hits the way it does on the real registry
/// (where products repeat across trials).
public enum TrialBenchmark {
    public struct Report: Sendable, CustomStringConvertible {
        public var studies = 0
        public var fileBytes: Int64 = 0
        public var generationSeconds = 0.0
        public var importSeconds = 0.0
        public var importFailures = 0
        /// Peak resident memory (VmHWM) after importing 10% of the file and after all of it.
        public var importPeakMBAtTenPercent: Double?
        public var importPeakMB: Double?
        public var indexBuildSeconds = 0.0
        public var indexPeakMB: Double?
        public var indexTerms = 0
        public var queryCount = 0
        public var queryP50Ms = 0.0
        public var queryP99Ms = 0.0
        public var filteredQueryP50Ms = 0.0
        public var filteredQueryP99Ms = 0.0
        public var perQuery: [(query: String, p50Ms: Double, hits: Int)] = []

        public var importRate: Double { importSeconds > 0 ? Double(studies) / importSeconds : 0 }

        public var description: String {
            func mb(_ v: Double?) -> String { v.map { String(format: "%.0f MB", $0) } ?? "n/a" }
            var out = """
            corpus: \(studies) studies, \(String(format: "%.2f", Double(fileBytes) / 1e9)) GB JSONL (generated in \(String(format: "%.1f", generationSeconds)) s)
            import: \(String(format: "%.1f", importSeconds)) s = \(String(format: "%.0f", importRate)) studies/s, \(importFailures) failures, peak RSS \(mb(importPeakMBAtTenPercent)) at 10% / \(mb(importPeakMB)) at 100%
            index build: \(String(format: "%.1f", indexBuildSeconds)) s (read + parse + index), \(indexTerms) terms, peak RSS \(mb(indexPeakMB))
            queries (\(queryCount) runs): text p50 \(String(format: "%.2f", queryP50Ms)) ms, p99 \(String(format: "%.2f", queryP99Ms)) ms; with modality+place+radius filters p50 \(String(format: "%.2f", filteredQueryP50Ms)) ms, p99 \(String(format: "%.2f", filteredQueryP99Ms)) ms
            """
            for q in perQuery { out += "\n  \(q.query.padding(toLength: 40, withPad: " ", startingAt: 0)) p50 \(String(format: "%6.2f", q.p50Ms)) ms  \(q.hits) matches" }
            return out
        }
    }

    struct Stop: Error {}

    /// Runs the whole benchmark. `corpus` holds raw study JSON objects, one per element.
    public static func run(corpus: [String], scaleTo: Int, queries: [String], repetitions: Int = 20,
                           workDirectory: URL = FileManager.default.temporaryDirectory,
                           keepFile: Bool = false, log: (String) -> Void = { _ in }) throws -> Report {
        var report = Report()
        let file = workDirectory.appendingPathComponent("onconav-bench-\(UUID().uuidString).jsonl")
        defer { if !keepFile { try? FileManager.default.removeItem(at: file) } }

        var clock = Date()
        report.fileBytes = try generate(corpus: corpus, count: scaleTo, to: file)
        report.generationSeconds = Date().timeIntervalSince(clock)
        log("generated \(scaleTo) studies in \(String(format: "%.1f", report.generationSeconds)) s")

        // Import, parse only: first 10%, then everything (VmHWM only grows, so the order matters).
        let reader = StudyImportReader(source: .file(file))
        var seen = 0
        do {
            try reader.read { _ in
                seen += 1
                if seen >= scaleTo / 10 { throw Stop() }
            }
        } catch is Stop {}
        report.importPeakMBAtTenPercent = peakRSSMegabytes()
        clock = Date()
        var studies = 0
        var failures = 0
        try reader.read { record in
            switch record {
            case .study: studies += 1
            case .failure: failures += 1
            }
        }
        report.importSeconds = Date().timeIntervalSince(clock)
        report.studies = studies
        report.importFailures = failures
        report.importPeakMB = peakRSSMegabytes()
        log("imported \(studies) in \(String(format: "%.1f", report.importSeconds)) s")

        // Index build.
        clock = Date()
        var index = TrialIndex()
        try reader.read { record in
            if case .study(let imported) = record { index.add(imported.study) }
        }
        report.indexBuildSeconds = Date().timeIntervalSince(clock)
        report.indexPeakMB = peakRSSMegabytes()
        report.indexTerms = index.termCount
        log("indexed in \(String(format: "%.1f", report.indexBuildSeconds)) s")

        // Queries.
        let city = index.cityStats.filter { $0.geoCount > 0 }.max { $0.siteCount < $1.siteCount }?.city
        var all: [Double] = []
        var filtered: [Double] = []
        for text in queries {
            var times: [Double] = []
            let query = TrialQuery(text: text)
            var hits = index.search(query).totalMatches // warm-up
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                hits = index.search(query).totalMatches
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            all += times
            report.perQuery.append((text, percentile(times, 0.5), hits))
            var withFilters = query
            withFilters.modalities = [.carT, .tcrT, .til, .nkCell]
            withFilters.near = city.map { .named($0) }
            withFilters.radiusKm = 1_000
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = index.search(withFilters)
                filtered.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        report.queryCount = all.count
        report.queryP50Ms = percentile(all, 0.5)
        report.queryP99Ms = percentile(all, 0.99)
        report.filteredQueryP50Ms = percentile(filtered, 0.5)
        report.filteredQueryP99Ms = percentile(filtered, 0.99)
        return report
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    /// Peak resident set size of this process (VmHWM), Linux only.
    public static func peakRSSMegabytes() -> Double? { procStatus("VmHWM:") }
    /// Current resident set size (VmRSS), Linux only.
    public static func currentRSSMegabytes() -> Double? { procStatus("VmRSS:") }

    static func procStatus(_ key: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let kb = Double(line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else { return nil }
        return kb / 1024
    }

    /// Writes `count` studies varied from `corpus` as JSON lines; returns the file size.
    public static func generate(corpus: [String], count: Int, to url: URL) throws -> Int64 {
        precondition(!corpus.isEmpty, "the benchmark needs at least one real study")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let originals = corpus.map { Array($0.utf8) }
        let ids = originals.map { bytes -> [UInt8]? in
            StudyParser.recoverNCTID(from: Data(bytes)).map { Array($0.utf8) }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 << 20)
        var written: Int64 = 0
        for i in 0..<count {
            let j = i % originals.count
            let variant = i / originals.count
            var bytes = originals[j]
            if variant > 0 {
                let newID = Array(String(format: "NCT9%07d", i % 10_000_000).utf8)
                if let old = ids[j] { replaceAll(&bytes, old, newID) }
                insertAfter(&bytes, Array(#""briefTitle":""#.utf8), Array("(Cohort \(variant)) ".utf8))
                jitterCoordinates(&bytes, seed: UInt64(i))
            }
            buffer.append(contentsOf: bytes)
            buffer.append(0x0A)
            if buffer.count >= 8 << 20 {
                handle.write(Data(buffer))
                written += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        written += Int64(buffer.count)
        return written
    }

    static func replaceAll(_ bytes: inout [UInt8], _ old: [UInt8], _ new: [UInt8]) {
        guard old.count == new.count, !old.isEmpty, bytes.count >= old.count else { return }
        var i = 0
        while i <= bytes.count - old.count {
            if bytes[i] == old[0] && bytes[i..<(i + old.count)].elementsEqual(old) {
                bytes.replaceSubrange(i..<(i + old.count), with: new)
                i += old.count
            } else {
                i += 1
            }
        }
    }

    static func insertAfter(_ bytes: inout [UInt8], _ marker: [UInt8], _ insertion: [UInt8]) {
        guard bytes.count >= marker.count else { return }
        for i in 0...(bytes.count - marker.count) where bytes[i] == marker[0] && bytes[i..<(i + marker.count)].elementsEqual(marker) {
            bytes.insert(contentsOf: insertion, at: i + marker.count)
            return
        }
    }

    /// Moves every `"lat":`/`"lon":` number by up to ±0.05° (a few km).
    static func jitterCoordinates(_ bytes: inout [UInt8], seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        let lat = Array(#""lat":"#.utf8), lon = Array(#""lon":"#.utf8)
        var i = 0
        while i < bytes.count {
            let isLat = i + 6 <= bytes.count && bytes[i] == 0x22 && (bytes[i..<(i + 6)].elementsEqual(lat) || bytes[i..<(i + 6)].elementsEqual(lon))
            guard isLat else { out.append(bytes[i]); i += 1; continue }
            out.append(contentsOf: bytes[i..<(i + 6)])
            i += 6
            var end = i
            while end < bytes.count, bytes[end] == 0x2D || bytes[end] == 0x2E || (bytes[end] >= 0x30 && bytes[end] <= 0x39) { end += 1 }
            if let value = Double(String(decoding: bytes[i..<end], as: UTF8.self)) {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                let jitter = (Double(state % 10_000) / 10_000 - 0.5) * 0.1
                out.append(contentsOf: Array(String(format: "%.5f", value + jitter).utf8))
            } else {
                out.append(contentsOf: bytes[i..<end])
            }
            i = end
        }
        bytes = out
    }
}
