import Foundation

/// A registry-sized benchmark corpus in which every study's eligibility criteria text is
/// distinct, varied from real studies: numbers moved, the order of the criteria within each
/// section shuffled, criteria drawn from other studies added; the title and the conditions
/// varied too, new NCT IDs, sites moved by up to ±0.05°. Deterministic for a seed.
///
/// Synthetic data for measuring (import, start-up, matching), never for judging quality.
/// (`@unchecked Sendable`: the JSON objects are read, never changed, after `init`.)
public struct DistinctCorpus: @unchecked Sendable {
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
        // Variants are made a chunk at a time on every core (each depends only on its index),
        // then checked for distinctness in order; the rare repeat is made again, in order.
        let chunk = 2_000
        for start in stride(from: 0, to: count, by: chunk) {
            let indices = start..<min(count, start + chunk)
            let made = LockedSlots<(UInt64, Data)>(count: indices.count)
            DispatchQueue.concurrentPerform(iterations: indices.count) { offset in
                made.set(offset, try? variant(indices.lowerBound + offset, attempt: 0))
            }
            for (offset, i) in indices.enumerated() {
                var line = made[offset]
                var attempt = 1
                while line.map({ !seen.insert($0.0).inserted }) ?? true, attempt < 8 {
                    line = try variant(i, attempt: attempt)
                    attempt += 1
                }
                if let line {
                    buffer.append(line.1)
                    buffer.append(0x0A)
                }
            }
            if buffer.count >= 8 << 20 { handle.write(buffer); buffer.removeAll(keepingCapacity: true) }
            progress(indices.upperBound)
        }
        handle.write(buffer)
        return seen.count
    }

    // MARK: Variation

    /// Study `i` of the corpus, varied with `attempt` (a retry when the text repeated one
    /// already written): the hash of its criteria text and its JSON.
    func variant(_ i: Int, attempt: Int) throws -> (UInt64, Data) {
        var random = SplitMix(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(attempt) &* 0xD1B5_4A32_D192_ED03)
        let original = originals[i % originals.count]
        let criteria = vary(Self.criteria(in: original) ?? "", index: i, attempt: attempt, random: &random)
        let study = varied(original, index: i, criteria: criteria, random: &random)
        return (Self.fnv(criteria), try JSONSerialization.data(withJSONObject: study, options: [.sortedKeys]))
    }

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
        // The running number makes every title distinct, even where real titles repeat.
        identification["briefTitle"] = "\(Self.arms[Int(random.next() % UInt64(Self.arms.count))]) \(index + 1): \(identification["briefTitle"] as? String ?? nctID)"
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

/// One result per index from concurrent work.
final class LockedSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Value?) { lock.withLock { values[index] = value } }
    subscript(index: Int) -> Value? { lock.withLock { values[index] } }
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
