import Foundation
import ZIPFoundation

/// Why an import could not start (a bad record never throws: it becomes a `RecordFailure`).
public enum StudyImportError: Error, LocalizedError, Sendable {
    case cannotOpen(path: String, reason: String)
    case zipFromStandardInput
    case unreadableArchive(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            "Cannot open \(path): \(reason). Check the path and that the file is readable."
        case .zipFromStandardInput:
            "A ZIP archive cannot be read from standard input (it needs random access). Pass the archive's path instead."
        case .unreadableArchive(let path, let reason):
            "\(path) looks like a ZIP archive but cannot be read: \(reason). Download the bulk archive again."
        }
    }
}

/// Streams ClinicalTrials.gov API v2 studies from a file or standard input.
///
/// The format is detected from the content, never the name: one study object, a JSON
/// array, an API page (`{"studies": […], "nextPageToken": …}`), JSON lines (or any
/// concatenation of those), or the official bulk ZIP (one JSON file per study; files only).
/// Memory stays flat: bytes are read in chunks and split into records by
/// `JSONRecordScanner`; each record is decoded on its own and handed to the caller.
///
/// ```swift
/// let reader = StudyImportReader(source: .file(url))
/// var summary = ImportSummary()
/// try reader.read { record in
///     switch record {
///     case .study(let imported): … // store imported.raw, index imported.study
///     case .failure(let failure): summary.recordFailure(failure)
///     }
/// }
/// ```
public struct StudyImportReader: Sendable {
    public enum Source: Sendable {
        case file(URL)
        case standardInput
    }

    /// What the content turned out to be.
    public enum DetectedFormat: String, Sendable {
        case json, zip
    }

    public var source: Source
    /// Records larger than this are skipped with a failure (protects memory from garbage input).
    public var maxRecordBytes: Int
    public var chunkSize: Int

    public init(source: Source, maxRecordBytes: Int = 64 * 1_048_576, chunkSize: Int = 1 << 20) {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        self.chunkSize = chunkSize
    }

    /// The size of the input in bytes when known (a file), for progress.
    public var totalBytes: Int64? {
        guard case .file(let url) = source,
              let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber else { return nil }
        return size.int64Value
    }

    /// Reads every record, calling `body` for each study or failure in input order.
    /// Throws only when the input cannot be opened, or when `body` throws.
    @discardableResult
    public func read(_ body: (StudyImportRecord) throws -> Void) throws -> DetectedFormat {
        let handle: FileHandle
        let path: String
        switch source {
        case .standardInput:
            handle = FileHandle.standardInput
            path = "standard input"
        case .file(let url):
            path = url.path
            do { handle = try FileHandle(forReadingFrom: url) } catch {
                throw StudyImportError.cannotOpen(path: path, reason: (error as NSError).localizedDescription)
            }
        }
        defer { if case .file = source { try? handle.close() } }

        let first = (try? handle.read(upToCount: chunkSize)) ?? Data()
        if first.starts(with: [0x50, 0x4B, 0x03, 0x04]) || first.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            guard case .file(let url) = source else { throw StudyImportError.zipFromStandardInput }
            try readArchive(url, body)
            return .zip
        }
        var scanner = JSONRecordScanner(maxRecordBytes: maxRecordBytes)
        let decoder = JSONDecoder()
        func handleEvent(_ event: JSONRecordScanner.Event) throws {
            try body(Self.record(for: event, decoder: decoder))
        }
        var chunk = first
        while !chunk.isEmpty {
            try scanner.feed(chunk, handleEvent)
            chunk = (try? handle.read(upToCount: chunkSize)) ?? Data()
        }
        try scanner.finish(handleEvent)
        return .json
    }

    static func record(for event: JSONRecordScanner.Event, decoder: JSONDecoder) -> StudyImportRecord {
        switch event {
        case .record(let raw, let position):
            return StudyParser.parse(raw: raw, position: position, decoder: decoder)
        case .failure(let position, let reason, let partial):
            return .failure(RecordFailure(position: position, nctID: partial.flatMap(StudyParser.recoverNCTID(from:)), reason: reason))
        }
    }

    private func readArchive(_ url: URL, _ body: (StudyImportRecord) throws -> Void) throws {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw StudyImportError.unreadableArchive(path: url.path, reason: "\(error)")
        }
        let decoder = JSONDecoder()
        var recordCount = 0
        var compressedSoFar: Int64 = 0
        for entry in archive where entry.type == .file {
            let name = entry.path
            let base = name.split(separator: "/").last.map(String.init) ?? name
            if name.hasPrefix("__MACOSX/") || base.hasPrefix(".") { continue }
            var scanner = JSONRecordScanner(maxRecordBytes: maxRecordBytes, entry: name, recordCount: recordCount)
            scanner.baseOffset = compressedSoFar
            compressedSoFar += Int64(entry.compressedSize)
            func handleEvent(_ event: JSONRecordScanner.Event) throws {
                do { try body(Self.record(for: event, decoder: decoder)) } catch { throw BodyError(underlying: error) }
            }
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    try scanner.feed(chunk, handleEvent)
                }
                try scanner.finish(handleEvent)
            } catch {
                if let bodyError = error as? BodyError { throw bodyError.underlying }
                recordCount = scanner.recordCount + 1
                try body(.failure(RecordFailure(position: RecordPosition(index: recordCount, line: scanner.line,
                                                                         byteOffset: compressedSoFar, entry: name),
                                                nctID: Self.nctID(inEntryName: base),
                                                reason: "the archive entry could not be extracted: \(error)")))
                continue
            }
            recordCount = scanner.recordCount
        }
    }

    private static func nctID(inEntryName name: String) -> String? {
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        return stem.count == 11 && stem.hasPrefix("NCT") && stem.dropFirst(3).allSatisfy(\.isNumber) ? stem : nil
    }
}

/// Wraps an error thrown by the caller's closure so it is rethrown rather than recorded
/// as a bad archive entry.
struct BodyError: Error { var underlying: any Error }
