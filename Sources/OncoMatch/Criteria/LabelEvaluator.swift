import Foundation
import OncoKnowledge
import OncoRecords

/// Judges an approved product's label indication (`OncoKnowledge.LabelIndication`)
/// requirement by requirement. The indication's fields are the only source of the rules;
/// each verdict cites the indication's `sources`. Free-text `additionalCriteria` become
/// unknown items to check.
public struct LabelEvaluator: Sendable {
    public let knowledge: KnowledgeBase

    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
    }

    /// Every requirement of `indication` against the profile, with `today` for ages and timing.
    public func evaluate(_ indication: LabelIndication, profile: PatientProfile, today: Day) -> [CriterionVerdict] {
        evaluate(indication, CaseReading(profile: profile, knowledge: knowledge, today: today))
    }

    func evaluate(_ indication: LabelIndication, _ reading: CaseReading) -> [CriterionVerdict] {
        func verdict(_ text: String, _ finding: Finding) -> CriterionVerdict {
            CriterionVerdict(text: text, origin: .label, verdict: finding.truth.map { $0 ? .met : .notMet } ?? .unknown,
                             reason: finding.reason, evidence: finding.evidence, needs: finding.needs, sources: indication.sources)
        }
        var result: [CriterionVerdict] = []
        let covered = indication.cancers.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: " or ")
        result.append(verdict("Cancer type: \(covered)", cancer(indication, reading)))
        if indication.diseaseStatus != .any {
            result.append(verdict("Disease status: \(indication.diseaseStatus.rawValue.replacingOccurrences(of: "-", with: " "))", diseaseStatus(indication.diseaseStatus, reading)))
        }
        if let minimum = indication.minPriorLines {
            result.append(verdict("At least \(minimum) prior line\(minimum == 1 ? "" : "s") of systemic therapy", priorLines(minimum, reading)))
        }
        for classID in indication.requiredPriorTherapyClasses {
            let name = knowledge.drugClass(id: classID)?.name ?? classID
            result.append(verdict("Prior treatment with: \(name)", priorClass(classID, name, reading)))
        }
        for id in indication.refractoryTo {
            let name = knowledge.drugClass(id: id)?.name ?? knowledge.drug(id: id)?.generic ?? id
            result.append(verdict("Disease refractory to: \(name)", refractory(to: id, name, reading)))
        }
        for rule in indication.timing {
            let text = rule.kind == .refractoryOrRelapseWithin
                ? "Refractory to, or relapsed within \(rule.months.map(String.init) ?? "?") months of, \(rule.after)"
                : "Relapsed at least \(rule.months.map(String.init) ?? "?") months after \(rule.after)"
            result.append(verdict(text, timing(rule, reading)))
        }
        if let transplant = indication.transplant {
            let text = transplant == .ineligible ? "Not eligible for a stem cell transplant" : "A candidate for a stem cell transplant"
            result.append(verdict(text, .unknown("the label concerns people \(transplant == .ineligible ? "who cannot have" : "who can have") a stem cell transplant; the records do not say", [Needs.transplantEligibility])))
        }
        if indication.ageMin != nil || indication.ageMax != nil {
            result.append(verdict(ageText(indication), age(indication, reading)))
        }
        for requirement in indication.biomarkers {
            let name = knowledge.biomarker(id: requirement.biomarker)?.name ?? requirement.biomarker
            result.append(verdict("\(name): \(requirement.status)", biomarker(requirement, name, reading)))
        }
        if !indication.hla.isEmpty {
            result.append(verdict("HLA type: \(indication.hla.joined(separator: " or "))", hla(indication.hla, reading)))
        }
        for text in indication.additionalCriteria {
            result.append(verdict(text, .unknown("a label condition to check with the treating team", [Needs.check(text)])))
        }
        return result
    }

    func ageText(_ indication: LabelIndication) -> String {
        switch (indication.ageMin, indication.ageMax) {
        case let (low?, high?): "Age \(low) to \(high) years"
        case let (low?, nil): "Age \(low) years or older"
        case let (nil, high?): "Age up to \(high) years"
        case (nil, nil): "Age"
        }
    }

    func cancer(_ indication: LabelIndication, _ reading: CaseReading) -> Finding {
        let covered = indication.cancers.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: " or ")
        guard !reading.cancerIDs.isEmpty else { return .unknown("the label covers \(covered); the cancer type is not in the records", [Needs.diagnosis]) }
        let evidence = reading.cancerEvidence
        let names = reading.cancerIDs.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: ", ")
        if let id = reading.cancerIDs.first(where: { knowledge.indication(indication, covers: $0) }) {
            return Finding(truth: true, reason: "the label covers \(covered); the records show \(knowledge.cancer(id: id)?.name ?? id)", evidence: evidence)
        }
        if let excluded = indication.excludedCancers.first(where: { ex in reading.cancerIDs.contains { knowledge.isA($0, ex) } }) {
            return Finding(truth: false, reason: "the label excludes \(knowledge.cancer(id: excluded)?.name ?? excluded); the records show \(names)", evidence: evidence)
        }
        if reading.cancerIDs.contains(where: { id in indication.cancers.contains { knowledge.isA($0, id) } }) {
            return .unknown("the label covers \(covered); the records say only \(names)", [Needs.diagnosis], evidence: evidence)
        }
        return Finding(truth: false, reason: "the label covers \(covered); the records show \(names)", evidence: evidence)
    }

    func diseaseStatus(_ status: OncoKnowledge.DiseaseStatus, _ reading: CaseReading) -> Finding {
        let state = reading.diseaseState()
        let value: Bool? = switch status {
        case .relapsed: state.relapsed
        case .refractory: state.refractory
        case .relapsedOrRefractory: state.either
        case .any: true
        }
        let wanted = status.rawValue.replacingOccurrences(of: "-", with: " ")
        if value == true { return Finding(truth: true, reason: "the label requires \(wanted) disease; the records show it", evidence: state.evidence) }
        return .unknown("the label requires \(wanted) disease; the records do not show it", [Needs.diseaseStatus], evidence: state.evidence)
    }

    func priorLines(_ minimum: Int, _ reading: CaseReading) -> Finding {
        guard !reading.lines.isEmpty else {
            return .unknown("the label requires at least \(minimum) prior line\(minimum == 1 ? "" : "s"); no lines of therapy in the records", [Needs.priorLines])
        }
        let count = reading.priorLineCount
        return Finding(truth: count >= minimum, reason: "the label requires at least \(minimum) prior line\(minimum == 1 ? "" : "s"); the records show \(count)",
                       evidence: reading.lineEvidence)
    }

    func priorClass(_ classID: String, _ name: String, _ reading: CaseReading) -> Finding {
        if let evidence = reading.receivedClassIDs[classID], !evidence.isEmpty {
            return Finding(truth: true, reason: "the label requires prior \(name); the records show it", evidence: evidence)
        }
        return .unknown("the label requires prior \(name); not mentioned in the records", [Needs.treatmentHistory])
    }

    func refractory(to id: String, _ name: String, _ reading: CaseReading) -> Finding {
        let lines = reading.profile.treatmentLines.filter { $0.isActive && !$0.isNegated && CaseReading.drugAndClassIDs($0.value, knowledge).contains(id) }
        let evidence = lines.map { reading.summary($0, .treatmentLine) }
        if lines.contains(where: { $0.value.refractory == true }) {
            return Finding(truth: true, reason: "the label requires disease refractory to \(name); the records show it", evidence: evidence)
        }
        if !lines.isEmpty, lines.allSatisfy({ $0.value.refractory == false }) {
            return Finding(truth: false, reason: "the label requires disease refractory to \(name); the records say it was not", evidence: evidence)
        }
        return .unknown("the label requires disease refractory to \(name); the records do not say", [Needs.diseaseStatus], evidence: evidence)
    }

    /// "Refractory to, or relapsed within 12 months of, first-line chemoimmunotherapy."
    func timing(_ rule: TimingRule, _ reading: CaseReading) -> Finding {
        let lines = reading.lines
        let months = rule.months ?? 0
        let wantsFirst = rule.after.lowercased().contains("first")
        let candidates = wantsFirst ? Array(lines.prefix(1)) : Array(lines.dropFirst())
        guard !candidates.isEmpty else {
            return .unknown("measured from \(rule.after); that treatment is not in the records", [Needs.treatmentHistory])
        }
        var findings: [Finding] = []
        for reference in candidates {
            let line = reference.value
            var evidence = [reading.summary(reference, .treatmentLine)]
            if rule.kind == .refractoryOrRelapseWithin, line.refractory == true {
                findings.append(Finding(truth: true, reason: "the records show the disease was refractory to \(line.displayText)", evidence: evidence))
                continue
            }
            // The relapse date, or failing that the start of the next line (the relapse came before it).
            let next = lines.firstIndex(of: reference).flatMap { $0 + 1 < lines.count ? lines[$0 + 1] : nil }
            let relapse = line.relapseDate ?? next?.value.startDate
            if let next, line.relapseDate == nil { evidence.append(reading.summary(next, .treatmentLine)) }
            guard let end = line.endDate ?? line.startDate, let relapse else {
                findings.append(.unknown("measured from the end of \(line.displayText); the dates are not in the records", [Needs.treatmentDates], evidence: evidence))
                continue
            }
            // Measured from the end of therapy; a start date only bounds the interval from above.
            let span = CaseReading.months(from: end, to: relapse)
            let upper = line.endDate == nil ? Int.max : span.upperBound
            let within: Bool? = upper <= months ? true : (span.lowerBound > months ? false : nil)
            let truth: Bool? = rule.kind == .refractoryOrRelapseWithin ? within : within.map { !$0 }
            let what = line.relapseDate != nil ? "relapse" : "next treatment"
            findings.append(Finding(truth: truth, reason: "the label measures \(months) months from \(rule.after); the records show the \(what) \(span.lowerBound == span.upperBound ? "\(span.lowerBound)" : "\(span.lowerBound)–\(span.upperBound)") months after \(line.displayText)",
                                    evidence: evidence, needs: truth == nil ? [Needs.treatmentDates] : []))
        }
        return Finding.any(findings)
    }

    func age(_ indication: LabelIndication, _ reading: CaseReading) -> Finding {
        guard let age = reading.age else { return .unknown("\(ageText(indication)); no date of birth or age in the records", [Needs.birthDate]) }
        let low = indication.ageMin ?? Int.min, high = indication.ageMax ?? Int.max
        let shown = age.range.lowerBound == age.range.upperBound ? "\(age.range.lowerBound)" : "\(age.range.lowerBound)–\(age.range.upperBound)"
        let reason = "\(ageText(indication)); the records give age \(shown) today"
        if age.range.lowerBound >= low && age.range.upperBound <= high { return Finding(truth: true, reason: reason, evidence: age.evidence) }
        if age.range.upperBound < low || age.range.lowerBound > high { return Finding(truth: false, reason: reason, evidence: age.evidence) }
        return .unknown(reason, [Needs.birthDate], evidence: age.evidence)
    }

    func biomarker(_ requirement: OncoKnowledge.BiomarkerRequirement, _ name: String, _ reading: CaseReading) -> Finding {
        let entry = knowledge.biomarker(id: requirement.biomarker)
        let names = Set(([name, requirement.biomarker, entry?.gene].compactMap { $0 } + (entry?.synonyms ?? [])).map(CriterionEvaluator.normalisedMarker))
        let results = reading.profile.biomarkers.filter { $0.isActive && !$0.isNegated && names.contains(CriterionEvaluator.normalisedMarker($0.value.marker)) }
        let asked = entry?.gene ?? name
        guard let fact = PatientProfile.latest(results, date: \.date) else {
            return .unknown("the label requires \(name) \(requirement.status); no result in the records", [Needs.biomarker(asked)])
        }
        let evidence = [reading.summary(fact, .biomarker)]
        let wantsNegative = requirement.status.lowercased().contains("negative")
        switch fact.value.interpretation {
        case .positive: return Finding(truth: !wantsNegative, reason: "the label requires \(name) \(requirement.status); the records show \(fact.value.displayText)", evidence: evidence)
        case .negative: return Finding(truth: wantsNegative, reason: "the label requires \(name) \(requirement.status); the records show \(fact.value.displayText)", evidence: evidence)
        case .indeterminate, .value:
            return .unknown("the label requires \(name) \(requirement.status); the records show \(fact.value.displayText)", [Needs.biomarker(asked)], evidence: evidence)
        }
    }

    func hla(_ alleles: [String], _ reading: CaseReading) -> Finding {
        let typed = reading.profile.biomarkers.filter { $0.isActive && !$0.isNegated && $0.value.marker.uppercased().hasPrefix("HLA") && $0.value.alteration != nil }
        guard !typed.isEmpty else {
            return .unknown("the label requires HLA type \(alleles.joined(separator: " or ")); no HLA typing in the records",
                            [InformationNeed(key: "hla", action: "HLA typing (a blood test) results")])
        }
        let evidence = typed.map { reading.summary($0, .biomarker) }
        func key(_ s: String) -> String { s.uppercased().replacingOccurrences(of: "HLA-", with: "").filter { $0.isLetter || $0.isNumber || $0 == "*" || $0 == ":" } }
        let patient = typed.map { key($0.value.marker + ($0.value.alteration ?? "")) }
        let match = alleles.contains { allele in
            let wanted = key(allele).trimmingCharacters(in: CharacterSet(charactersIn: "P"))
            return patient.contains { $0.hasPrefix(wanted) || wanted.hasPrefix($0) && $0.count >= 7 }
        }
        return Finding(truth: match ? true : (typed.contains { $0.value.marker.uppercased() == "HLA-A" } ? false : nil),
                       reason: "the label requires HLA type \(alleles.joined(separator: " or ")); the records show \(typed.map(\.value.displayText).joined(separator: ", "))",
                       evidence: evidence)
    }
}
