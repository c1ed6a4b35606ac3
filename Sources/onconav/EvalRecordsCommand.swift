import ArgumentParser
import Foundation
import OncoRecords

/// `onconav eval records <dir>`: the independent records scorer (score_records.py) run on
/// the product's own extraction, in-process, or on saved listings with --replay.
struct EvalRecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Score record extraction against synthetic records with answer keys (expected.yaml), as ../shared/tools/score_records.py does.",
        discussion: """
        DIR holds patient folders (D01, P12, ...) with expected.yaml and the documents it lists. Each patient is read in \
        each format (text, pdf, scan) the way `onconav extract FILES --json` reads it, and scored with the scorer's \
        rules: micro P/R/F1 per patient and format, per field group, and the must_not traps. The last line is \
        `LABEL F1 text 0.xx pdf 0.xx scan 0.xx; traps violated N/M`. Exit status 1 when F1(text) < 0.95, \
        F1(scan) < 0.90, a trap is broken or a document could not be read (the scorer's thresholds).
        """
    )

    @Argument(help: "Records folder (patient folders with expected.yaml).") var directory: String
    @Option(help: "Formats to score, comma-separated: text,pdf,scan (default all).") var formats: String?
    @Flag(help: "Also print every TP / FP / FN / neutral judgement and every trap.") var verbose = false
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Score saved listings DIR/PID-FORMAT.json (as score_records.py --dump writes them) instead of reading the documents.")
    var replay: String?
    @Option(help: "Save each listing as DIR/PID-FORMAT.json.") var dump: String?
    @Option(help: "Only these patient folders, comma-separated (e.g. D01,D02,D03,D04).") var patients: String?
    @Option(help: "The name printed in the summary line (default: \"dev records\" for a folder whose name contains \"dev\").")
    var label: String?
    @OptionGroup var knowledge: KnowledgeCommand.Location

    func run() async throws {
        var chosen = RecordsEvaluation.Format.allCases
        if let formats {
            chosen = try formats.split(separator: ",").map { name in
                guard let format = RecordsEvaluation.Format(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown format \"\(name)\"; use text, pdf or scan")
                }
                return format
            }
        }
        let evaluation = RecordsEvaluation(knowledgeDirectory: knowledge.url, formats: chosen, label: label,
                                           dump: dump.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                           only: patients.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) })
        let source: RecordsEvaluation.Source = try replay.map { .replay(URL(fileURLWithPath: $0, isDirectory: true)) }
            ?? .extract(ClinicalLexicon.load(knowledge))
        let report: RecordsReport
        do {
            report = try await evaluation.run(directory: URL(fileURLWithPath: directory, isDirectory: true), source: source)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text(verbose: verbose))
        }
        if !report.meetsTarget { throw ExitCode(1) }
    }
}
