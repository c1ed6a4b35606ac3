import ArgumentParser
import Foundation
import OncoKnowledge
import OncoRecords

// Record extraction without a server: `onconav extract`, `onconav eval extraction` and
// `onconav bench extract`. All three read documents with the real tools (pdftotext,
// pdftoppm, tesseract) and the knowledge base's vocabulary, as the server's upload job does.

extension ClinicalLexicon {
    /// The lexicon the server uses: the knowledge base's terms merged with the built-in ones.
    static func load(_ location: KnowledgeCommand.Location) throws -> ClinicalLexicon {
        ClinicalLexicon(knowledgeBase: try location.load())
    }
}

/// Writes encodable output as pretty, key-sorted JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// `onconav extract <file>… [--json]`: the case profile the documents yield, every fact
/// with the document, page, span, quoted words, method and confidence behind it.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract a case profile from local documents (PDF, scans, photos, DOCX, text, FHIR JSON), with provenance.",
        discussion: "No server or database is used; nothing is stored. Facts are suggestions pending a person's confirmation."
    )

    @Argument(help: "Documents to read.") var files: [String]
    @Flag(help: "Print JSON instead of text.") var json = false
    @OptionGroup var knowledge: KnowledgeCommand.Location

    func run() async throws {
        let (listing, allFailed) = await FactListing.read(files, lexicon: try ClinicalLexicon.load(knowledge))
        if json { try printJSON(listing) } else { print(listing.text) }
        if allFailed { throw ExitCode(1) }
    }
}

/// `onconav eval extraction <dir> [--json]`: field-level precision and recall of the
/// extractor against an evaluation folder (expected-facts files next to their renderings).
struct EvalExtraction: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extraction",
        abstract: "Score record extraction (precision / recall per field group, per format) against expected facts.",
        discussion: "The folder holds <document>.expected.json files next to <document>.txt / .pdf / .scan.png|.scan.pdf; see Tests/OncoRecordsTests/Fixtures/evaluation/README.md."
    )

    @Argument(help: "Evaluation folder (searched recursively).") var directory: String
    @Flag(help: "Print the full report (per document, with misses and false positives) as JSON.") var json = false
    @Flag(help: "List each document's misses and false positives after the table.") var details = false
    @Option(help: "Formats to read, comma-separated: text,pdf,scan (default all).") var formats: String?
    @Option(help: "Documents processed at once (default: the number of cores).") var jobs: Int?
    @OptionGroup var knowledge: KnowledgeCommand.Location

    func run() async throws {
        var chosen = Set(EvaluationFormat.allCases)
        if let formats {
            chosen = Set(try formats.split(separator: ",").map { name in
                guard let format = EvaluationFormat(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown format \"\(name)\"; use text, pdf or scan")
                }
                return format
            })
        }
        let evaluation = ExtractionEvaluation(lexicon: try ClinicalLexicon.load(knowledge), formats: chosen,
                                              concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let report = try await evaluation.run(directory: URL(fileURLWithPath: directory, isDirectory: true))
        if json {
            try printJSON(report)
            return
        }
        print(report.table)
        guard details else { return }
        for document in report.documents where !document.missed.isEmpty || !document.wrong.isEmpty || document.error != nil {
            print("\n\(document.file)")
            if let error = document.error { print("  error: \(error)") }
            for fact in document.missed { print("  missed: \(fact)") }
            for fact in document.wrong { print("  wrong:  \(fact)") }
        }
    }
}

/// `onconav bench extract <dir>`: wall time to process one case's documents in parallel,
/// OCR included.
struct BenchExtract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Time record extraction of one case's documents processed in parallel (OCR included).",
        discussion: "For an evaluation folder, --select mixed (default) takes the scan of every other document and the text PDF of the rest."
    )

    @Argument(help: "Folder with the case's documents.") var directory: String
    @Option(help: "Which renderings: mixed, scans or all.") var select: String = "mixed"
    @Option(help: "Documents processed at once (default: the number of cores).") var jobs: Int?
    @Option(help: "Runs to time; the report shows each.") var runs: Int = 1
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var knowledge: KnowledgeCommand.Location

    func run() async throws {
        guard let selection = ExtractionBenchmark.Selection(rawValue: select) else {
            throw ValidationError("--select must be one of: \(ExtractionBenchmark.Selection.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let files = try ExtractionBenchmark.files(in: URL(fileURLWithPath: directory, isDirectory: true), selection: selection)
        guard !files.isEmpty else { throw ValidationError("no documents in \(directory)") }
        let benchmark = ExtractionBenchmark(lexicon: try ClinicalLexicon.load(knowledge),
                                            concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        var results: [ExtractionBenchmark.Result] = []
        for _ in 0..<max(1, runs) { results.append(await benchmark.run(files: files)) }
        if json { try printJSON(results) } else { print(results.map(\.summary).joined(separator: "\n\n")) }
    }
}
