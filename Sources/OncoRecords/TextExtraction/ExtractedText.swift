import Foundation

/// Limits for one document. Defaults suit a clinic letter or a 30-page PDF record on a
/// small server; the server may load stricter ones from configuration.
public struct ExtractionLimits: Sendable, Hashable {
    /// Time limit for one text-layer call (pdfinfo, pdftotext, unzip).
    public var timeoutPerCall: Duration
    /// Time limit for rendering or OCR of one page / image.
    public var timeoutPerOCRPage: Duration
    /// Address-space limit for every tool.
    public var memoryLimitBytes: Int
    /// Pages read from a PDF; the rest are skipped with a warning.
    public var maximumPages: Int
    /// Pages without a text layer that are OCR'd; the rest are skipped with a warning.
    public var maximumOCRPages: Int
    /// Render resolution for OCR.
    public var ocrDPI: Int
    /// A page with fewer non-blank characters in its text layer is treated as a scan.
    public var minimumTextLayerCharacters: Int
    /// Larger inputs are refused before any tool runs.
    public var maximumInputBytes: Int
    /// Tesseract language(s), e.g. "eng" or "eng+deu".
    public var ocrLanguages: String

    public init(timeoutPerCall: Duration = .seconds(60), timeoutPerOCRPage: Duration = .seconds(120),
                memoryLimitBytes: Int = 2 << 30, maximumPages: Int = 100, maximumOCRPages: Int = 30,
                ocrDPI: Int = 300, minimumTextLayerCharacters: Int = 20, maximumInputBytes: Int = 100 << 20,
                ocrLanguages: String = "eng") {
        self.timeoutPerCall = timeoutPerCall
        self.timeoutPerOCRPage = timeoutPerOCRPage
        self.memoryLimitBytes = memoryLimitBytes
        self.maximumPages = maximumPages
        self.maximumOCRPages = maximumOCRPages
        self.ocrDPI = ocrDPI
        self.minimumTextLayerCharacters = minimumTextLayerCharacters
        self.maximumInputBytes = maximumInputBytes
        self.ocrLanguages = ocrLanguages
    }
}

/// How one page's text was obtained.
public enum PageTextSource: String, Codable, Sendable, Hashable {
    /// The PDF's own text layer (`pdftotext -layout`).
    case textLayer = "text-layer"
    /// Rendered and read by tesseract.
    case ocr
    /// Read directly (plain text, DOCX XML).
    case direct
    /// Not read: over the page or OCR limit.
    case skipped
}

public struct ExtractedPage: Codable, Sendable, Hashable {
    /// 1-based.
    public var number: Int
    public var text: String
    public var source: PageTextSource
}

/// The text of a document. `text` is the pages joined with a form feed ("\u{0C}"), the
/// same separator pdftotext uses; fact spans index into `text`.
public struct ExtractedText: Codable, Sendable, Hashable {
    public var kind: DocumentKind
    public var pages: [ExtractedPage]
    /// Things a reviewer should know: pages skipped, OCR used, output truncated.
    public var warnings: [String]

    public init(kind: DocumentKind, pages: [ExtractedPage], warnings: [String] = []) {
        self.kind = kind
        self.pages = pages
        self.warnings = warnings
    }

    public var text: String { pages.map(\.text).joined(separator: "\u{0C}") }

    /// True when any page was read by OCR: facts from it get `ExtractionMethod.ocrTextRules`.
    public var usedOCR: Bool { pages.contains { $0.source == .ocr } }

    /// The extraction method facts from this text should carry.
    public var factMethod: ExtractionMethod { usedOCR ? .ocrTextRules : .textRules }
}
