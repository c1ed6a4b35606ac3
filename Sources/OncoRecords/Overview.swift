// OncoRecords — the patient's records as a structured, sourced case. Pure Swift + Foundation.
//
// Entry points for the server (all value types, Sendable, no I/O except the tools):
//
//   DocumentProcessor(lexicon:).process(data:documentID:fileName:mimeType:) async throws -> ProcessedDocument
//       The whole upload path: sniff → type-mismatch check → text (tools) or FHIR import →
//       classify + date → facts. Or call the parts:
//   DocumentKind.sniff(data:) / DocumentKind.mismatches(fileName:mimeType:sniffed:)
//   TextExtractor(runner:limits:).extract(data:kind:) async throws -> ExtractedText
//       pdfinfo / pdftotext -layout / pdftoppm -r 300 -png + tesseract / unzip -p, each through
//       ProcessRunner (LiveProcessRunner) with time, memory (Linux), file-size and page limits.
//   DocumentClassifier().classify(text:) -> DocumentClassification (category, cues, documentDate)
//   ProfileExtractor(lexicon:).extract(text:documentID:method:documentDate:) -> [ProfileFact]
//       (also ProfileExtractor.extract(text:documentID:lexicon:))
//   FHIRImporter(lexicon:).importData(_:documentID:) throws -> FHIRImportResult (facts + issues)
//   FHIRExporter().exportData(_:patientID:) throws -> Data (FHIR R4 collection Bundle, mCODE profiles)
//   PatientProfile(facts:), .add(_:), .setStatus(_:forFact:), .conflicts, .facts
//   CaseSummary(profile:).plainText / .sections / .unknowns
//   ClinicalLexicon(knowledgeBase:) — the knowledge base's vocabulary merged with the built-in one
//   ExtractionEvaluation(lexicon:formats:).run(directory:) -> EvaluationReport (precision / recall
//       per field group and format against Tests/OncoRecordsTests/Fixtures/evaluation/README.md's layout)
//   ExtractionBenchmark(lexicon:).run(files:) — one case's documents in parallel, wall time
//   FactListing(processed) — facts with document, page, span, quote, method, confidence (`onconav extract`)
//
// Ontology knowledge comes in as a ClinicalLexicon value (term, conceptID, kind); the
// built-in default is small. See ClinicalLexicon for how to fill it from OncoKnowledge.
//
// Offsets: every TextSpan counts UTF-16 code units into ExtractedText.text (pages joined by
// "\u{0C}"), so the server can store the text once and highlight spans in the browser.
