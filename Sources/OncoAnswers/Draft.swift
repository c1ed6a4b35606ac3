import Foundation
import OncoKnowledge

/// An answer being put together: the direct reply and the sections, keyed by kind so
/// that several parts of the composer can add to the same section.
struct Draft {
    var direct: [Statement] = []
    var sections: [SectionKind: AnswerSection] = [:]
    var related: [String] = []

    mutating func say(_ text: String, citing sources: [SourceID] = []) {
        guard !contains(text) else { return }
        direct.append(Statement(text, citations: sources))
    }

    mutating func paragraph(_ kind: SectionKind, _ title: String, _ text: String, citing sources: [SourceID] = []) {
        guard !contains(text) else { return }
        sections[kind, default: AnswerSection(kind: kind, title: title)].paragraphs.append(Statement(text, citations: sources))
    }

    /// Whether a passage is already in the answer (in its own words or inside a longer one),
    /// so no passage is repeated.
    func contains(_ text: String) -> Bool {
        let key = Self.key(text)
        guard !key.isEmpty else { return false }
        // "Label: passage" repeats a passage already said under another label.
        var body: String?
        if let colon = text.range(of: ": "), text.distance(from: colon.upperBound, to: text.endIndex) > 60 {
            body = Self.key(String(text[colon.upperBound...]))
        }
        let statements = direct + sections.values.flatMap { $0.paragraphs + $0.bullets }
        return statements.contains { statement in
            let said = Self.key(statement.text)
            return said.contains(key) || body.map(said.contains) == true
        }
    }

    private static func key(_ text: String) -> String { TextMatching.normalize(text) }

    mutating func bullet(_ kind: SectionKind, _ title: String, _ text: String, citing sources: [SourceID] = []) {
        let statement = Statement(text, citations: sources)
        guard !contains(text) else { return }
        var section = sections[kind, default: AnswerSection(kind: kind, title: title)]
        if !section.bullets.contains(statement) { section.bullets.append(statement) }
        sections[kind] = section
    }

    mutating func suggest(_ question: String) {
        if !related.contains(question) { related.append(question) }
    }

    /// Sections in display order, empty ones dropped.
    var orderedSections: [AnswerSection] {
        sections.values.filter { !$0.isEmpty }.sorted { $0.kind < $1.kind }
    }
}

/// Small helpers for writing plain sentences.
enum Prose {
    /// "A", "A and B", "A, B and C".
    static func list(_ items: [String]) -> String {
        var unique: [String] = []
        for item in items where !unique.contains(item) { unique.append(item) }
        switch unique.count {
        case 0: return ""
        case 1: return unique[0]
        default: return unique.dropLast().joined(separator: ", ") + " and " + unique[unique.count - 1]
        }
    }

    /// A region as it reads in a sentence: "the US", "China". Countries take their
    /// English name from the system's locale data rather than a table of our own.
    static func place(_ region: Region) -> String {
        switch region {
        case .us: return "the US"
        case .uk: return "the UK"
        case .eu: return "the European Union"
        case .cn: return "China"
        case .other: return "other countries"
        default:
            let code = region.rawValue.uppercased()
            return english.localizedString(forRegionCode: code) ?? code
        }
    }

    private static let english = Locale(identifier: "en_US")

    /// "the US (FDA)".
    static func placeAndRegulator(_ region: Region) -> String {
        let agency: String
        switch region {
        case .eu: agency = "EMA"
        case .jp: agency = "PMDA"
        default: agency = region.regulator
        }
        return "\(place(region)) (\(agency))"
    }

    /// A treatment family as it reads mid-sentence.
    static func family(_ modalities: [TherapyModality]) -> String {
        if Set(modalities) == Set(QuestionVocabulary.geneTherapies) { return "gene therapy" }
        if Set(modalities) == Set(QuestionVocabulary.cellTherapies) { return "cell therapy" }
        guard modalities.count == 1, let only = modalities.first else { return "cell or gene therapy" }
        switch only {
        case .carT: return "CAR-T cell therapy"
        case .tcrT: return "TCR-T cell therapy"
        case .til: return "TIL therapy"
        case .nkCell: return "NK or CAR-NK cell therapy"
        case .oncolyticVirus: return "oncolytic virus therapy"
        case .geneTransfer: return "gene therapy"
        case .crisprEdited: return "gene-edited cell therapy"
        case .vaccine: return "cancer vaccine"
        case .bispecific: return "bispecific T-cell engager"
        case .transplant: return "stem cell transplant"
        default: return only.displayName.lowercased()
        }
    }

    /// How far an approach has come, as the end of a sentence.
    static func progress(_ stage: EvidenceStage) -> String {
        switch stage {
        case .preclinical: "is still being studied in the laboratory, not yet in people"
        case .earlyPhase: "is being tested in early-phase clinical trials"
        case .latePhase: "is being tested in late-phase (phase 3 or pivotal) trials"
        case .approved: "is approved by at least one regulator"
        }
    }

    /// Sentence case for a name that starts a sentence.
    static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Unique, in first-seen order.
    static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen: Set<T> = []
        return items.filter { seen.insert($0).inserted }
    }
}
