import Foundation
import OncoKnowledge
import OncoTrials

/// A study's parsed criteria as the catalog holds them: decoded, or as stored — the
/// criteria text and its `StoredCriteria` parse, both deflated, decoded when a match reads
/// them. Half a million distinct parses fit in about a gigabyte that way.
public enum CatalogCriteria: Sendable {
    case parsed([Criterion])
    case stored(StoredParse)

    /// The criteria; a stored parse that cannot be decoded (a damaged snapshot or row)
    /// reads as no criteria, which the evaluator shows as nothing judged rather than a verdict.
    public var criteria: [Criterion] {
        switch self {
        case .parsed(let criteria): criteria
        case .stored(let stored): (try? stored.decode()) ?? []
        }
    }
}

/// A stored parse in the form the catalog keeps it.
public struct StoredParse: Sendable, Hashable {
    /// Identifies the text (the server uses the SHA-256 of the text, as stored in `criteria_hash`).
    public let key: String
    /// The criteria text, deflated (`RawStudyCompression`).
    public let text: Data
    /// `StoredCriteria` JSON, deflated.
    public let criteria: Data

    public init(key: String, text: Data, criteria: Data) {
        self.key = key
        self.text = text
        self.criteria = criteria
    }

    /// Compresses `text` and pairs it with its stored parse.
    public init(key: String, text: String, criteria: Data) throws {
        self.init(key: key, text: try RawStudyCompression.compress(Data(text.utf8)), criteria: criteria)
    }

    public func decode() throws -> [Criterion] {
        let text = String(decoding: try RawStudyCompression.decompress(self.text), as: UTF8.self)
        return try StoredCriteria.decode(RawStudyCompression.decompress(criteria), text: text)
    }
}

/// The catalog written to and read from one file, so a server starts from it in seconds
/// instead of rebuilding the index from every stored study. The file names the registry
/// state it was made from (`fingerprint`, chosen by the caller); reading it for another
/// state is refused, and so is a file from another format or build.
extension TrialCatalog {
    static let snapshotMagic = "ONCONAV-TRIAL-INDEX"
    /// Bumped whenever the layout written here changes.
    static let snapshotFormat = 1

    /// Writes the catalog to `url` (through a temporary file, renamed into place, so a
    /// reader never sees half a snapshot). Every criteria set must be in stored form.
    /// `appendix` is stored with it and handed back by `readSnapshot` (the server keeps its
    /// site-facility map there). Returns the file's size in bytes.
    @discardableResult
    public func writeSnapshot(to url: URL, fingerprint: String, appendix: [String: [String]] = [:]) throws -> Int64 {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            var writer = SnapshotWriter(handle: handle)
            writer.string(Self.snapshotMagic)
            writer.int(Self.snapshotFormat)
            writer.string(TrialIndex.snapshotLayout)
            writer.string(fingerprint)
            try writeBody(&writer)
            writer.int(appendix.count)
            for (key, values) in appendix.sorted(by: { $0.key < $1.key }) {
                writer.string(key)
                writer.strings(values)
            }
            writer.string(Self.snapshotMagic)
            writer.flush()
            try handle.synchronize()
            try handle.close()
            _ = try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: temporary, to: url)
            return writer.written
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private func writeBody(_ writer: inout SnapshotWriter) throws {
        index.write(to: &writer)
        writer.int(criteriaSets.count)
        for set in criteriaSets {
            switch set {
            case .parsed(let criteria):
                guard criteria.isEmpty else { throw SnapshotRejected("a criteria set was parsed in memory; only stored parses can be written") }
                writer.value(UInt8(0))
            case .stored(let stored):
                writer.value(UInt8(1))
                writer.string(stored.key)
                writer.blob(stored.text)
                writer.blob(stored.criteria)
            }
        }
        writer.int(records.count)
        for record in records.values {
            writer.string(record.nctID)
            writer.string(record.title)
            writer.strings(record.phases)
            writer.optionalString(record.overallStatus)
            writer.strings(record.conditions)
            writer.strings(record.modalities.map(\.rawValue).sorted())
            writer.int(record.recruitingSites)
            writer.optionalString(record.lastUpdate)
            writer.value(record.criteria)
        }
    }

    /// The fingerprint a snapshot file was written with, read from its header (nil when the
    /// file is missing or not a snapshot of this format and build).
    public static func snapshotFingerprint(at url: URL) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 64 << 10) else { return nil }
        var reader = SnapshotReader(data: head)
        return try? readHeader(&reader)
    }

    private static func readHeader(_ reader: inout SnapshotReader) throws -> String {
        guard try reader.string() == snapshotMagic else { throw SnapshotRejected("not an OncoNav index snapshot") }
        guard try reader.int() == snapshotFormat else { throw SnapshotRejected("written by another version of OncoNav") }
        guard try reader.string() == TrialIndex.snapshotLayout else { throw SnapshotRejected("written by a build with another memory layout") }
        return try reader.string()
    }

    /// Reads a snapshot into this catalog, which must be new (made with the same knowledge
    /// base and lexicon as the one written). Throws `SnapshotRejected` when the file was
    /// written for another fingerprint, or is damaged. Returns the appendix written with it.
    @discardableResult
    public mutating func readSnapshot(from url: URL, fingerprint: String) throws -> [String: [String]] {
        guard records.isEmpty, index.count == 0 else { throw SnapshotRejected("the catalog is not empty") }
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch { throw SnapshotRejected("cannot read \(url.path): \(error.localizedDescription)") }
        var reader = SnapshotReader(data: data)
        let found = try Self.readHeader(&reader)
        guard found == fingerprint else { throw SnapshotRejected("made from another registry state (the stored trials changed since)") }
        var index = self.index
        try index.read(from: &reader)
        let setCount = try reader.int()
        var sets: [CatalogCriteria] = []
        var keys: [String: Int32] = [:]
        sets.reserveCapacity(setCount)
        keys.reserveCapacity(setCount)
        for slot in 0..<setCount {
            switch try reader.value(UInt8.self) {
            case 0:
                sets.append(.parsed([]))
            case 1:
                let stored = StoredParse(key: try reader.string(), text: try reader.blob(), criteria: try reader.blob())
                keys[stored.key] = Int32(slot)
                sets.append(.stored(stored))
            default:
                throw SnapshotRejected("a criteria set has an unknown form")
            }
        }
        keys[""] = 0
        let recordCount = try reader.int()
        var records: [String: Record] = [:]
        records.reserveCapacity(recordCount)
        for _ in 0..<recordCount {
            let record = Record(
                nctID: try reader.string(), title: try reader.string(), phases: try reader.strings(), overallStatus: try reader.optionalString(),
                conditions: try reader.strings(), modalities: Set(try reader.strings().compactMap(TherapyModality.init(rawValue:))),
                recruitingSites: try reader.int(), lastUpdate: try reader.optionalString(), criteria: try reader.value())
            guard record.criteria >= 0, Int(record.criteria) < sets.count else { throw SnapshotRejected("a study points at a missing criteria set") }
            records[record.nctID] = record
        }
        let appendixCount = try reader.int()
        var appendix: [String: [String]] = [:]
        for _ in 0..<appendixCount {
            let key = try reader.string()
            appendix[key] = try reader.strings()
        }
        guard try reader.string() == Self.snapshotMagic, reader.isAtEnd else { throw SnapshotRejected("the file is cut short or has trailing data") }
        guard records.count == index.count else { throw SnapshotRejected("the index and the study records differ in count") }
        self.index = index
        self.records = records
        criteriaSets = sets
        criteriaByKey = keys
        return appendix
    }
}
