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

    init(profile: PatientProfile, knowledge: KnowledgeBase, today: Day) {
        self.profile = profile
        self.today = today
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
        // Most specific first: an id that has another listed id as ancestor goes before it.
        cancerIDs = ids.sorted { knowledge.ancestors(of: $0).count > knowledge.ancestors(of: $1).count }
        cancerEvidence = evidence
        lines = Self.countLines(profile.treatmentLines)
        var classes: [String: [FactSummary]] = [:]
        for fact in profile.treatmentLines where fact.isActive && !fact.isNegated {
            let summary = ProfileFact.treatmentLine(fact).summary
            for id in Self.drugAndClassIDs(fact.value, knowledge) { classes[id, default: []].append(summary) }
        }
        receivedClassIDs = classes
    }

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
    static func countLines(_ facts: [Fact<TreatmentLine>]) -> [Fact<TreatmentLine>] {
        let excludedIntents: Set<TreatmentIntent> = [.bridging, .maintenance, .consolidation, .conditioning]
        var seen: Set<String> = []
        var numberedRegimens: Set<String> = []
        var result: [Fact<TreatmentLine>] = []
        let candidates = facts.filter { fact in
            fact.isActive && !fact.isNegated && fact.value.kind == .systemic && !(fact.value.intent.map(excludedIntents.contains) ?? false)
        }
        for fact in candidates.sorted(by: { ($0.value.lineNumber ?? 99) < ($1.value.lineNumber ?? 99) }) {
            let line = fact.value
            let regimen = regimenKey(line)
            let key: String
            if let number = line.lineNumber {
                key = "#\(number)"
                numberedRegimens.insert(regimen)
            } else {
                if numberedRegimens.contains(regimen) && !regimen.isEmpty { continue }
                key = regimen + "@" + (line.startDate.map { "\($0.year)-\($0.month ?? 0)" } ?? "?")
            }
            if seen.insert(key).inserted { result.append(fact) }
        }
        return result.sorted { lhs, rhs in
            (lhs.value.lineNumber ?? 99, lhs.value.startDate ?? ClinicalDate(year: 9999)) < (rhs.value.lineNumber ?? 99, rhs.value.startDate ?? ClinicalDate(year: 9999))
        }
    }

    static func regimenKey(_ line: TreatmentLine) -> String {
        line.regimen.map { $0.conceptID ?? $0.text.lowercased() } ?? line.drugs.map { $0.conceptID ?? $0.text.lowercased() }.sorted().joined(separator: "+")
    }

    /// Number of prior lines: the highest stated line number or the number of distinct lines.
    var priorLineCount: Int { max(lines.count, lines.compactMap(\.value.lineNumber).max() ?? 0) }
    var lineEvidence: [FactSummary] { lines.map { ProfileFact.treatmentLine($0).summary } }

    /// Age in whole years today, as a range when the birth date is only a year or month.
    var age: (range: ClosedRange<Int>, evidence: [FactSummary])? {
        if let birth = PatientProfile.preferred(profile.birthDates) {
            let date = birth.value
            let maxAge = Self.wholeYears(from: ClinicalDate(year: date.year, month: date.month ?? 1, day: date.day ?? 1), to: today)
            let minAge = Self.wholeYears(from: ClinicalDate(year: date.year, month: date.month ?? 12, day: date.day ?? 31), to: today)
            return (min(minAge, maxAge)...max(minAge, maxAge), [ProfileFact.birthDate(birth).summary])
        }
        if let stated = PatientProfile.preferred(profile.ages) {
            return (stated.value.value...stated.value.value, [ProfileFact.age(stated).summary])
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
    func diseaseState() -> (relapsed: Bool?, refractory: Bool?, either: Bool?, evidence: [FactSummary]) {
        let active = profile.treatmentLines.filter { $0.isActive && !$0.isNegated }
        let refractoryLines = active.filter { $0.value.refractory == true }
        let relapsedLines = active.filter { $0.value.relapseDate != nil }
        let refractory: Bool? = refractoryLines.isEmpty ? nil : true
        let relapsed: Bool? = relapsedLines.isEmpty ? nil : true
        var evidence = (refractoryLines + relapsedLines).map { ProfileFact.treatmentLine($0).summary }
        var either: Bool? = (refractory == true || relapsed == true) ? true : nil
        if either == nil, lines.count >= 2 {
            // A further line of therapy is only given after the disease came back or did not respond.
            either = true
            evidence = lineEvidence
        }
        return (relapsed, refractory, either, evidence)
    }
}
