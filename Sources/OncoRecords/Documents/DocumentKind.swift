import Foundation

/// What a document really is, decided from its bytes — never from its name, because
/// uploads lie (a photo saved as "report.pdf", an executable renamed ".txt").
public enum DocumentKind: String, Codable, Sendable, Hashable, CaseIterable {
    case pdf
    case jpeg
    case png
    case tiff
    case plainText = "plain-text"
    /// Office Open XML word-processing document (a ZIP holding `word/document.xml`).
    case docx
    /// A FHIR resource or Bundle in JSON (an object with `resourceType`).
    case fhirJSON = "fhir-json"
    case unknown

    public var displayName: String {
        switch self {
        case .pdf: "PDF document"
        case .jpeg: "JPEG image"
        case .png: "PNG image"
        case .tiff: "TIFF image"
        case .plainText: "plain text"
        case .docx: "Word document (DOCX)"
        case .fhirJSON: "FHIR JSON"
        case .unknown: "unrecognised file"
        }
    }

    public var isImage: Bool { self == .jpeg || self == .png || self == .tiff }

    /// Sniffs the kind from magic bytes and content.
    public static func sniff(data: Data) -> DocumentKind {
        let bytes = [UInt8](data.prefix(8))
        func starts(with magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes.prefix(magic.count)) == magic }

        if starts(with: Array("%PDF-".utf8)) { return .pdf }
        // Some generators put a few bytes of junk before the header; readers accept it within 1 KB.
        if data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil, !looksLikeText(data) { return .pdf }
        if starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(with: [0x49, 0x49, 0x2A, 0x00]) || starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            // File names in ZIP local headers and the central directory are stored uncompressed.
            return data.range(of: Data("word/document.xml".utf8)) != nil ? .docx : .unknown
        }
        if isFHIRJSON(data) { return .fhirJSON }
        if looksLikeText(data) { return .plainText }
        return .unknown
    }

    private static func isFHIRJSON(_ data: Data) -> Bool {
        guard let first = data.prefix(4096).first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }),
              first == UInt8(ascii: "{") else { return false }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["resourceType"] is String
    }

    /// Decodable as text (UTF-8/UTF-16 with BOM, or 8-bit without control characters).
    static func looksLikeText(_ data: Data) -> Bool {
        if data.isEmpty { return false }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) { return true }
        let sample = data.prefix(64 * 1024)
        var controls = 0
        for byte in sample {
            if byte == 0 { return false }
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0x0C { controls += 1 }
        }
        return controls * 100 <= sample.count  // at most 1 % stray control bytes
    }

    /// The kind a file name's extension claims, if it names one we know.
    public static func claimed(byFileName fileName: String) -> DocumentKind? {
        let ext = (fileName as NSString).pathExtension.lowercased()
        switch ext {
        case "pdf": return .pdf
        case "jpg", "jpeg", "jpe": return .jpeg
        case "png": return .png
        case "tif", "tiff": return .tiff
        case "txt", "text": return .plainText
        case "docx": return .docx
        case "json": return .fhirJSON
        default: return nil
        }
    }

    /// The kind a MIME type claims, if it names one we know.
    public static func claimed(byMIMEType mimeType: String) -> DocumentKind? {
        let bare = mimeType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch bare {
        case "application/pdf": return .pdf
        case "image/jpeg", "image/jpg", "image/pjpeg": return .jpeg
        case "image/png": return .png
        case "image/tiff": return .tiff
        case "text/plain": return .plainText
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": return .docx
        case "application/fhir+json", "application/json": return .fhirJSON
        default: return nil
        }
    }
}

/// A file whose name or declared MIME type says one thing and whose content another.
public struct DocumentTypeMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was declared: the file name or the MIME type.
    public var declared: String
    public var claimedKind: DocumentKind
    public var sniffedKind: DocumentKind

    public var description: String {
        if sniffedKind == .unknown {
            return "The file declared as \"\(declared)\" (\(claimedKind.displayName)) is not a \(claimedKind.displayName): its content was not recognised. It cannot be read; please upload the original document."
        }
        return "The file declared as \"\(declared)\" claims to be a \(claimedKind.displayName) but its content is a \(sniffedKind.displayName); it will be treated as a \(sniffedKind.displayName)."
    }
}

extension DocumentKind {
    /// Compares what the upload declared with what its content is. Returns the mismatches
    /// (name and MIME type are checked separately); empty when everything agrees or the
    /// declaration is unknown. Plain JSON declared as `.json` but not FHIR is reported too.
    public static func mismatches(fileName: String?, mimeType: String?, sniffed: DocumentKind) -> [DocumentTypeMismatch] {
        var result: [DocumentTypeMismatch] = []
        if let fileName, let claimed = claimed(byFileName: fileName), !compatible(claimed: claimed, sniffed: sniffed) {
            result.append(DocumentTypeMismatch(declared: fileName, claimedKind: claimed, sniffedKind: sniffed))
        }
        if let mimeType, let claimed = claimed(byMIMEType: mimeType), !compatible(claimed: claimed, sniffed: sniffed) {
            result.append(DocumentTypeMismatch(declared: mimeType, claimedKind: claimed, sniffedKind: sniffed))
        }
        return result
    }

    private static func compatible(claimed: DocumentKind, sniffed: DocumentKind) -> Bool {
        if claimed == sniffed { return true }
        // FHIR JSON is text; a ".txt" holding FHIR is harmless, and text named ".json" is merely not FHIR.
        if claimed == .plainText && sniffed == .fhirJSON { return true }
        return false
    }
}
