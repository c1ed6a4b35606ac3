import Foundation

/// Where a record sat in its input, for progress and for failure messages a person can
/// act on ("line 812: …", "entry NCT01234567.json: …").
public struct RecordPosition: Sendable, Hashable, CustomStringConvertible {
    /// 1-based number of the record in the whole input (across ZIP entries).
    public var index: Int
    /// 1-based line on which the record starts (within its ZIP entry, if any).
    public var line: Int
    /// Bytes of the input consumed when the record ended (for a ZIP: compressed bytes of
    /// the entries read so far). Suitable for progress against the file size.
    public var byteOffset: Int64
    /// The ZIP entry the record came from.
    public var entry: String?

    public init(index: Int, line: Int, byteOffset: Int64, entry: String? = nil) {
        self.index = index
        self.line = line
        self.byteOffset = byteOffset
        self.entry = entry
    }

    public var description: String {
        if let entry { return "record \(index) (entry \(entry), line \(line))" }
        return "record \(index) (line \(line))"
    }
}

/// Splits a stream of JSON bytes into study records without ever holding more than one
/// record: an incremental byte-level scanner that tracks nesting depth, strings and
/// escapes, so it never needs the whole array or page in memory.
///
/// It recognises, from the content alone:
/// - top-level objects (one study, or many: JSON lines / concatenated JSON),
/// - a top-level array (each element is a record),
/// - an API page `{"studies": [ … ], "nextPageToken": …}` (each element of `studies`).
///
/// When the first record fits on one line the input is treated as JSON lines: a line that
/// ends inside a value becomes a failure and scanning resumes on the next line, so one
/// truncated line never swallows the rest of the file.
struct JSONRecordScanner {
    enum Event {
        case record(Data, RecordPosition)
        case failure(RecordPosition, reason: String, partial: Data?)
    }

    let maxRecordBytes: Int
    let entry: String?
    /// Number of records (and failures) emitted so far, shared across ZIP entries by the caller.
    var recordCount: Int
    /// Offset added to byte positions (compressed bytes of earlier ZIP entries).
    var baseOffset: Int64 = 0

    private(set) var line = 1
    private(set) var consumed: Int64 = 0

    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Depth at which record values start: 0 top level, 1 inside a top-level array,
    /// 2 inside a page's `studies` array; -1 while skipping the rest of a page.
    private var recordDepth = 0
    private var inRecord = false
    private var discarding = false
    private var buffer = Data()
    private var recordStartLine = 1
    private var topIsObject = false
    private var inPage = false
    private var capturingKey = false
    private var keyBytes: [UInt8] = []
    private var lastString: [UInt8] = []
    private var pendingKey: [UInt8]?
    private var linesMode: Bool?
    private var skippingJunk = false

    private static let studiesKey = Array("studies".utf8)

    init(maxRecordBytes: Int, entry: String? = nil, recordCount: Int = 0) {
        self.maxRecordBytes = maxRecordBytes
        self.entry = entry
        self.recordCount = recordCount
    }

    private var position: RecordPosition {
        RecordPosition(index: recordCount, line: recordStartLine, byteOffset: baseOffset + consumed, entry: entry)
    }

    private mutating func resetToTopLevel() {
        depth = 0
        inString = false
        escaped = false
        recordDepth = 0
        inRecord = false
        discarding = false
        buffer = Data()
        topIsObject = false
        inPage = false
        capturingKey = false
        pendingKey = nil
    }

    private mutating func fail(_ reason: String, partial: Data?, _ emit: (Event) throws -> Void) rethrows {
        recordCount += 1
        try emit(.failure(position, reason: reason, partial: partial))
    }

    /// Feeds the next chunk of bytes; calls `emit` for each complete record or failure.
    mutating func feed(_ chunk: Data, _ emit: (Event) throws -> Void) throws {
        // Errors from `emit` are carried out of `withUnsafeBytes` by hand: throwing through
        // it from a nested callback crashed the Swift 6.3 runtime on Linux.
        var caught: (any Error)?
        chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
          do {
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            // Start of the current record's bytes within this chunk.
            var segmentStart: Int? = inRecord ? 0 : nil
            var i = 0
            while i < count {
                let b = bytes[i]
                if b == 0x0A { line += 1 }
                if skippingJunk {
                    if b == 0x0A { skippingJunk = false }
                    i += 1
                    continue
                }
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == 0x5C {
                        escaped = true
                    } else if b == 0x22 {
                        inString = false
                        if capturingKey { capturingKey = false; lastString = keyBytes }
                    } else if b == 0x0A, linesMode == true {
                        consumed += Int64(i + 1)
                        let partial = partialRecord(bytes, segmentStart, i)
                        try fail("the line ended inside a string: the record is truncated or not valid JSON", partial: partial, emit)
                        consumed -= Int64(i + 1)
                        resetToTopLevel(); segmentStart = nil
                    } else if capturingKey, keyBytes.count < 32 {
                        keyBytes.append(b)
                    }
                    i += 1
                    continue
                }
                switch b {
                case 0x20, 0x09, 0x0D:
                    break
                case 0x0A:
                    if depth > 0, linesMode == true {
                        consumed += Int64(i + 1)
                        let partial = partialRecord(bytes, segmentStart, i)
                        try fail("the line ended before the JSON value was complete: the record is truncated", partial: partial, emit)
                        consumed -= Int64(i + 1)
                        resetToTopLevel(); segmentStart = nil
                    }
                case 0x22: // "
                    inString = true
                    if depth == 1, topIsObject, !inPage { capturingKey = true; keyBytes.removeAll(keepingCapacity: true) }
                case 0x7B, 0x5B: // { [
                    if depth == 0 {
                        recordStartLine = line
                        if b == 0x7B {
                            topIsObject = true
                            inRecord = true
                            recordDepth = 0
                            segmentStart = i
                        } else {
                            topIsObject = false
                            recordDepth = 1
                        }
                    } else if b == 0x5B, depth == 1, topIsObject, !inPage, pendingKey == Self.studiesKey {
                        // An API page: drop the few bytes buffered so far and emit the
                        // elements of `studies` one by one.
                        inPage = true
                        inRecord = false
                        discarding = false
                        buffer = Data()
                        segmentStart = nil
                        recordDepth = 2
                    } else if !inRecord, depth == recordDepth {
                        recordStartLine = line
                        inRecord = true
                        segmentStart = i
                    }
                    depth += 1
                case 0x7D, 0x5D: // } ]
                    if depth == 0 {
                        consumed += Int64(i + 1)
                        try fail("unexpected '\(Character(Unicode.Scalar(b)))' outside any record", partial: nil, emit)
                        consumed -= Int64(i + 1)
                        break
                    }
                    depth -= 1
                    if inRecord, depth == recordDepth {
                        consumed += Int64(i + 1)
                        if discarding {
                            try fail("the record is larger than \(maxRecordBytes / 1_048_576) MB and was skipped", partial: nil, emit)
                        } else {
                            appendSegment(bytes, from: segmentStart ?? 0, through: i)
                            let record = buffer
                            buffer = Data()
                            recordCount += 1
                            if depth == 0, linesMode == nil { linesMode = recordStartLine == line }
                            try emit(.record(record, position))
                        }
                        consumed -= Int64(i + 1)
                        inRecord = false
                        discarding = false
                        segmentStart = nil
                    } else if inPage, depth == 1 {
                        recordDepth = -1 // rest of the page (nextPageToken …) is not a record
                    }
                    if depth == 0 {
                        resetToTopLevel()
                    }
                case 0x3A: // :
                    if depth == 1, topIsObject, !inPage { pendingKey = lastString }
                case 0x2C: // ,
                    if depth == 1 { pendingKey = nil }
                default:
                    if depth == 0 {
                        recordStartLine = line
                        consumed += Int64(i + 1)
                        try fail("unexpected text outside any JSON object; skipped to the end of the line", partial: nil, emit)
                        consumed -= Int64(i + 1)
                        skippingJunk = b != 0x0A
                    }
                }
                i += 1
            }
            if inRecord, let start = segmentStart, !discarding {
                appendSegment(bytes, from: start, through: count - 1)
                if buffer.count > maxRecordBytes { discarding = true; buffer = Data() }
            }
            consumed += Int64(count)
          } catch {
            caught = error
          }
        }
        if let caught { throw caught }
    }

    private func partialRecord(_ bytes: UnsafeBufferPointer<UInt8>, _ segmentStart: Int?, _ end: Int) -> Data? {
        guard inRecord, !discarding else { return nil }
        var partial = buffer
        if let start = segmentStart, start <= end {
            partial.append(UnsafeBufferPointer(rebasing: bytes[start...end]))
        }
        return partial
    }

    private mutating func appendSegment(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, through end: Int) {
        guard start <= end else { return }
        buffer.append(UnsafeBufferPointer(rebasing: bytes[start...end]))
    }

    /// Ends the input: an unfinished record becomes a failure.
    mutating func finish(_ emit: (Event) throws -> Void) rethrows {
        if depth > 0 || inString {
            let partial = inRecord && !discarding ? buffer : nil
            try fail("the input ended inside a record: the file is truncated", partial: partial, emit)
            resetToTopLevel()
        }
    }
}
