import ArgumentParser
import Foundation
import OncoKnowledge

struct KnowledgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Check and export the knowledge base.",
        subcommands: [Check.self, Export.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("dir"), help: "Knowledge directory (default: ONCONAV_KNOWLEDGE_DIR, ./knowledge, or the source checkout's).")
        var directory: String?

        var url: URL { directory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? KnowledgeBase.defaultDirectory() }

        func load() throws -> KnowledgeBase {
            do {
                return try KnowledgeBase.load(directory: url)
            } catch {
                FileHandle.standardError.write(Data("The knowledge base at \(url.path) could not be read:\n  \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate schema, references, sources and review dates; list stale items.")

        @OptionGroup var location: Location
        @Option(help: "Treat this date (YYYY-MM-DD) as today, for the 18-month staleness rule.") var today: String?
        @Flag(help: "Fail on warnings (stale items) too.") var strict = false

        func run() throws {
            let kb = try location.load()
            guard let day = today.map({ Day($0) }) ?? Day.today() else {
                throw ValidationError("--today must look like 2026-11-23")
            }
            let issues = kb.validate(today: day).sorted { ($0.severity, $0.description) > ($1.severity, $1.description) }
            for issue in issues { print(issue.description) }
            let stats = kb.statistics
            let regions = stats.activeIndicationsByRegion.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("""
            Knowledge base at \(location.url.path):
              \(stats.products) products; active indications by region: \(regions)
              \(stats.cancers) cancer types, \(stats.biomarkers) biomarkers, \(stats.drugs) drugs in \(stats.drugClasses) classes, \(stats.regimens) regimens
              \(stats.approaches) approaches, \(stats.landscapes) cancer landscapes, \(stats.safetyTopics) safety topics, \(stats.journeySteps) journey steps
              \(stats.glossary) glossary entries, \(stats.faq) FAQs, \(stats.sources) sources
            """)
            let errors = issues.filter { $0.severity == .error }.count
            let warnings = issues.count - errors
            print("\(errors) error(s), \(warnings) warning(s).")
            if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the whole knowledge base as JSON.")

        @OptionGroup var location: Location
        @Option(help: "Output format (json).") var format = "json"
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            guard format == "json" else { throw ValidationError("Only --format json is supported.") }
            let data = try location.load().exportJSON()
            if let output {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } else {
                FileHandle.standardOutput.write(data)
                FileHandle.standardOutput.write(Data("\n".utf8))
            }
        }
    }
}
