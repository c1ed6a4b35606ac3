import Foundation
import OncoKnowledge
import OncoRecords

/// What the evaluators need from a profile, read once per match: the cancer as
/// knowledge-base ids, counted lines of therapy, drug classes received, latest values.
/// Every accessor keeps the facts it used so a verdict can cite them.
struct CaseReading: Sendable {
    let profile: PatientProfile
    let today: Day
    /// Knowledge-base cancer ids of the primary cancer(s) and histologies, most specific first.
    let cancerIDs: [String]
    let cancerEvidence: [FactSummary]
    /// Lines of systemic therapy as labels count them (see `countLines`).
    let lines: [Fact<TreatmentLine>]
    /// Drug and drug-class ids the person received (from regimens and drugs, via the KB).
    let receivedClassIDs: [String: [FactSummary]]
    let knowledge: KnowledgeBase
    /// The sex to go by (a person's review first), read once.
    let sex: Fact<AdministrativeSex>?
    /// Every fact's summary, made once (a summary renders the value's text).
    let summaries: [UUID: FactSummary]
    /// What the documents' own words state (relapse ordinal, listed lines, transplant status …).
    let stated: StatedFacts
    /// `lineEvidence` and `diseaseState()`, computed once per reading.
    private(set) var lineEvidence: [FactSummary] = []
    private var state: (relapsed: Bool?, refractory: Bool?, either: Bool?, evidence: [FactSummary]) = (nil, nil, nil, [])

    init(profile: PatientProfile, knowledge: KnowledgeBase, today: Day, texts: [CaseDocumentText] = [], terms: DrugTerms? = nil) {
        self.profile = profile
        stated = texts.isEmpty ? StatedFacts() : StatedFacts(texts: texts, knowledge: knowledge, terms: terms ?? DrugTerms(knowledge))
        self.today = today
        self.knowledge = knowledge
        sex = PatientProfile.preferred(profile.sexes)
        summaries = Dictionary(profile.facts.map { fact in let summary = fact.summary; return (summary.id, summary) }, uniquingKeysWith: { first, _ in first })
        var ids: [String] = []
        var evidence: [FactSummary] = []
        for fact in profile.primaryCancers where fact.isActive && !fact.isNegated {
            if let id = Self.cancerID(fact.value.cancer, knowledge) {
                ids.append(id)
                evidence.append(ProfileFact.primaryCancer(fact).summary)
            }
        }
        for fact in profile.histologies where fact.isActive && !fact.isNegated {
            if let id = Self.cancerID(fact.value, knowledge), !ids.contains(id) {
                ids.append(id)
                evidence.append(ProfileFact.histology(fact).summary)
            }
        }
        // A subtype the text names by a qualifier of its parent: "acute lymphoblastic leukemia —
        // B-cell precursor" is the KB's "B-cell precursor acute lymphoblastic leukemia".
        for (id, quote) in Self.qualifiedSubtypes(of: ids, evidence: evidence, texts, knowledge) where !ids.contains(id) {
            ids.append(id)
            evidence.append(quote)
        }
        // "Not otherwise specified" gives way to a sibling the records do specify (a DLBCL
        // described as a Richter transformation is not also a DLBCL NOS).
        ids = ids.filter { id in
            guard id.hasSuffix("-nos"), let parents = knowledge.cancer(id: id)?.parents else { return true }
            return !ids.contains { other in other != id && !knowledge.isA(other, id) && parents.contains { knowledge.isA(other, $0) && other != $0 } }
        }
        // Most specific first: an id that has another listed id as ancestor goes before it.
        cancerIDs = ids.sorted { knowledge.ancestors(of: $0).count > knowledge.ancestors(of: $1).count }
        cancerEvidence = evidence
        lines = Self.countLines(profile.treatmentLines, knowledge)
        var classes: [String: [FactSummary]] = [:]
        for fact in profile.treatmentLines where fact.isActive && !fact.isNegated {
            let summary = ProfileFact.treatmentLine(fact).summary
            for id in Self.drugAndClassIDs(fact.value, knowledge) { classes[id, default: []].append(summary) }
        }
        receivedClassIDs = classes
        lineEvidence = computeLineEvidence()
        state = computeDiseaseState()
    }

    /// Children of the cancers found whose KB name is a qualifier plus the parent's name
    /// ("B-cell precursor" + "acute lymphoblastic leukemia", "metastatic castration-resistant" +
    /// "prostate cancer"), when the qualifier is written on the line the parent was read from.
    static func qualifiedSubtypes(of ids: [String], evidence: [FactSummary], _ texts: [CaseDocumentText], _ knowledge: KnowledgeBase) -> [(String, FactSummary)] {
        guard !texts.isEmpty else { return [] }
        var found: [(String, FactSummary)] = []
        for (id, fact) in zip(ids, evidence) {
            guard let parent = knowledge.cancer(id: id), case let .document(documentID, span) = fact.provenance.source,
                  let document = texts.first(where: { $0.documentID == documentID }),
                  let (line, lineRange) = Self.line(at: span.start, in: document.text) else { continue }
            let normalisedLine = DrugTerms.normalise(line)
            let parentNames = ([parent.name] + parent.synonyms).map { DrugTerms.normalise($0) }.filter { $0.count > 5 }
            for child in knowledge.children(of: id) {
                for synonym in [child.name] + child.synonyms {
                    let name = DrugTerms.normalise(synonym)
                    guard let parentName = parentNames.first(where: { name.contains($0) }) else { continue }
                    let qualifier = name.replacingOccurrences(of: parentName, with: " ").trimmingCharacters(in: .whitespaces)
                    guard qualifier.filter(\.isLetter).count >= 4, normalisedLine.contains(" " + qualifier + " ") else { continue }
                    found.append((child.id, StatedFacts.evidence(document.text, lineRange, documentID, .histology)))
                }
            }
        }
        return found
    }

    /// The line of `text` holding the UTF-16 offset `offset`.
    static func line(at offset: Int, in text: String) -> (String, Range<String.Index>)? {
        let utf16 = text.utf16
        guard offset >= 0, offset <= utf16.count, let index = utf16.index(utf16.startIndex, offsetBy: offset, limitedBy: utf16.endIndex)?.samePosition(in: text) else { return nil }
        let start = text[..<index].lastIndex(where: { $0 == "\n" || $0 == "\u{0C}" }).map { text.index(after: $0) } ?? text.startIndex
        let end = text[index...].firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) ?? text.endIndex
        return (String(text[start..<end]), start..<end)
    }

    /// A fact's summary (from the table made at the start).
    func summary<V: ProfileValue>(_ fact: Fact<V>, _ field: ProfileField) -> FactSummary {
        summaries[fact.id] ?? FactSummary(field: field, fact)
    }

    func diseaseState() -> (relapsed: Bool?, refractory: Bool?, either: Bool?, evidence: [FactSummary]) { state }

    static func cancerID(_ coded: CodedText, _ knowledge: KnowledgeBase) -> String? {
        if let id = coded.conceptID, knowledge.cancer(id: id) != nil { return id }
        return knowledge.cancer(named: coded.text)?.id
    }

    /// Drug ids, their class ids, and the regimen id for one line.
    static func drugAndClassIDs(_ line: TreatmentLine, _ knowledge: KnowledgeBase) -> Set<String> {
        var drugs: [Drug] = []
        if let regimen = line.regimen {
            let found = regimen.conceptID.flatMap { knowledge.regimen(id: $0) } ?? knowledge.regimen(named: regimen.text)
            if let found { drugs += knowledge.drugs(in: found) }
        }
        for coded in line.drugs {
            if let drug = coded.conceptID.flatMap({ knowledge.drug(id: $0) }) ?? knowledge.drug(named: coded.text) { drugs.append(drug) }
        }
        var ids = Set(drugs.flatMap { [$0.id] + $0.classes })
        if let regimenID = line.regimen?.conceptID { ids.insert(regimenID) }
        return ids
    }

    /// Lines of therapy the way labels count them: a line is a regimen given to treat the
    /// disease; bridging, maintenance, consolidation and conditioning belong to the line
    /// they follow, and radiotherapy or surgery alone is not a line of systemic therapy.
    /// Facts describing the same line twice (same stated number, or same regimen and start)
    /// count once.
    static func countLines(_ facts: [Fact<TreatmentLine>], _ knowledge: KnowledgeBase) -> [Fact<TreatmentLine>] {
        let excludedIntents: Set<TreatmentIntent> = [.bridging, .maintenance, .consolidation, .conditioning]
        var position: [String: Int] = [:]
        var numbered: [String: Int] = [:]
        var result: [Fact<TreatmentLine>] = []
        let candidates = facts.filter { fact in
            fact.isActive && !fact.isNegated && fact.value.kind == .systemic && !(fact.value.intent.map(excludedIntents.contains) ?? false)
        }
        for fact in candidates.sorted(by: { ($0.value.lineNumber ?? 99) < ($1.value.lineNumber ?? 99) }) {
            let line = fact.value
            let regimen = regimenKey(line, knowledge)
            let key: String
            if let number = line.lineNumber {
                key = "#\(number)"
                if !regimen.isEmpty { numbered[regimen] = numbered[regimen] ?? position[key] ?? result.count }
            } else if let same = numbered[regimen] {
                // The same line told twice ("line 3: lenalidomide and rituximab" … "R2 from 2024-03"): one line, details merged.
                result[same].value.merge(line)
                continue
            } else {
                key = regimen + "@" + (line.startDate.map { "\($0.year)-\($0.month ?? 0)" } ?? "?")
            }
            if let existing = position[key] {
                result[existing].value.merge(line)
            } else {
                position[key] = result.count
                result.append(fact)
            }
        }
        return result.sorted { lhs, rhs in
            (lhs.value.lineNumber ?? 99, lhs.value.startDate ?? ClinicalDate(year: 9999)) < (rhs.value.lineNumber ?? 99, rhs.value.startDate ?? ClinicalDate(year: 9999))
        }
    }

    /// The drugs of a line (a regimen expanded through the knowledge base), so "BR" and
    /// "bendamustine and rituximab" are the same line.
    static func regimenKey(_ line: TreatmentLine, _ knowledge: KnowledgeBase) -> String {
        var drugs: Set<String> = []
        if let regimen = line.regimen, let found = regimen.conceptID.flatMap({ knowledge.regimen(id: $0) }) ?? knowledge.regimen(named: regimen.text) {
            drugs.formUnion(found.drugs)
        }
        for coded in line.drugs {
            drugs.insert(coded.conceptID.flatMap { knowledge.drug(id: $0)?.id } ?? knowledge.drug(named: coded.text)?.id ?? coded.text.lowercased())
        }
        if drugs.isEmpty, let regimen = line.regimen { drugs.insert(regimen.conceptID ?? regimen.text.lowercased()) }
        return drugs.sorted().joined(separator: "+")
    }

    /// Number of prior lines: the highest stated line number, the number of distinct lines,
    /// the items of a numbered prior-treatment list, or a count the text states ("3 prior lines").
    var priorLineCount: Int {
        max(lines.count, lines.compactMap(\.value.lineNumber).max() ?? 0, stated.listedLines.count, stated.statedLineCount?.value ?? 0)
    }
    /// Whether the records say anything about lines of therapy.
    var hasLineInformation: Bool { !lines.isEmpty || !stated.listedLines.isEmpty || stated.statedLineCount != nil }
    /// The facts and quotes behind the line count.
    var allLineEvidence: [FactSummary] {
        lineEvidence + stated.listedLines.map(\.evidence) + (stated.statedLineCount.map { [$0.evidence] } ?? [])
    }
    /// Every fact behind the counted lines (duplicates included: they were read too).
    func computeLineEvidence() -> [FactSummary] {
        let counted = Set(lines.map(\.id))
        let drugKeys = Set(lines.map { CaseReading.regimenKey($0.value, knowledge) })
        return profile.treatmentLines.filter { counted.contains($0.id) || ($0.isActive && $0.value.lineNumber == nil && drugKeys.contains(CaseReading.regimenKey($0.value, knowledge)) && $0.value.intent == nil) }
            .map { ProfileFact.treatmentLine($0).summary }
    }

    /// Age in whole years today, as a range when the birth date is only a year or month.
    var age: (range: ClosedRange<Int>, evidence: [FactSummary])? {
        if let birth = PatientProfile.preferred(profile.birthDates) {
            let date = birth.value
            let maxAge = Self.wholeYears(from: ClinicalDate(year: date.year, month: date.month ?? 1, day: date.day ?? 1), to: today)
            let minAge = Self.wholeYears(from: ClinicalDate(year: date.year, month: date.month ?? 12, day: date.day ?? 31), to: today)
            return (min(minAge, maxAge)...max(minAge, maxAge), [summary(birth, .birthDate)])
        }
        if let stated = PatientProfile.preferred(profile.ages) {
            return (stated.value.value...stated.value.value, [summary(stated, .age)])
        }
        return nil
    }

    static func wholeYears(from birth: ClinicalDate, to today: Day) -> Int {
        var years = today.year - birth.year
        if (today.month, today.day) < (birth.month ?? 1, birth.day ?? 1) { years -= 1 }
        return years
    }

    /// Months from `start` to `end` as a range, widened when either date lacks a month.
    static func months(from start: ClinicalDate, to end: ClinicalDate) -> ClosedRange<Int> {
        let startLow = start.year * 12 + (start.month ?? 1), startHigh = start.year * 12 + (start.month ?? 12)
        let endLow = end.year * 12 + (end.month ?? 1), endHigh = end.year * 12 + (end.month ?? 12)
        let low = endLow - startHigh, high = endHigh - startLow
        return min(low, high)...max(low, high)
    }

    var todayDate: ClinicalDate { ClinicalDate(year: today.year, month: today.month, day: today.isMonthOnly ? nil : today.day) }

    /// Relapsed, refractory, or either, from the lines: an explicit refractory flag or
    /// relapse date, or (for "either") a later line given after an earlier one.
    func computeDiseaseState() -> (relapsed: Bool?, refractory: Bool?, either: Bool?, evidence: [FactSummary]) {
        let active = profile.treatmentLines.filter { $0.isActive && !$0.isNegated }
        let refractoryLines = active.filter { $0.value.refractory == true }
        let relapsedLines = active.filter { $0.value.relapseDate != nil }
        var refractory: Bool? = refractoryLines.isEmpty ? nil : true
        var relapsed: Bool? = relapsedLines.isEmpty ? nil : true
        var evidence = (refractoryLines + relapsedLines).map { ProfileFact.treatmentLine($0).summary }
        if refractory == nil, let said = stated.refractory, said.value { refractory = true; evidence.append(said.evidence) }
        if relapsed == nil, let said = stated.relapsed ?? stated.relapseCount.map({ StatedFacts.Statement(value: true, evidence: $0.evidence) }) {
            relapsed = true
            evidence.append(said.evidence)
        }
        var either: Bool? = (refractory == true || relapsed == true) ? true : nil
        if either == nil, lines.count >= 2 || stated.listedLines.count >= 2 {
            // A further line of therapy is only given after the disease came back or did not respond.
            either = true
            evidence = allLineEvidence
        }
        return (relapsed, refractory, either, evidence)
    }
}

extension TreatmentLine {
    /// Fills what this line does not say from another account of the same line.
    mutating func merge(_ other: TreatmentLine) {
        lineNumber = lineNumber ?? other.lineNumber
        regimen = regimen ?? other.regimen
        if drugs.isEmpty { drugs = other.drugs }
        startDate = startDate ?? other.startDate
        endDate = endDate ?? other.endDate
        intent = intent ?? other.intent
        bestResponse = bestResponse ?? other.bestResponse
        refractory = refractory ?? other.refractory
        relapseDate = relapseDate ?? other.relapseDate
    }
}
