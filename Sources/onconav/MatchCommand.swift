import ArgumentParser
import Foundation
import OncoKnowledge
import OncoMatch
import OncoTrials

/// `onconav match`: a case (profile JSON, FHIR bundle or documents) against approved labels
/// and, optionally, a trials file. Needs neither the server nor a database.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match a case against approved product labels and trials, criterion by criterion.",
        discussion: "Input: a PatientProfile JSON, a FHIR R4 bundle, or documents (PDF, images, text). Information, not medical advice."
    )

    @Argument(help: "profile.json, a FHIR bundle .json, or documents.") var inputs: [String]
    @Flag(help: "Print the match report as JSON.") var json = false
    @Option(help: "JSON lines (or JSON / ZIP) of ClinicalTrials.gov studies, e.g. ../shared/data/ctgov-v2-oncology/studies.jsonl") var trials: String?
    @Option(help: "Regulator region: us, eu, uk, cn, jp, ca, au, kr, ch, in.") var region: String?
    @Option(help: "City to rank trial sites by distance from.") var near: String?
    @Option(help: "The day to judge ages and time windows on (YYYY-MM-DD; default today, UTC).") var today: String?
    @Option(help: "Options to print (text output).") var limit = 15
    @Option(name: .customLong("knowledge-dir"), help: "Knowledge directory (default: ONCONAV_KNOWLEDGE_DIR, ./knowledge, or the checkout's).") var knowledgeDir: String?

    func run() async throws {
        let knowledge = try MatchCommandSupport.knowledge(knowledgeDir)
        let day = try MatchCommandSupport.day(today)
        var chosenRegion: Region?
        if let region {
            guard let parsed = Region(rawValue: region.lowercased()) else {
                throw ValidationError("Unknown region \(region); use one of \(Region.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            chosenRegion = parsed
        }
        let (profile, texts) = try await MatchCommandSupport.load(from: inputs, knowledge: knowledge)
        var catalog: TrialCatalog?
        if let trials {
            guard FileManager.default.fileExists(atPath: trials) else { throw ValidationError("No trials file at \(trials).") }
            let loaded = try TrialCatalog.load(URL(fileURLWithPath: trials), knowledge: knowledge)
            if loaded.failures > 0 { MatchCommandSupport.warn("\(loaded.failures) trial records could not be read and were skipped.") }
            catalog = loaded.catalog
        }
        let report = Matcher(knowledge: knowledge, trials: catalog)
            .match(profile, settings: MatchSettings(today: day, region: chosenRegion, near: near.map { .named($0) }), texts: texts)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            MatchCommandSupport.say(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            MatchCommandSupport.say(Self.text(report, limit: limit))
        }
    }

    static func text(_ report: MatchReport, limit: Int) -> String {
        var out = ["Cancer: \(report.cancers.first ?? "not in the records")   (judged on \(report.today))"]
        for note in report.notes { out.append("note: \(note)") }
        for (number, option) in report.options.prefix(limit).enumerated() {
            out.append("")
            out.append("\(number + 1). \(option.title)  [\(option.kind.rawValue)]")
            out.append("   \(option.status.label)")
            if let label = option.label { out.append("   \(label.availability)") }
            if let trial = option.trial {
                out.append("   \(trial.nctID) · \(trial.phases.joined(separator: "/")) · \(trial.overallStatus ?? "?") · \(trial.recruitingSites) recruiting sites" + (trial.distanceKm.map { String(format: " · %.0f km", $0) } ?? ""))
            }
            if let stage = option.evidenceStage { out.append("   evidence: \(stage)") }
            for verdict in option.verdicts where verdict.verdict != .met || option.kind == .approvedProduct {
                out.append("   [\(verdict.verdict.rawValue)] \(verdict.text.prefix(110)) — \(verdict.reason)")
            }
            if !option.sources.isEmpty { out.append("   sources: \(option.sources.joined(separator: ", "))") }
        }
        if !report.toDo.isEmpty {
            out.append("")
            out.append("To do (would settle unknowns):")
            for item in report.toDo.prefix(12) { out.append("  - \(item.action)  (\(item.optionCount) option\(item.optionCount == 1 ? "" : "s"))") }
        }
        out.append("")
        out.append(report.disclaimer)
        return out.joined(separator: "\n")
    }
}

/// Set-up shared by the match, eval and bench commands (no server, no database).
enum MatchCommandSupport {
    static func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    static func warn(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    static func knowledge(_ directory: String?) throws -> KnowledgeBase {
        let url = directory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? KnowledgeBase.defaultDirectory()
        do { return try KnowledgeBase.load(directory: url) } catch {
            throw ValidationError("The knowledge base at \(url.path) could not be loaded: \(error)")
        }
    }

    /// The day to judge on: the option, else today's date in UTC (read here, in the CLI, never in the library).
    static func day(_ text: String?) throws -> Day {
        guard let text else { return Day.today() }
        guard let day = Day(text), !day.isMonthOnly else { throw ValidationError("--today must be YYYY-MM-DD, not \(text).") }
        return day
    }

    /// The profile and the documents' extracted text (files read and handed to `CaseLoader`; its warnings go to standard error).
    static func load(from paths: [String], knowledge: KnowledgeBase) async throws -> (profile: MatchReport.Profile, texts: [CaseDocumentText]) {
        guard !paths.isEmpty else { throw ValidationError("Give a profile JSON, a FHIR bundle or documents.") }
        let files = try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read \(path).") }
            return (name: URL(fileURLWithPath: path).lastPathComponent, data: data)
        }
        let loaded = try await CaseLoader(knowledge: knowledge).load(files)
        for warning in loaded.warnings { warn(warning) }
        return (loaded.profile, loaded.texts)
    }
}
