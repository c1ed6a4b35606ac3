import Foundation

/// The snapshot file cannot be used (another format, another build, cut short, or made
/// from another registry state). The caller rebuilds the index from the database.
public struct SnapshotRejected: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "index snapshot not used: \(reason)" }
}

/// Writes a snapshot as a stream of little-endian fixed-size values, length-prefixed byte
/// runs and arrays of plain values copied as they lie in memory. Buffered: memory stays at
/// a few megabytes however large the index.
struct SnapshotWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var written: Int64 = 0

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(Self.flushSize)
    }

    static let flushSize = 8 << 20

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func value<T: BitwiseCopyable>(_ value: T) {
        withUnsafeBytes(of: value) { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.flushSize { flush() }
    }

    mutating func int(_ value: Int) { self.value(Int64(value)) }

    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        int(bytes.count)
        if bytes.count >= Self.flushSize {
            flush()
            handle.write(Data(bytes))
            written += Int64(bytes.count)
        } else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= Self.flushSize { flush() }
        }
    }

    mutating func array<T: BitwiseCopyable>(_ values: [T]) {
        values.withUnsafeBytes { bytes($0) }
    }

    mutating func blob(_ data: Data) { data.withUnsafeBytes { bytes($0) } }

    mutating func string(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    mutating func optionalString(_ text: String?) {
        value(UInt8(text == nil ? 0 : 1))
        if let text { string(text) }
    }

    mutating func strings(_ texts: [String]) {
        int(texts.count)
        for text in texts { string(text) }
    }
}

/// Reads what `SnapshotWriter` wrote, from a memory-mapped file; every read checks the
/// bounds, so a truncated or damaged file is rejected, never trusted.
struct SnapshotReader {
    private let data: Data
    private var offset = 0

    init(data: Data) { self.data = data }

    var isAtEnd: Bool { offset == data.count }

    private mutating func take(_ count: Int) throws -> Range<Int> {
        guard count >= 0, count <= data.count - offset else { throw SnapshotRejected("the file is cut short or damaged") }
        defer { offset += count }
        return (data.startIndex + offset)..<(data.startIndex + offset + count)
    }

    mutating func value<T: BitwiseCopyable>(_ type: T.Type = T.self) throws -> T {
        let range = try take(MemoryLayout<T>.size)
        return data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: range.lowerBound - data.startIndex, as: T.self) }
    }

    mutating func int() throws -> Int {
        let value = try self.value(Int64.self)
        guard value >= 0, value <= Int64(data.count) * 64 + 1_000_000 else { throw SnapshotRejected("a count is out of range") }
        return Int(value)
    }

    mutating func array<T: BitwiseCopyable>(_ type: T.Type = T.self) throws -> [T] {
        let byteCount = try int()
        guard byteCount % MemoryLayout<T>.stride == 0 else { throw SnapshotRejected("an array has a partial element") }
        let range = try take(byteCount)
        let count = byteCount / MemoryLayout<T>.stride
        return data.withUnsafeBytes { raw in
            Array(unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[(range.lowerBound - data.startIndex)..<(range.upperBound - data.startIndex)]))
                }
                initialized = count
            }
        }
    }

    mutating func blob() throws -> Data {
        let count = try int()
        let range = try take(count)
        return data.subdata(in: range)
    }

    mutating func string() throws -> String {
        let count = try int()
        let range = try take(count)
        return data.withUnsafeBytes { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[(range.lowerBound - data.startIndex)..<(range.upperBound - data.startIndex)]), as: UTF8.self)
        }
    }

    mutating func optionalString() throws -> String? {
        try value(UInt8.self) == 0 ? nil : string()
    }

    mutating func strings() throws -> [String] {
        let count = try int()
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try string()) }
        return result
    }
}
