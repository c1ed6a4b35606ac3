import Foundation

/// A study read from an import, with the exact bytes it came from (store those: they are
/// the registry's record, and `StudyParser.reparse(raw:)` rebuilds the model from them).
public struct ImportedStudy: Sendable {
    public var nctID: String
    /// The registry's last update (post date, else submit date); compare with the stored
    /// one to tell new / updated / unchanged.
    public var lastUpdate: RegistryDate?
    /// The record's JSON bytes, verbatim.
    public var raw: Data
    public var study: Study
    public var position: RecordPosition
}

/// A record that could not be read. The import carries on after it.
public struct RecordFailure: Sendable, Hashable, CustomStringConvertible {
    public var position: RecordPosition
    /// The NCT ID, when it could be recovered from the broken record.
    public var nctID: String?
    /// What was wrong, in words a person can act on.
    public var reason: String

    public init(position: RecordPosition, nctID: String?, reason: String) {
        self.position = position
        self.nctID = nctID
        self.reason = reason
    }

    public var description: String {
        "\(position)\(nctID.map { " \($0)" } ?? ""): \(reason)"
    }
}

/// One item of an import stream: a study, or a failure that does not stop the stream.
public enum StudyImportRecord: Sendable {
    case study(ImportedStudy)
    case failure(RecordFailure)
}

/// Decodes one study's JSON bytes.
public enum StudyParser {
    /// Rebuilds the model from stored raw bytes (e.g. after a model change).
    public static func reparse(raw: Data) throws -> Study {
        try JSONDecoder().decode(Study.self, from: raw)
    }

    /// Decodes one record, turning every problem into a `RecordFailure` with a readable reason.
    public static func parse(raw: Data, position: RecordPosition, decoder: JSONDecoder = JSONDecoder()) -> StudyImportRecord {
        do {
            let study = try decoder.decode(Study.self, from: raw)
            let nctID = study.nctID.trimmingCharacters(in: .whitespaces)
            guard !nctID.isEmpty else {
                return .failure(RecordFailure(position: position, nctID: nil,
                                              reason: "protocolSection.identificationModule.nctId is empty"))
            }
            return .study(ImportedStudy(nctID: nctID, lastUpdate: study.lastUpdate, raw: raw, study: study, position: position))
        } catch {
            return .failure(RecordFailure(position: position, nctID: recoverNCTID(from: raw), reason: describe(error)))
        }
    }

    /// A readable reason for a decoding error, naming the field path.
    public static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the record" : text
        }
        guard let decoding = error as? DecodingError else { return "could not read the record: \(error.localizedDescription)" }
        switch decoding {
        case .keyNotFound(let key, let context):
            if context.codingPath.isEmpty, key.stringValue == "protocolSection" {
                return "not a ClinicalTrials.gov API v2 study (no protocolSection)"
            }
            return "required field \(path(context.codingPath, key)) is missing"
        case .typeMismatch(let type, let context):
            return "field \(path(context.codingPath)) has the wrong type (expected \(type))"
        case .valueNotFound(_, let context):
            return "field \(path(context.codingPath)) is null"
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.localizedDescription
            return "not valid JSON\(context.codingPath.isEmpty ? "" : " at \(path(context.codingPath))"): "
                + (underlying ?? context.debugDescription)
        @unknown default:
            return "could not read the record: \(error)"
        }
    }

    /// Finds `"nctId": "NCT…"` in (possibly broken) bytes.
    public static func recoverNCTID(from raw: Data) -> String? {
        guard let keyRange = raw.range(of: Data("\"nctId\"".utf8)) else { return nil }
        let tail = raw[keyRange.upperBound..<min(raw.endIndex, keyRange.upperBound + 64)]
        guard let start = tail.range(of: Data("NCT".utf8)) else { return nil }
        var id = "NCT"
        var index = start.upperBound
        while index < tail.endIndex, id.count < 11, (0x30...0x39).contains(tail[index]) {
            id.append(Character(Unicode.Scalar(tail[index])))
            index += 1
        }
        return id.count == 11 ? id : nil
    }
}
