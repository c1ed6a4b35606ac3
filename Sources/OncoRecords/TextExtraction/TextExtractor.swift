import Foundation

/// Turns a document's bytes into text with the real tools:
/// - PDF: `pdfinfo` (page count), `pdftotext -layout`; pages whose text layer is
///   (nearly) empty are rendered with `pdftoppm -r 300 -png` and read by `tesseract`.
/// - JPEG / PNG / TIFF: `tesseract`.
/// - DOCX: `unzip -v` (declared sizes: refused beyond a size or compression-ratio cap),
///   `unzip -p <file> word/document.xml`, then the XML is reduced to paragraphs in one pass.
/// - Plain text: decoded with BOM / UTF-8 / Windows-1252 detection, no tool.
///
/// Every tool runs through `ProcessRunner` with the time and memory limits of `limits`;
/// inputs are written to a private 0600 temporary file that is deleted afterwards.
/// A missing tool throws `TextExtractionError.toolUnavailable` — never an empty result.
public struct TextExtractor: Sendable {
    public var runner: any ProcessRunner
    public var limits: ExtractionLimits

    public init(runner: any ProcessRunner = LiveProcessRunner(), limits: ExtractionLimits = ExtractionLimits()) {
        self.runner = runner
        self.limits = limits
    }

    /// Extracts the text of `data`; the kind is sniffed from the content unless given.
    public func extract(data: Data, kind: DocumentKind? = nil) async throws -> ExtractedText {
        guard data.count <= limits.maximumInputBytes else {
            throw TextExtractionError.unreadableText(
                reason: "the file is \(data.count / (1 << 20)) MB, over the \(limits.maximumInputBytes / (1 << 20)) MB limit")
        }
        let kind = kind ?? DocumentKind.sniff(data: data)
        switch kind {
        case .pdf: return try await extractPDF(data)
        case .jpeg, .png, .tiff: return try await extractImage(data, kind: kind)
        case .docx: return try await extractDOCX(data)
        case .plainText:
            guard let text = PlainTextDecoder.decode(data) else {
                throw TextExtractionError.unreadableText(reason: "the text encoding was not recognised")
            }
            return ExtractedText(kind: .plainText, pages: [ExtractedPage(number: 1, text: text, source: .direct)])
        case .fhirJSON:
            throw TextExtractionError.unsupportedKind(.fhirJSON, hint: "import it with FHIRImporter instead")
        case .unknown:
            throw TextExtractionError.unsupportedKind(.unknown, hint: "supported are PDF, JPEG, PNG, TIFF, DOCX, plain text and FHIR JSON")
        }
    }

    // MARK: PDF

    private func extractPDF(_ data: Data) async throws -> ExtractedText {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let input = try scratch.createFile(named: "input.pdf", contents: data)
        var warnings: [String] = []

        let pageCount = try await pdfPageCount(input)
        let readCount = min(pageCount, limits.maximumPages)
        if pageCount > readCount {
            warnings.append("only the first \(readCount) of \(pageCount) pages were read (page limit)")
        }
        guard readCount > 0 else {
            return ExtractedText(kind: .pdf, pages: [], warnings: ["the PDF has no pages"])
        }

        let output = try await checked(ToolInvocation(
            tool: "pdftotext",
            arguments: ["-layout", "-enc", "UTF-8", "-f", "1", "-l", "\(readCount)", input.path, "-"],
            timeout: limits.timeoutPerCall, memoryLimitBytes: limits.memoryLimitBytes))
        if output.stdoutTruncated { warnings.append("the text layer was cut at the output limit") }
        let layerText = String(decoding: output.stdout, as: UTF8.self)
        var layerPages = layerText.components(separatedBy: "\u{0C}")
        if layerPages.count > readCount { layerPages.removeLast(layerPages.count - readCount) }
        while layerPages.count < readCount { layerPages.append("") }

        var pages: [ExtractedPage] = []
        var ocrCount = 0
        var skipped: [Int] = []
        for (index, pageText) in layerPages.enumerated() {
            let number = index + 1
            let visible = pageText.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.count
            if visible >= limits.minimumTextLayerCharacters {
                pages.append(ExtractedPage(number: number, text: pageText, source: .textLayer))
            } else if ocrCount < limits.maximumOCRPages {
                ocrCount += 1
                let text = try await ocrPDFPage(input, page: number, scratch: scratch)
                pages.append(ExtractedPage(number: number, text: text, source: .ocr))
            } else {
                skipped.append(number)
                pages.append(ExtractedPage(number: number, text: pageText, source: .skipped))
            }
        }
        if ocrCount > 0 {
            warnings.append("\(ocrCount) page(s) had no text layer and were read by OCR; check the extracted values")
        }
        if !skipped.isEmpty {
            warnings.append("pages \(skipped.map(String.init).joined(separator: ", ")) have no text layer and were not read (OCR page limit)")
        }
        return ExtractedText(kind: .pdf, pages: pages, warnings: warnings)
    }

    private func pdfPageCount(_ input: URL) async throws -> Int {
        let output = try await checked(ToolInvocation(
            tool: "pdfinfo", arguments: [input.path],
            timeout: limits.timeoutPerCall, memoryLimitBytes: limits.memoryLimitBytes, maximumOutputBytes: 1 << 20))
        let info = String(decoding: output.stdout, as: UTF8.self)
        for line in info.split(separator: "\n") where line.hasPrefix("Pages:") {
            if let count = Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) { return count }
        }
        throw TextExtractionError.toolFailed(tool: "pdfinfo", exitCode: output.exitCode, message: "no page count in its output")
    }

    private func ocrPDFPage(_ input: URL, page: Int, scratch: ScratchDirectory) async throws -> String {
        let prefix = scratch.path("page-\(page)")
        let dpi = await scanResolution(input, page: page).map { min(max($0, 150), limits.ocrDPI) } ?? limits.ocrDPI
        _ = try await checked(ToolInvocation(
            tool: "pdftoppm",
            arguments: ["-r", "\(dpi)", "-png", "-f", "\(page)", "-l", "\(page)", "-singlefile", input.path, prefix.path],
            timeout: limits.timeoutPerOCRPage, memoryLimitBytes: limits.memoryLimitBytes, maximumOutputBytes: 1 << 20))
        let image = prefix.appendingPathExtension("png")
        defer { try? FileManager.default.removeItem(at: image) }
        return try await tesseract(image)
    }

    /// The resolution of the scan on an image-only page (`pdfimages -list`), or nil when it
    /// cannot be told. Rendering a 200 dpi scan at 300 dpi adds no detail and makes OCR
    /// about twice as slow; rendering below the scan's own resolution would lose detail.
    private func scanResolution(_ input: URL, page: Int) async -> Int? {
        guard runner.isAvailable("pdfimages"),
              let output = try? await checked(ToolInvocation(
                tool: "pdfimages", arguments: ["-list", "-f", "\(page)", "-l", "\(page)", input.path],
                timeout: limits.timeoutPerCall, memoryLimitBytes: limits.memoryLimitBytes, maximumOutputBytes: 1 << 20))
        else { return nil }
        // Columns: page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio.
        let resolutions = String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").dropFirst(2).compactMap { line -> Int? in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            return columns.count >= 14 && columns[2] == "image" ? Int(columns[12]) : nil
        }
        return resolutions.max()
    }

    // MARK: Images

    private func extractImage(_ data: Data, kind: DocumentKind) async throws -> ExtractedText {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let ext = kind == .jpeg ? "jpg" : kind == .png ? "png" : "tif"
        let input = try scratch.createFile(named: "input.\(ext)", contents: data)
        let text = try await tesseract(input)
        // Multi-page TIFFs come back with a form feed between pages.
        var pageTexts = text.components(separatedBy: "\u{0C}")
        if pageTexts.count > 1, pageTexts.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true {
            pageTexts.removeLast()
        }
        let pages = pageTexts.enumerated().map { ExtractedPage(number: $0.offset + 1, text: $0.element, source: .ocr) }
        return ExtractedText(kind: kind, pages: pages, warnings: ["the image was read by OCR; check the extracted values"])
    }

    private func tesseract(_ image: URL) async throws -> String {
        let output = try await checked(ToolInvocation(
            // Inverted-text detection (white on black) roughly doubles the time and is not needed for clinical paperwork.
            tool: "tesseract", arguments: [image.path, "stdout", "-l", limits.ocrLanguages, "-c", "tessedit_do_invert=0", "-c", "preserve_interword_spaces=1"],
            timeout: limits.timeoutPerOCRPage, memoryLimitBytes: limits.memoryLimitBytes,
            // One thread per call: predictable memory, and the server runs jobs in parallel anyway.
            environment: ["OMP_THREAD_LIMIT": "1"]))
        return String(decoding: output.stdout, as: UTF8.self)
    }

    // MARK: DOCX

    /// The largest `word/document.xml` read (about 1,500 pages of ordinary text).
    static let maximumDOCXXMLBytes = 32 << 20
    /// A larger expansion than this from a part over 1 MB is a zip bomb, not a document:
    /// WordprocessingML compresses about 5–20 : 1.
    static let maximumDOCXCompressionRatio = 200

    /// DOCX is a zip archive, and a zip can expand a few kilobytes into gigabytes. So the
    /// archive's own listing is checked first (declared size and compression ratio of
    /// `word/document.xml`); the extraction runs in `unzip` with the file-size limit as a
    /// hard stop whatever the listing claims; and the XML is read in one pass with a text
    /// cap, a deadline and cancellation.
    private func extractDOCX(_ data: Data) async throws -> ExtractedText {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let input = try scratch.createFile(named: "input.docx", contents: data)
        let listing = try await checked(ToolInvocation(
            tool: "unzip", arguments: ["-v", input.path, "word/document.xml"],
            timeout: limits.timeoutPerCall, memoryLimitBytes: limits.memoryLimitBytes, maximumOutputBytes: 1 << 20))
        guard let entry = Self.documentEntry(inListing: String(decoding: listing.stdout, as: UTF8.self)) else {
            throw TextExtractionError.unreadableText(reason: "the file is not a Word document (no word/document.xml in it)")
        }
        if entry.length > Self.maximumDOCXXMLBytes {
            throw TextExtractionError.unreadableText(reason: "the Word document's text part is \(entry.length >> 20) MB, over the \(Self.maximumDOCXXMLBytes >> 20) MB limit")
        }
        if entry.length > 1 << 20, entry.length / max(entry.compressedLength, 1) > Self.maximumDOCXCompressionRatio {
            throw TextExtractionError.unreadableText(reason: "the Word document expands \(entry.length / max(entry.compressedLength, 1)) times when unpacked, which documents never do; it was not read (possible zip bomb)")
        }
        let output = try await checked(ToolInvocation(
            tool: "unzip", arguments: ["-p", input.path, "word/document.xml"],
            timeout: limits.timeoutPerCall, memoryLimitBytes: limits.memoryLimitBytes,
            maximumOutputBytes: Self.maximumDOCXXMLBytes, maximumFileBytes: Self.maximumDOCXXMLBytes + (1 << 20)))
        var warnings: [String] = []
        if output.stdoutTruncated { warnings.append("the document was cut at the output limit") }
        let reading = try WordprocessingXML.read(output.stdout, limits: WordprocessingXML.Limits(timeLimit: limits.timeoutPerCall))
        if reading.truncated { warnings.append("only the first \(WordprocessingXML.Limits().maximumTextBytes >> 20) MB of the document's text were read") }
        return ExtractedText(kind: .docx, pages: [ExtractedPage(number: 1, text: reading.text, source: .direct)], warnings: warnings)
    }

    /// Declared uncompressed and compressed sizes of `word/document.xml` in `unzip -v` output
    /// (columns: Length Method Size Cmpr Date Time CRC-32 Name).
    static func documentEntry(inListing listing: String) -> (length: Int, compressedLength: Int)? {
        for line in listing.split(separator: "\n") {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count >= 8, columns.last == "word/document.xml",
                  let length = Int(columns[0]), let compressed = Int(columns[2]) else { continue }
            return (length, compressed)
        }
        return nil
    }

    // MARK: Running

    /// Runs the invocation and turns a non-zero exit into `toolFailed` with stderr's first line.
    private func checked(_ invocation: ToolInvocation) async throws -> ProcessOutput {
        let output = try await runner.run(invocation)
        // A tool stopped by the file-size limit has written its allowed prefix: keep it (flagged as truncated).
        guard output.exitCode == 0 || output.stdoutTruncated else {
            let stderr = String(decoding: output.stderr.prefix(2000), as: UTF8.self)
            let firstLines = stderr.split(separator: "\n").prefix(2).joined(separator: "; ")
            throw TextExtractionError.toolFailed(tool: invocation.tool, exitCode: output.exitCode, message: firstLines)
        }
        return output
    }
}
