import Foundation

/// A one-page summary of a profile for a navigator: what is known, from where, whether it
/// is confirmed, what conflicts, and what is unknown. Unknowns are written as "unknown",
/// never left out, so the gaps are as visible as the facts.
public struct CaseSummary: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var label: String
        /// nil means unknown.
        public var value: String?
        /// "confirmed by …", "pending confirmation" …
        public var status: String?
        /// Citations of the facts behind the value.
        public var sources: [String]
        public var hasConflict: Bool
        /// The facts behind the value (empty when unknown), so a page can link each value
        /// to its source.
        public var factIDs: [UUID] = []
    }

    public struct Section: Codable, Sendable, Hashable {
        public var title: String
        public var lines: [Line]
    }

    public var sections: [Section]
    /// Conflict messages, for the review queue.
    public var conflicts: [String]
    /// The fields that are unknown, as things to obtain.
    public var unknowns: [String]

    public static let disclaimer = "This summary organises the records provided; it is not medical advice. Values marked pending have not been confirmed by a person."

    public init(profile: PatientProfile) {
        let conflictFields = Set(profile.conflicts.map(\.field))
        var unknowns: [String] = []

        func line<V>(_ label: String, _ facts: [Fact<V>], field: ProfileField, unknownHint: String? = nil,
                     choose: ([Fact<V>]) -> Fact<V>? = { PatientProfile.preferred($0) }) -> Line {
            guard let fact = choose(facts) else {
                if let unknownHint { unknowns.append(unknownHint) }
                return Line(label: label, value: nil, status: nil, sources: [], hasConflict: false)
            }
            return Line(label: label, value: Self.render(fact), status: fact.status.label,
                        sources: [fact.provenance.citation], hasConflict: conflictFields.contains(field), factIDs: [fact.id])
        }
        func lines<V>(_ label: String, _ facts: [Fact<V>], field: ProfileField, unknownHint: String? = nil) -> [Line] {
            let active = facts.filter(\.isActive)
            if active.isEmpty { return [line(label, [Fact<V>](), field: field, unknownHint: unknownHint)] }
            return active.map {
                Line(label: label, value: Self.render($0), status: $0.status.label, sources: [$0.provenance.citation],
                     hasConflict: conflictFields.contains(field), factIDs: [$0.id])
            }
        }

        var patient: [Line] = []
        if profile.birthDates.contains(where: \.isActive) || !profile.ages.contains(where: \.isActive) {
            patient.append(line("Birth date", profile.birthDates, field: .birthDate, unknownHint: "date of birth or age"))
        }
        if profile.ages.contains(where: \.isActive) { patient.append(line("Age", profile.ages, field: .age)) }
        patient.append(line("Sex", profile.sexes, field: .sex))

        var diagnosis = [line("Primary cancer", profile.primaryCancers, field: .primaryCancer, unknownHint: "the diagnosis (pathology report)")]
        diagnosis.append(line("Histology / subtype", profile.histologies, field: .histology))
        diagnosis += lines("Stage", profile.stages, field: .stage, unknownHint: "the stage at diagnosis and now")
        if profile.secondaryCancers.contains(where: \.isActive) {
            diagnosis += lines("Metastasis / secondary", profile.secondaryCancers, field: .secondaryCancer)
        }

        let biomarkers = lines("Biomarker", profile.biomarkers, field: .biomarker,
                               unknownHint: "biomarker results (e.g. CD19 / BCMA / driver mutations) from pathology or NGS")

        let sortedLines = profile.treatmentLines.sorted { ($0.value.startDate ?? ClinicalDate(year: 9999)) < ($1.value.startDate ?? ClinicalDate(year: 9999)) }
        var treatment = lines("Line", sortedLines, field: .treatmentLine, unknownHint: "the treatment history with dates and responses")
        treatment += lines("Transplant", profile.transplants, field: .transplant)
        treatment += lines("Prior CAR-T / cell therapy", profile.priorCellTherapies, field: .priorCellTherapy)

        var status: [Line] = []
        status.append(line("ECOG", profile.performanceStatuses.filter { $0.value.scale == .ecog }, field: .performanceStatus,
                           unknownHint: "a recent ECOG performance status", choose: { PatientProfile.latest($0, date: \.date) }))
        if profile.performanceStatuses.contains(where: { $0.value.scale == .karnofsky && $0.isActive }) {
            status.append(line("Karnofsky", profile.performanceStatuses.filter { $0.value.scale == .karnofsky }, field: .performanceStatus,
                               choose: { PatientProfile.latest($0, date: \.date) }))
        }
        status.append(line("LVEF", profile.lvefs, field: .lvef, unknownHint: "a recent LVEF (echocardiogram or MUGA)",
                           choose: { PatientProfile.latest($0, date: \.date) }))
        status.append(line("CNS involvement", profile.cnsInvolvement, field: .cnsInvolvement, unknownHint: "CNS involvement status"))
        for agent in InfectionStatus.Agent.allCases {
            status.append(line(agent.rawValue, profile.infections.filter { $0.value.agent == agent }, field: .infection,
                               unknownHint: "\(agent.rawValue) serology"))
        }
        if profile.sexes.contains(where: { $0.isActive && $0.value == .female }) || profile.pregnancy.contains(where: \.isActive) {
            status.append(line("Pregnancy", profile.pregnancy, field: .pregnancy, unknownHint: "pregnancy status"))
        }
        let labNames = ["creatinine", "creatinine clearance", "eGFR", "bilirubin", "AST", "ALT", "ANC", "ALC", "platelets", "hemoglobin", "WBC", "LDH", "albumin"]
        var labLines: [Line] = []
        for name in labNames {
            let facts = profile.labs.filter { $0.value.name == name }
            if facts.contains(where: \.isActive) {
                labLines.append(line(name, facts, field: .lab, choose: { PatientProfile.latest($0, date: \.date) }))
            }
        }
        if labLines.isEmpty {
            labLines.append(Line(label: "Labs", value: nil, status: nil, sources: [], hasConflict: false))
            unknowns.append("recent labs (blood count, creatinine, bilirubin, AST/ALT, LDH)")
        }

        sections = [
            Section(title: "Patient", lines: patient),
            Section(title: "Diagnosis", lines: diagnosis),
            Section(title: "Biomarkers", lines: biomarkers),
            Section(title: "Treatment history", lines: treatment),
            Section(title: "Current status", lines: status),
            Section(title: "Latest labs", lines: labLines),
        ]
        conflicts = profile.conflicts.map(\.message)
        self.unknowns = unknowns
    }

    static func render<V>(_ fact: Fact<V>) -> String {
        var text = fact.value.displayText
        if fact.isNegated { text = "no / absent — " + text }
        if fact.isUncertain { text += " (uncertain)" }
        return text
    }

    /// The summary as plain text (about one printed page for a typical case).
    public var plainText: String {
        var out = "CASE SUMMARY\n" + Self.disclaimer + "\n"
        for section in sections {
            out += "\n\(section.title.uppercased())\n"
            for line in section.lines {
                var row = "  \(line.label): \(line.value ?? "unknown")"
                if line.value != nil, let status = line.status { row += "  [\(status)]" }
                if line.hasConflict { row += "  ⚠ conflicting sources" }
                if let source = line.sources.first { row += "\n      source: \(source.count > 90 ? String(source.prefix(87)) + "…" : source)" }
                out += row + "\n"
            }
        }
        if !conflicts.isEmpty {
            out += "\nCONFLICTS TO RESOLVE\n" + conflicts.map { "  - \($0)" }.joined(separator: "\n") + "\n"
        }
        if !unknowns.isEmpty {
            out += "\nUNKNOWN — TO OBTAIN\n" + unknowns.map { "  - \($0)" }.joined(separator: "\n") + "\n"
        }
        return out
    }
}
