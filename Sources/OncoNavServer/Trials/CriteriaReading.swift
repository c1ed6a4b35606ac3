import Crypto
import Foundation
import OncoTrials

/// How the server reads eligibility text: one parser with the knowledge base's vocabulary,
/// and the version stamp stored with every parse. A criteria text is parsed once, at
/// import; the index, the trial page and matching read the stored parse.
public struct CriteriaReading: Sendable {
    public let parser: EligibilityParser
    /// `EligibilityParser.version` and a digest of the vocabulary the parser maps names
    /// with: a new parser or a knowledge-base edit that changes the vocabulary makes every
    /// stored parse stale, and it is re-read in the background.
    public let version: String

    public init(parser: EligibilityParser) {
        self.parser = parser
        version = "\(EligibilityParser.version)-\(Self.fingerprint(parser.extractor.lexicon))"
    }

    /// A parse ready to store.
    public struct Parsed: Sendable {
        public let hash: String
        public let version: String
        public let criteria: [Criterion]
        /// `StoredCriteria` JSON, compressed.
        public let stored: Data
    }

    public func parse(_ text: String) throws -> Parsed {
        let criteria = parser.parse(text)
        return Parsed(hash: Self.hash(text), version: version, criteria: criteria,
                      stored: try RawStudyCompression.compress(StoredCriteria.encode(criteria)))
    }

    /// The stored parse of `text`, whatever its version; nil when none is stored, it was
    /// made from another text, or it cannot be read.
    func stored(_ record: TrialRecord, text: String, checkHash: Bool = true) -> [Criterion]? {
        guard let data = record.parsedCriteria, let hash = record.criteriaHash, !checkHash || hash == Self.hash(text) else { return nil }
        return try? StoredCriteria.decode(RawStudyCompression.decompress(data), text: text)
    }

    /// SHA-256 of the text's UTF-8, in hex.
    public static func hash(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// Lower-case hex of a digest (`String(format:)` per byte costs more than the hash).
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first 16 hex digits of a SHA-256 over the vocabulary's entries, in order.
    static func fingerprint(_ lexicon: ConceptLexicon) -> String {
        var hasher = SHA256()
        for entry in lexicon.entries {
            hasher.update(data: Data("\(entry.term)\t\(entry.conceptID)\t\(entry.kind.rawValue)\t\(entry.modality?.rawValue ?? "")\n".utf8))
        }
        return String(hasher.finalize().map { String(format: "%02x", $0) }.joined().prefix(16))
    }
}
