import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Diagnoses: the parsing lexicon's cancer concepts read as knowledge-base cancers (with
/// the hierarchy), and basket-trial cohort sections.
extension CriterionEvaluator {
    /// Knowledge-base cancer ids for a concept of the parsing lexicon.
    func cancerIDs(forConcept concept: String) -> [String] {
        cancerConcepts[concept] ?? Self.resolve(concept, knowledge: knowledge, lexicon: lexicon)
    }

    static func resolve(_ concept: String, knowledge: KnowledgeBase, lexicon: ConceptLexicon) -> [String] {
        let bare = concept.hasPrefix("group:") ? String(concept.dropFirst("group:".count)) : concept
        if knowledge.cancer(id: bare) != nil { return [bare] }
        let aliases: [String: String] = ["dlbcl": "dlbcl-nos", "all": "acute-lymphoblastic-leukaemia", "aml": "acute-myeloid-leukaemia",
                                         "cll": "cll-sll", "leukemia": "leukaemia", "haematologic-malignancy": "haematologic-malignancy"]
        if let alias = aliases[bare], knowledge.cancer(id: alias) != nil { return [alias] }
        for term in lexicon.terms(ofConcept: concept) {
            if let found = knowledge.cancer(named: term) { return [found.id] }
        }
        return []
    }

    func diagnosis(_ concepts: [String], _ reading: CaseReading, text: String = "") -> Finding {
        if concepts == [ConceptLexicon.otherMalignancy] {
            let others = reading.profile.secondaryCancers.filter(\.isActive)
            if let present = others.first(where: { !$0.isNegated }) {
                return Finding(truth: true, reason: "another cancer is recorded: \(present.value.displayText)", evidence: [reading.summary(present, .secondaryCancer)])
            }
            if let absent = others.first {
                return Finding(truth: false, reason: "the records state no other cancer", evidence: [reading.summary(absent, .secondaryCancer)])
            }
            return .unknown("the records do not say whether there was another cancer", [Needs.treatmentHistory])
        }
        let wanted = concepts.flatMap { cancerIDs(forConcept: $0, in: text) ?? cancerIDs(forConcept: $0) }
        let wantedNames = wanted.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: " or ")
        guard !wanted.isEmpty else { return .unknown(Self.reviewReason, [Needs.trialTeam]) }
        guard !reading.cancerIDs.isEmpty else { return .unknown("for \(wantedNames); the cancer type is not in the records", [Needs.diagnosis]) }
        let evidence = reading.cancerEvidence
        let names = reading.cancerIDs.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: ", ")
        if reading.cancerIDs.contains(where: { id in wanted.contains { knowledge.isA(id, $0) } }) {
            return Finding(truth: true, reason: "for \(wantedNames); the records show \(names)", evidence: evidence)
        }
        if reading.cancerIDs.contains(where: { id in wanted.contains { knowledge.isA($0, id) } }) {
            return .unknown("for \(wantedNames); the records say only \(names)", [Needs.diagnosis], evidence: evidence)
        }
        return Finding(truth: false, reason: "for \(wantedNames); the records show \(names)", evidence: evidence)
    }

    /// For each criterion, the cancers of the cohort section it stands in (nil: the whole trial).
    /// A heading-like item ("… criteria for X participants", "Cohort B …") opens a section;
    /// one naming no cancer ("Common Inclusion Criteria for All Participants") or a change
    /// from inclusion to exclusion closes it.
    func cohortContext(_ criteria: [Criterion]) -> [[String]?] {
        var current: [String]?
        var kind: Criterion.Kind?
        return criteria.map { criterion in
            if criterion.kind != kind { current = nil; kind = criterion.kind }
            if Self.readsAsSectionHeading(criterion.text) {
                current = headingCancers.value(for: criterion.text) { cohortCancers(of: criterion.text) }
            }
            return current
        }
    }

    static func readsAsSectionHeading(_ text: String) -> Bool {
        guard text.utf8.count < 120, text.count < 90 else { return false }
        let lower = text.lowercased()
        return (lower.contains("criteri") && (lower.contains(" for ") || lower.contains("cohort")))
            || lower.hasPrefix("cohort") || lower.hasPrefix("arm ") || lower.hasPrefix("part ")
    }

    static let reviewReason = "needs review by the trial team"

    /// The cancers of the cohort a criterion is for, when its heading (or the criterion itself,
    /// when it reads as a heading) names one: "… for HNSCC participants", "Cohort B: melanoma".
    func cohortCancers(_ criterion: Criterion) -> [String]? {
        let candidates = [criterion.heading, criterion.text.count < 90 ? criterion.text : nil].compactMap { $0 }
        for source in candidates {
            let lower = source.lowercased()
            let namesGroup = (lower.contains(" for ") && (lower.contains("participant") || lower.contains("patient") || lower.contains("subject")))
                || lower.contains("cohort") || lower.hasPrefix("arm ") || lower.contains(" arm")
            guard namesGroup else { continue }
            if let ids = cohortCancers(of: source) { return ids }
        }
        return nil
    }

    /// Knowledge-base ids of the cancers a heading names (its abbreviations too: "HNSCC", "PDAC").
    func cohortCancers(of heading: String) -> [String]? {
        var ids = lexicon.matches(in: heading, kinds: [.cancer]).flatMap { cancerIDs(forConcept: $0.entry.conceptID) }
        if ids.isEmpty {
            for word in heading.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count >= 2 && word.uppercased() == word {
                if let found = cancerAbbreviations[String(word)] { ids.append(found) }
            }
        }
        return ids.isEmpty ? nil : Array(Set(ids)).sorted()
    }

}

/// Cohort cancers of section-heading texts, shared by copies of an evaluator and safe across
/// threads: registries repeat the same few headings, and reading one costs a lexicon scan.
final class HeadingCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: [String]?] = [:]

    func value(for text: String, compute: () -> [String]?) -> [String]? {
        if let known = lock.withLock({ values[text] }) { return known }
        let value = compute()
        lock.withLock { values[text] = .some(value) }
        return value
    }
}
