import Foundation

/// A registry-sized benchmark corpus in which every study's eligibility criteria text is
/// distinct, varied from real studies: numbers moved, the order of the criteria within each
/// section shuffled, criteria drawn from other studies added; the title and the conditions
/// varied too, new NCT IDs, sites moved by up to ±0.05°. Deterministic for a seed.
///
/// Synthetic data for measuring (import, start-up, matching), never for judging quality.
public struct DistinctCorpus {
    public let originals: [[String: Any]]
    public let seed: UInt64
    private let criteriaLines: [[String]]
    private let conditionPool: [String]

    enum CorpusError: Error, CustomStringConvertible {
        case noStudies(String)
        var description: String {
            switch self { case .noStudies(let path): "No ClinicalTrials.gov study with eligibility criteria in \(path); pass a JSON-lines file of API v2 studies." }
        }
    }

    /// `lines`: raw ClinicalTrials.gov API v2 study objects, one per element.
    public init(lines: [String], seed: UInt64 = 16, source: String = "the corpus") throws {
        let objects = lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { Self.criteria(in: $0) != nil }
        guard !objects.isEmpty else { throw CorpusError.noStudies(source) }
        originals = objects
        self.seed = seed
        criteriaLines = objects.map { Self.lines(of: Self.criteria(in: $0) ?? "").filter { !Self.isHeading($0) } }
        conditionPool = objects.flatMap { ((($0["protocolSection"] as? [String: Any])?["conditionsModule"] as? [String: Any])?["conditions"] as? [String]) ?? [] }
    }

    /// Writes `count` studies as JSON lines; returns the number of distinct criteria texts
    /// written (equal to `count` unless a variant could not be made distinct).
    public func write(count: Int, to url: URL, progress: (Int) -> Void = { _ in }) throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var seen = Set<UInt64>()
        var buffer = Data()
        for i in 0..<count {
            var random = SplitMix(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            var study = originals[i % originals.count]
            var criteria = ""
            for attempt in 0..<8 {
                criteria = vary(Self.criteria(in: study) ?? "", index: i, attempt: attempt, random: &random)
                if seen.insert(Self.fnv(criteria)).inserted { break }
            }
            study = varied(study, index: i, criteria: criteria, random: &random)
            buffer.append(try JSONSerialization.data(withJSONObject: study))
            buffer.append(0x0A)
            if buffer.count >= 8 << 20 { handle.write(buffer); buffer.removeAll(keepingCapacity: true) }
            if (i + 1) % 10_000 == 0 { progress(i + 1) }
        }
        handle.write(buffer)
        return seen.count
    }

    // MARK: Variation

    func vary(_ text: String, index: Int, attempt: Int, random: inout SplitMix) -> String {
        var sections: [[String]] = [[]]
        for line in Self.lines(of: text) {
            if Self.isHeading(line) { sections.append([line]) } else { sections[sections.count - 1].append(line) }
        }
        var out: [String] = []
        for var section in sections where !section.isEmpty {
            let heading = section.first.map(Self.isHeading) ?? false ? [section.removeFirst()] : []
            // Shuffle the criteria of the section, then add one or two from another study.
            for k in stride(from: section.count - 1, to: 0, by: -1) { section.swapAt(k, Int(random.next() % UInt64(k + 1))) }
            for _ in 0..<(1 + Int(random.next() % 2)) {
                let donor = criteriaLines[Int(random.next() % UInt64(criteriaLines.count))]
                if let line = donor.isEmpty ? nil : donor[Int(random.next() % UInt64(donor.count))] {
                    section.insert(line, at: Int(random.next() % UInt64(section.count + 1)))
                }
            }
            out += heading + section.map { Self.moveNumbers($0, random: &random, attempt: attempt) }
        }
        return out.joined(separator: "\n")
    }

    func varied(_ original: [String: Any], index: Int, criteria: String, random: inout SplitMix) -> [String: Any] {
        var study = original
        var protocolSection = study["protocolSection"] as? [String: Any] ?? [:]
        var identification = protocolSection["identificationModule"] as? [String: Any] ?? [:]
        let nctID = String(format: "NCT9%07d", index % 10_000_000)
        let cohort = index / originals.count + 1
        identification["nctId"] = nctID
        identification["briefTitle"] = "\(Self.arms[Int(random.next() % UInt64(Self.arms.count))]) \(cohort): \(identification["briefTitle"] as? String ?? nctID)"
        if let official = identification["officialTitle"] as? String { identification["officialTitle"] = "\(official) (cohort \(cohort))" }
        protocolSection["identificationModule"] = identification
        if var conditions = protocolSection["conditionsModule"] as? [String: Any] {
            var names = conditions["conditions"] as? [String] ?? []
            if !conditionPool.isEmpty { names.append(conditionPool[Int(random.next() % UInt64(conditionPool.count))]) }
            conditions["conditions"] = names
            protocolSection["conditionsModule"] = conditions
        }
        if var eligibility = protocolSection["eligibilityModule"] as? [String: Any] {
            eligibility["eligibilityCriteria"] = criteria
            protocolSection["eligibilityModule"] = eligibility
        }
        if var contacts = protocolSection["contactsLocationsModule"] as? [String: Any], var locations = contacts["locations"] as? [[String: Any]] {
            for k in locations.indices {
                guard var point = locations[k]["geoPoint"] as? [String: Any], let lat = point["lat"] as? Double, let lon = point["lon"] as? Double else { continue }
                point["lat"] = lat + (Double(random.next() % 10_000) / 10_000 - 0.5) * 0.1
                point["lon"] = lon + (Double(random.next() % 10_000) / 10_000 - 0.5) * 0.1
                locations[k]["geoPoint"] = point
            }
            contacts["locations"] = locations
            protocolSection["contactsLocationsModule"] = contacts
        }
        study["protocolSection"] = protocolSection
        return study
    }

    static let arms = ["Cohort", "Arm", "Expansion cohort", "Part", "Stage", "Dose level"]

    /// Each number moved by a small step (ages, lab limits, weeks), more on a retry.
    static func moveNumbers(_ line: String, random: inout SplitMix, attempt: Int) -> String {
        var out = ""
        var digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            if let value = Int(digits), value > 1, value < 100_000, random.next() % 3 == 0 {
                let step = Int(random.next() % UInt64(2 + attempt)) + 1
                out += String(random.next() % 2 == 0 ? value + step : max(1, value - step))
            } else {
                out += digits
            }
            digits = ""
        }
        for character in line {
            if character.isASCII, character.isNumber { digits.append(character) } else { flush(); out.append(character) }
        }
        flush()
        return out
    }

    static func criteria(in study: [String: Any]) -> String? {
        (((study["protocolSection"] as? [String: Any])?["eligibilityModule"] as? [String: Any])?["eligibilityCriteria"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    static func isHeading(_ line: String) -> Bool {
        let lower = line.lowercased()
        return line.count < 60 && (lower.contains("inclusion") || lower.contains("exclusion")) && lower.contains("criteria")
    }

    static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

/// A small, fast, seedable generator (SplitMix64), so the corpus is the same on every machine.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
