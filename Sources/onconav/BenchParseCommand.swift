import ArgumentParser
import Foundation
import OncoMatch
import OncoTrials

extension BenchCommand {
    /// `onconav bench parse`: the eligibility parser on every distinct criteria text of a
    /// studies file, with the knowledge base's vocabulary (as the server parses them).
    /// `--dump` writes the parser's output per text, to check that a faster parser reads
    /// the same (diff two dumps).
    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Eligibility parsing time per distinct criteria text (median, p95) and texts/s; optionally dump the output.")
        @Option(help: "JSON lines (or JSON / ZIP) of real studies.") var file = "../shared/data/ctgov-v2-oncology/studies.jsonl"
        @Option(help: "Parses per text; the fastest is kept.") var runs = 3
        @Option(help: "Write the parsed criteria and tagged spans of every text here (JSON lines).") var dump: String?
        @Option(name: .customLong("knowledge-dir"), help: "Knowledge directory.") var knowledgeDir: String?

        func run() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("No studies file at \(file).") }
            let texts = try ParseBenchmark.distinctCriteriaTexts(.file(URL(fileURLWithPath: file)))
            guard !texts.isEmpty else { throw ValidationError("No eligibility criteria in \(file).") }
            let lexicon = TrialCatalog.lexicon(from: try MatchCommandSupport.knowledge(knowledgeDir))
            let parser = EligibilityParser(lexicon: lexicon)
            if let dump {
                try Self.dump(texts, parser: parser, tagger: CriterionSpanTagger(lexicon: lexicon), to: URL(fileURLWithPath: dump))
                CommandSupport.say("Wrote the output for \(texts.count) texts to \(dump).")
            }
            CommandSupport.say(ParseBenchmark.run(texts: texts, parser: parser, runs: runs).description)
        }

        /// One JSON line per text: the criteria as `trials parse-criteria` prints them, each
        /// with its parent and the span tagger's labels on its text.
        static func dump(_ texts: [String], parser: EligibilityParser, tagger: CriterionSpanTagger, to url: URL) throws {
            struct Row: Encodable {
                let criterion: ParsedCriterion
                let parent: Int?
                let spans: [String]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var out = Data()
            for text in texts {
                let rows = parser.parse(text).map { Row(criterion: ParsedCriterion($0), parent: $0.parent, spans: tagger.tag($0.text).map(\.description)) }
                out += try encoder.encode(rows)
                out += Data("\n".utf8)
            }
            try out.write(to: url)
        }
    }
}
