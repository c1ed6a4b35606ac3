import Foundation

/// Treatment history as one timeline across a case's documents. Every document retells
/// the lines it knows ("on ibrutinib since 22/03/2024", "Ibrutinib 560 mg once daily from
/// 15/03/2024"); the mentions of one line — the same drugs, with consistent dates — are
/// one line, numbered, dated and with its intent once, while each mention keeps its own
/// provenance. Matching counts lines with the same numbers the case page shows.
public enum TreatmentTimeline {
    /// A reconciled line and the facts (one per mention) behind it.
    public struct Line: Sendable, Hashable {
        public var line: TreatmentLine
        public var factIDs: [UUID]
        /// Dates the mentions disagree on ("start 2024-03-15 vs 2024-03-22").
        public var conflicts: [String]
    }

    /// Rewrites the treatment-line facts of `facts` so that mentions of one line carry the
    /// same line number, intent, dates, response and refractoriness. `documentDates` gives
    /// each document's date: where mentions disagree on a date, the latest document's
    /// wins (a later letter reviews the history), and the disagreement is returned.
    public static func reconcile(_ facts: [ProfileFact], documentDates: [String: ClinicalDate] = [:],
                                 lexicon: ClinicalLexicon = .builtIn) -> (facts: [ProfileFact], lines: [Line]) {
        var lineFacts: [(index: Int, fact: Fact<TreatmentLine>)] = []
        for (index, fact) in facts.enumerated() {
            if case .treatmentLine(let line) = fact, line.isActive, !line.isNegated, !line.isUncertain, line.value.kind == .systemic {
                lineFacts.append((index, line))
            }
        }
        let components = Dictionary(lexicon.entries.filter { $0.kind == .regimen }.map { ($0.conceptID, Set($0.components)) },
                                    uniquingKeysWith: { $0.union($1) })
        func drugs(_ line: TreatmentLine) -> Set<String> {
            var set = Set(line.drugs.map { $0.conceptID ?? $0.text.lowercased() })
            if let regimen = line.regimen {
                if let id = regimen.conceptID, let parts = components[id], !parts.isEmpty { set.formUnion(parts) } else {
                    set.insert(regimen.conceptID ?? regimen.text.lowercased())
                }
            }
            return set
        }
        func month(_ date: ClinicalDate?) -> Int? { date.map { $0.year * 12 + ($0.month ?? 6) } }
        /// Two mentions are one line when they name the same drugs and nothing contradicts it:
        /// different stated line numbers, or start dates more than two months apart.
        func compatible(_ a: TreatmentLine, _ b: TreatmentLine) -> Bool {
            guard drugs(a) == drugs(b), !drugs(a).isEmpty else { return false }
            if let x = a.lineNumber, let y = b.lineNumber, x != y { return false }
            if let x = month(a.startDate), let y = month(b.startDate), abs(x - y) > 2 { return false }
            return true
        }
        var groups: [[Int]] = []  // indices into lineFacts
        for (position, item) in lineFacts.enumerated() {
            if let group = groups.firstIndex(where: { group in group.allSatisfy { compatible(lineFacts[$0].fact.value, item.fact.value) } }) {
                groups[group].append(position)
            } else {
                groups.append([position])
            }
        }
        // A mention of one drug of a known multi-drug line ("63% before carfilzomib", "neuropathy after
        // bortezomib") is that line, not a new one — unless it is numbered, dated or intended otherwise.
        func span(_ line: TreatmentLine) -> ClosedRange<Int>? {
            guard let start = month(line.startDate) else { return nil }
            return (start - 1)...max(start - 1, (month(line.endDate) ?? start) + 1)
        }
        let groupLines = groups.map { group in group.map { lineFacts[$0].fact.value } }
        var foldInto: [Int: Int] = [:]
        for (index, members) in groupLines.enumerated() {
            let set = drugs(members[0])
            guard members.allSatisfy({ $0.lineNumber == nil && $0.intent == nil }) else { continue }
            let supersets = groupLines.indices.filter { other in
                other != index && set.isStrictSubset(of: drugs(groupLines[other][0]))
                    && groupLines[other].allSatisfy { ![.maintenance, .consolidation, .bridging, .conditioning].contains($0.intent) }
            }
            // The line whose dates hold the mention's date; an undated line when nothing dates either.
            let holding = supersets.filter { other in
                members.allSatisfy { member in
                    guard let start = month(member.startDate) else { return true }
                    return groupLines[other].contains { span($0)?.contains(start) ?? false }
                        || groupLines[other].allSatisfy { $0.startDate == nil }
                }
            }
            let dated = holding.filter { other in groupLines[other].contains { $0.startDate != nil } }
            if holding.count == 1 { foldInto[index] = holding[0] } else if dated.count == 1, members.contains(where: { $0.startDate != nil }) {
                foldInto[index] = dated[0]
            }
        }
        for (from, to) in foldInto where foldInto[to] == nil {
            groups[to] += groups[from]
            groups[from] = []
        }
        groups.removeAll { $0.isEmpty }

        var result = facts
        var lines: [Line] = []
        for group in groups {
            let members = group.map { lineFacts[$0] }
            let mainDrugs = members.map { drugs($0.fact.value) }.max { $0.count < $1.count } ?? []
            // Mentions of the whole line first, then from the latest document: their dates and details win.
            let ordered = members.sorted { lhs, rhs in
                let lw = drugs(lhs.fact.value) == mainDrugs, rw = drugs(rhs.fact.value) == mainDrugs
                if lw != rw { return lw }
                let lWeighed = lhs.fact.value.datesWeighed == true, rWeighed = rhs.fact.value.datesWeighed == true
                if lWeighed != rWeighed { return lWeighed }
                let l = lhs.fact.provenance.documentID.flatMap { documentDates[$0] }
                let r = rhs.fact.provenance.documentID.flatMap { documentDates[$0] }
                switch (l, r) {
                case let (l?, r?) where l != r: return l > r
                case (.some, nil): return true
                default: return lhs.fact.confidence > rhs.fact.confidence
                }
            }
            var merged = ordered[0].fact.value
            var conflicts: [String] = []
            for other in ordered.dropFirst() {
                let value = other.fact.value
                guard drugs(value) == mainDrugs else { continue }  // a folded component mention adds no dates
                if let a = merged.startDate, let b = value.startDate, a != b, a.day != nil, b.day != nil {
                    conflicts.append("start \(a) vs \(b)")
                }
                if let a = merged.endDate, let b = value.endDate, a != b, a.day != nil, b.day != nil {
                    conflicts.append("end \(a) vs \(b)")
                }
                // A more precise date of the same month fills a vaguer one ("03/2024" → "15/03/2024").
                if let a = merged.startDate, let b = value.startDate, a.day == nil, b.day != nil, a.year == b.year, a.month == nil || a.month == b.month {
                    merged.startDate = b
                }
                if let a = merged.endDate, let b = value.endDate, a.day == nil, b.day != nil, a.year == b.year, a.month == nil || a.month == b.month {
                    merged.endDate = b
                }
                merged.merge(value)
                if merged.drugs.isEmpty { merged.drugs = value.drugs }
                if merged.regimen == nil { merged.regimen = value.regimen }
            }
            for member in members {
                var fact = member.fact
                var value = fact.value
                if drugs(value) != mainDrugs {
                    // A folded mention of one component carries the whole line it belongs to.
                    value.regimen = merged.regimen
                    value.drugs = merged.drugs
                }
                value.lineNumber = merged.lineNumber
                value.intent = merged.intent
                value.startDate = merged.startDate
                value.endDate = merged.endDate
                value.bestResponse = merged.bestResponse
                value.refractory = merged.refractory
                value.relapseDate = merged.relapseDate
                fact.value = value
                result[member.index] = .treatmentLine(fact)
            }
            lines.append(Line(line: merged, factIDs: members.map(\.fact.id), conflicts: conflicts))
        }
        return (result, lines)
    }

    /// Transplants told in several documents: the same kind (or an unspecified one) within
    /// 45 days is one transplant, dated by the latest document that dates it (a discharge
    /// date quoted in an imaging report must not become a second transplant date).
    public static func reconcileTransplants(_ facts: [ProfileFact], documentDates: [String: ClinicalDate] = [:]) -> [ProfileFact] {
        var items: [(index: Int, fact: Fact<Transplant>)] = []
        for (index, fact) in facts.enumerated() {
            if case .transplant(let transplant) = fact, transplant.isActive, !transplant.isNegated { items.append((index, transplant)) }
        }
        func days(_ date: ClinicalDate) -> Int { date.year * 372 + ((date.month ?? 6) - 1) * 31 + (date.day ?? 15) }
        func same(_ a: Transplant, _ b: Transplant) -> Bool {
            guard a.kind == b.kind || a.kind == .unspecified || b.kind == .unspecified else { return false }
            guard let x = a.date, let y = b.date else { return true }
            return abs(days(x) - days(y)) <= 45 || (x.month == nil || y.month == nil) && x.year == y.year
        }
        var groups: [[Int]] = []
        for (position, item) in items.enumerated() {
            if let group = groups.firstIndex(where: { $0.allSatisfy { same(items[$0].fact.value, item.fact.value) } }) {
                groups[group].append(position)
            } else {
                groups.append([position])
            }
        }
        var result = facts
        for group in groups where group.count > 1 {
            let members = group.map { items[$0] }
            let dated = members.filter { $0.fact.value.date != nil }.sorted { lhs, rhs in
                let l = lhs.fact.provenance.documentID.flatMap { documentDates[$0] }
                let r = rhs.fact.provenance.documentID.flatMap { documentDates[$0] }
                if let l, let r, l != r { return l > r }
                return (lhs.fact.value.date?.day != nil ? 1 : 0) > (rhs.fact.value.date?.day != nil ? 1 : 0)
            }
            let kind = members.map(\.fact.value.kind).first { $0 != .unspecified } ?? .unspecified
            let date = dated.first?.fact.value.date
            for member in members {
                var fact = member.fact
                fact.value.kind = kind
                fact.value.date = date ?? fact.value.date
                result[member.index] = .transplant(fact)
            }
        }
        return result
    }
}

extension PatientProfile {
    /// This profile with its treatment lines and transplants reconciled across documents
    /// (`TreatmentTimeline`): what the case page shows and what matching counts.
    /// `documentDates` maps a fact's document id to that document's date.
    public func reconcilingTimeline(documentDates: [String: ClinicalDate], lexicon: ClinicalLexicon = .builtIn) -> PatientProfile {
        var facts = TreatmentTimeline.reconcile(self.facts, documentDates: documentDates, lexicon: lexicon).facts
        facts = TreatmentTimeline.reconcileTransplants(facts, documentDates: documentDates)
        return PatientProfile(caseID: caseID, facts: facts)
    }
}
