import Foundation

/// Everything OncoRecords learned from one upload, for the server's processing job.
public struct ProcessedDocument: Sendable, Hashable {
    public var documentID: String
    /// What the content is (sniffed, never taken from the name).
    public var kind: DocumentKind
    /// Name / MIME type that lied about the content; show these to the uploader.
    public var typeMismatches: [DocumentTypeMismatch]
    /// The extracted text (nil for FHIR JSON). Fact spans index into `text.text`.
    public var text: ExtractedText?
    /// Category and document date (nil for FHIR JSON).
    public var classification: DocumentClassification?
    /// Facts to add to the case, all pending confirmation.
    public var facts: [ProfileFact]
    /// FHIR import problems (empty for other kinds).
    public var fhirIssues: [FHIRImportIssue]

    /// Warnings for the reviewer: type mismatches, OCR use, skipped pages, FHIR errors.
    public var warnings: [String] {
        typeMismatches.map(\.description) + (text?.warnings ?? [])
            + fhirIssues.filter { $0.severity != .information }.map(\.description)
    }
}

/// The upload-to-facts path in one call: sniff → check the declared type → extract text
/// (or import FHIR) → classify and date → extract facts, using the document date for
/// undated labs and performance status.
///
/// ```swift
/// let processor = DocumentProcessor(lexicon: lexiconFromKnowledgeBase)
/// let result = try await processor.process(data: bytes, documentID: upload.id,
///                                          fileName: upload.name, mimeType: upload.contentType)
/// profile.add(result.facts)
/// ```
///
/// Throws `TextExtractionError` (missing tool, time limit, damaged file, unknown kind) and
/// `FHIRImportError` (FHIR that is not JSON / not a resource); the server should store the
/// error's description on the job and allow a retry.
public struct DocumentProcessor: Sendable {
    public var textExtractor: TextExtractor
    public var classifier: DocumentClassifier
    public var profileExtractor: ProfileExtractor
    public var fhirImporter: FHIRImporter

    public init(lexicon: ClinicalLexicon = .builtIn, textExtractor: TextExtractor = TextExtractor(),
                dateParser: ClinicalDateParser = ClinicalDateParser()) {
        self.textExtractor = textExtractor
        self.classifier = DocumentClassifier(dateParser: dateParser)
        self.profileExtractor = ProfileExtractor(lexicon: lexicon, dateParser: dateParser)
        self.fhirImporter = FHIRImporter(lexicon: lexicon)
    }

    public func process(data: Data, documentID: String, fileName: String? = nil, mimeType: String? = nil) async throws -> ProcessedDocument {
        let kind = DocumentKind.sniff(data: data)
        let mismatches = DocumentKind.mismatches(fileName: fileName, mimeType: mimeType, sniffed: kind)
        if kind == .fhirJSON {
            let result = try fhirImporter.importData(data, documentID: documentID)
            return ProcessedDocument(documentID: documentID, kind: kind, typeMismatches: mismatches, text: nil,
                                     classification: nil, facts: result.facts, fhirIssues: result.issues)
        }
        let text = try await textExtractor.extract(data: data, kind: kind)
        let fullText = text.text
        let classification = classifier.classify(text: fullText)
        let facts = profileExtractor.extract(text: fullText, documentID: documentID, method: text.factMethod,
                                             documentDate: classification.documentDate?.date)
        return ProcessedDocument(documentID: documentID, kind: kind, typeMismatches: mismatches, text: text,
                                 classification: classification, facts: facts, fhirIssues: [])
    }
}
