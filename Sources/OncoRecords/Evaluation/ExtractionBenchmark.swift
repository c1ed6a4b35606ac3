import Foundation

/// Times the upload path (`DocumentProcessor.process`) on one case's documents processed
/// in parallel, as the server's job queue would: the figure a navigator waits for after
/// uploading a typical referral (letters, a lab table, scans that need OCR).
public struct ExtractionBenchmark: Sendable {
    /// Which rendering to take for each document of an evaluation-style folder.
    public enum Selection: String, Sendable, CaseIterable {
        /// Alternate scans and text PDFs (the typical referral: some scanned, some not).
        case mixed
        /// The scan of every document (the worst case: everything needs OCR).
        case scans
        /// Every document file as it is.
        case all
    }

    public var processor: DocumentProcessor
    public var concurrency: Int

    public init(lexicon: ClinicalLexicon = .builtIn, concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.processor = DocumentProcessor(lexicon: lexicon)
        self.concurrency = max(1, concurrency)
    }

    public struct DocumentTiming: Codable, Sendable, Hashable {
        public var file: String
        public var seconds: Double
        public var usedOCR: Bool
        public var facts: Int
        public var error: String?
    }

    public struct Result: Codable, Sendable, Hashable {
        public var documents: [DocumentTiming]
        /// Wall time for the whole case.
        public var seconds: Double
        public var concurrency: Int

        public var summary: String {
            var lines = documents.map { timing in
                String(format: "%6.2f s  %@%@  %3d facts  %@", timing.seconds, timing.usedOCR ? "OCR " : "text",
                       timing.error == nil ? "" : " ERROR", timing.facts, timing.file)
            }
            lines.append(String(format: "%d documents in %.2f s wall time (%d at a time)", documents.count, seconds, concurrency))
            return lines.joined(separator: "\n")
        }
    }

    /// The document files of `directory` (not recursive) chosen by `selection`.
    public static func files(in directory: URL, selection: Selection) throws -> [URL] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") && !$0.lastPathComponent.hasSuffix(".json") && !$0.hasDirectoryPath }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard selection != .all else { return files }
        let byStem = Dictionary(grouping: files) { $0.lastPathComponent.split(separator: ".").first.map(String.init) ?? "" }
        return byStem.keys.sorted().enumerated().compactMap { index, stem in
            let renderings = byStem[stem] ?? []
            let scan = renderings.first { EvaluationFormat(fileName: $0.lastPathComponent) == .scan }
            let pdf = renderings.first { EvaluationFormat(fileName: $0.lastPathComponent) == .pdf }
            let wantsScan = selection == .scans || index % 2 == 0
            return (wantsScan ? scan ?? pdf : pdf ?? scan) ?? renderings.first
        }
    }

    /// Processes `files` in parallel and reports the wall time.
    public func run(files: [URL]) async -> Result {
        let started = ContinuousClock.now
        let timings = await ParallelWork.map(files, concurrency: concurrency) { file in
            let start = ContinuousClock.now
            do {
                let result = try await processor.process(data: Data(contentsOf: file), documentID: file.lastPathComponent,
                                                         fileName: file.lastPathComponent)
                return DocumentTiming(file: file.lastPathComponent, seconds: (ContinuousClock.now - start).seconds,
                                      usedOCR: result.text?.usedOCR ?? false, facts: result.facts.count, error: nil)
            } catch {
                return DocumentTiming(file: file.lastPathComponent, seconds: (ContinuousClock.now - start).seconds,
                                      usedOCR: false, facts: 0, error: String(describing: error))
            }
        }
        return Result(documents: timings, seconds: (ContinuousClock.now - started).seconds, concurrency: concurrency)
    }
}
