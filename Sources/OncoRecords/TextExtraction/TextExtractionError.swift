import Foundation

/// Why text could not be extracted. Messages are for the person operating the service:
/// they name the tool, the package to install, or the limit that was hit.
public enum TextExtractionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tool is not installed. The message is exactly
    /// "text extraction unavailable: install <package>".
    case toolUnavailable(tool: String)
    case timedOut(tool: String, seconds: Int)
    case toolFailed(tool: String, exitCode: Int32, message: String)
    /// The document is of a kind this extractor does not read (FHIR JSON goes to `FHIRImporter`).
    case unsupportedKind(DocumentKind, hint: String)
    case unreadableText(reason: String)
    case scratchFileFailed(path: String)

    /// The Debian/Homebrew package that provides `tool`.
    public static func package(providing tool: String) -> String {
        switch tool {
        case "pdftotext", "pdftoppm", "pdfinfo": "poppler-utils"
        case "tesseract": "tesseract-ocr"
        default: tool
        }
    }

    public var description: String {
        switch self {
        case .toolUnavailable(let tool):
            "text extraction unavailable: install \(Self.package(providing: tool))"
        case .timedOut(let tool, let seconds):
            "text extraction stopped: \(tool) took longer than \(seconds) s and was killed (the document may be damaged or hostile; retry, or ask for a different copy)"
        case .toolFailed(let tool, let exitCode, let message):
            "text extraction failed: \(tool) exited with status \(exitCode)" + (message.isEmpty ? "" : ": \(message)")
        case .unsupportedKind(let kind, let hint):
            "text extraction does not read \(kind.displayName): \(hint)"
        case .unreadableText(let reason):
            "text extraction failed: \(reason)"
        case .scratchFileFailed(let path):
            "text extraction failed: could not create the private temporary file \(path)"
        }
    }
}

extension TextExtractionError: LocalizedError {
    public var errorDescription: String? { description }
}
