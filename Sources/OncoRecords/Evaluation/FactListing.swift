import Foundation

/// The facts of processed documents with their provenance, for `onconav extract`: what a
/// reviewer checks before confirming (document, page, span, quoted words, method,
/// confidence), as text or JSON.
public struct FactListing: Codable, Sendable, Hashable {
    public struct Document: Codable, Sendable, Hashable {
        public var file: String
        public var kind: DocumentKind
        public var category: DocumentCategory?
        public var documentDate: ClinicalDate?
        public var usedOCR: Bool
        public var warnings: [String]
        public var error: String?
    }

    public struct Entry: Codable, Sendable, Hashable {
        public var field: ProfileField
        /// As a reviewer reads it: "NOT CNS involvement", "ECOG 1 (2025-02-20)".
        public var text: String
        public var document: String?
        public var page: Int?
        public var start: Int?
        public var end: Int?
        public var quote: String?
        public var method: ExtractionMethod
        public var confidence: Double
        public var isNegated: Bool
        public var isUncertain: Bool
        /// The full typed fact (value, status, provenance) as the API would return it.
        public var fact: ProfileFact
    }

    public var documents: [Document]
    public var facts: [Entry]
    public var conflicts: [String]

    /// Lists `processed` documents (file name, result or the error that stopped it). Treatment
    /// lines are reconciled across the documents (`TreatmentTimeline`) before they are listed.
    public init(_ processed: [(file: String, result: Result<ProcessedDocument, any Error>)], lexicon: ClinicalLexicon = .builtIn) {
        var documentDates: [String: ClinicalDate] = [:]
        var allFacts: [ProfileFact] = []
        for case (_, .success(let document)) in processed {
            if let date = document.classification?.documentDate?.date { documentDates[document.documentID] = date }
            allFacts += document.facts
        }
        var (reconciled, timeline) = TreatmentTimeline.reconcile(allFacts, documentDates: documentDates, lexicon: lexicon)
        reconciled = TreatmentTimeline.reconcileTransplants(reconciled, documentDates: documentDates)
        let byID = Dictionary(reconciled.map { ($0.summary.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Age is today's: an age written in an older document is history, not a second value.
        let currentAge: Int? = reconciled.compactMap { fact -> (ClinicalDate, Int)? in
            guard case .age(let age) = fact, let id = age.provenance.documentID, let date = documentDates[id] else { return nil }
            return (date, age.value.value)
        }.max { $0.0 < $1.0 }?.1
        let processed = processed.map { item -> (file: String, result: Result<ProcessedDocument, any Error>) in
            guard case .success(var document) = item.result else { return item }
            document.facts = document.facts.map { byID[$0.summary.id] ?? $0 }.filter { fact in
                if case .age(let age) = fact, let currentAge { return age.value.value == currentAge }
                return true
            }
            return (item.file, .success(document))
        }
        var documents: [Document] = []
        var entries: [Entry] = []
        var profile = PatientProfile()
        for (file, result) in processed {
            switch result {
            case .failure(let error):
                documents.append(Document(file: file, kind: .unknown, category: nil, documentDate: nil, usedOCR: false,
                                          warnings: [], error: String(describing: error)))
            case .success(let document):
                documents.append(Document(file: file, kind: document.kind, category: document.classification?.category,
                                          documentDate: document.classification?.documentDate?.date,
                                          usedOCR: document.text?.usedOCR ?? false, warnings: document.warnings, error: nil))
                profile.add(document.facts)
                for fact in document.facts {
                    let summary = fact.summary
                    var entry = Entry(field: summary.field, text: summary.assertionText, document: summary.provenance.documentID,
                                      page: nil, start: nil, end: nil, quote: summary.provenance.quote, method: summary.provenance.method,
                                      confidence: summary.confidence, isNegated: summary.isNegated, isUncertain: summary.isUncertain, fact: fact)
                    if case .document(_, let span) = summary.provenance.source {
                        entry.start = span.start
                        entry.end = span.end
                        entry.page = document.text?.pageNumber(atUTF16Offset: span.start)
                    }
                    entries.append(entry)
                }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: ProfileField.allCases.enumerated().map { ($1, $0) })
        self.documents = documents
        self.facts = entries.enumerated().sorted { (order[$0.element.field] ?? 0, $0.offset) < (order[$1.element.field] ?? 0, $1.offset) }.map(\.element)
        self.conflicts = profile.conflicts.map(\.message)
            + timeline.filter { !$0.conflicts.isEmpty }.map { "\($0.line.displayText): the documents disagree (\($0.conflicts.joined(separator: "; ")))" }
    }

    /// Human-readable: documents, then the profile field by field with each fact's source.
    public var text: String {
        var lines: [String] = []
        for document in documents {
            var line = "\(document.file): "
            if let error = document.error {
                line += "NOT READ — \(error)"
            } else {
                line += [document.kind.rawValue, document.category?.displayName, document.documentDate.map { "dated \($0)" },
                         document.usedOCR ? "read by OCR" : nil].compactMap { $0 }.joined(separator: ", ")
            }
            lines.append(line)
            lines += document.warnings.map { "  warning: \($0)" }
        }
        var currentField: ProfileField?
        for entry in facts {
            if entry.field != currentField {
                lines.append("")
                lines.append(entry.field.displayName)
                currentField = entry.field
            }
            lines.append("  • \(entry.text)")
            var source = "      \(entry.document ?? "?")"
            if let page = entry.page { source += " p.\(page)" }
            if let start = entry.start, let end = entry.end { source += " [\(start)..<\(end)]" }
            source += " \(entry.method.rawValue), confidence \(String(format: "%.2f", entry.confidence))"
            lines.append(source)
            if let quote = entry.quote {
                lines.append("      \"\(quote.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\u{0C}", with: " "))\"")
            }
        }
        if facts.isEmpty { lines.append("\nNo facts found.") }
        if !conflicts.isEmpty {
            lines.append("")
            lines.append("Conflicts to resolve")
            lines += conflicts.map { "  ! \($0)" }
        }
        lines.append("")
        lines.append("All facts are pending confirmation by a person.")
        return lines.joined(separator: "\n")
    }
}

extension FactListing {
    /// Reads local files through the records pipeline (`DocumentProcessor` with `lexicon`) and lists
    /// them: the one path of `onconav extract` and `onconav eval records`. A file that cannot be read
    /// is listed with its error; the others are still read.
    public static func read(_ paths: [String], lexicon: ClinicalLexicon) async -> (listing: FactListing, allFailed: Bool) {
        let processor = DocumentProcessor(lexicon: lexicon)
        var processed: [(file: String, result: Result<ProcessedDocument, any Error>)] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            do {
                let data = try Data(contentsOf: url)
                processed.append((path, .success(try await processor.process(data: data, documentID: url.lastPathComponent,
                                                                             fileName: url.lastPathComponent))))
            } catch {
                processed.append((path, .failure(error)))
            }
        }
        return (FactListing(processed, lexicon: lexicon), processed.allSatisfy { (try? $0.result.get()) == nil })
    }
}
