import Foundation
import ZIPFoundation

/// Compresses a study's raw JSON for storage (typically 5–10× smaller).
///
/// Uses ZIPFoundation's public `Data.compress` / `Data.decompress`, which produce and read
/// a raw DEFLATE stream (RFC 1951, no zlib or gzip header; ZIPFoundation links the system
/// zlib internally on Linux and uses Apple's Compression framework on Darwin — the streams
/// are interchangeable). zlib itself is not importable from our targets, hence this route.
public enum RawStudyCompression {
    /// Raw DEFLATE of `raw`.
    public static func compress(_ raw: Data) throws -> Data {
        var output = Data()
        _ = try Data.compress(size: Int64(raw.count), bufferSize: 64 * 1024, provider: { position, size in
            slice(raw, position, size)
        }, consumer: { output.append($0) })
        return output
    }

    /// Inverse of `compress(_:)`.
    public static func decompress(_ compressed: Data) throws -> Data {
        var output = Data()
        _ = try Data.decompress(size: Int64(compressed.count), bufferSize: 64 * 1024, skipCRC32: true, provider: { position, size in
            slice(compressed, position, size)
        }, consumer: { output.append($0) })
        return output
    }

    /// The provider may ask past the end (the zlib path always asks for a full buffer).
    private static func slice(_ data: Data, _ position: Int64, _ size: Int) -> Data {
        let start = min(data.count, Int(position))
        let end = min(data.count, start + size)
        return data.subdata(in: data.startIndex + start ..< data.startIndex + end)
    }
}
