import Foundation
import OncoKnowledge
import OncoRecords

/// Judges an approved product's label indication (`OncoKnowledge.LabelIndication`)
/// requirement by requirement. The indication's fields are the only source of the rules;
/// each verdict cites the indication's `sources`. Free-text `additionalCriteria` become
/// unknown items to check; those that only say the record is incomplete (`isCaveat`) stay
/// unknown (never "all met") but ask nobody to do anything.
public struct LabelEvaluator: Sendable {
    public let knowledge: KnowledgeBase
    /// The KB's drug, regimen and product names, normalised once for reading document text.
    let terms: DrugTerms

    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        terms = DrugTerms(knowledge)
    }

    /// Every requirement of `indication` against the profile (and the documents' text, when
    /// given), with `today` for ages and timing.
    public func evaluate(_ indication: LabelIndication, profile: PatientProfile, today: Day, texts: [CaseDocumentText] = []) -> [CriterionVerdict] {
        evaluate(indication, CaseReading(profile: profile, knowledge: knowledge, today: today, texts: texts, terms: terms))
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
        if let relapse = indication.relapse {
            result.append(verdict(Self.relapseText(relapse), self.relapse(relapse, reading)))
        }
        for state in indication.diseaseStates {
            result.append(verdict("Disease: \(state.displayName)", diseaseState(state, reading)))
        }
        if let minimum = indication.minPriorLines {
            result.append(verdict("At least \(minimum) prior line\(minimum == 1 ? "" : "s") of systemic therapy", priorLines(minimum, reading)))
        }
        for classID in indication.requiredPriorTherapyClasses {
            let name = knowledge.drugClass(id: classID)?.name ?? classID
            result.append(verdict("Prior treatment with: \(name)", priorClass(classID, name, reading)))
        }
        for rule in indication.conditionalPriorTherapy {
            let marker = knowledge.biomarker(id: rule.ifBiomarker)?.name ?? rule.ifBiomarker
            for classID in rule.classes {
                let name = knowledge.drugClass(id: classID)?.name ?? classID
                result.append(verdict("If \(marker): prior treatment with \(name)", conditional(rule, classID, marker, name, reading)))
            }
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
            result.append(verdict(text, self.transplant(transplant, reading)))
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
        if let product = knowledge.products.first(where: { $0.indications.contains { $0.id == indication.id } }) {
            if let finding = retreatment(product, indication, reading) {
                result.append(verdict("No earlier CAR-T or other cell therapy\(product.target.map { " (this product targets \($0))" } ?? "")", finding))
            }
            if let target = product.target, let finding = targetExpression(target, product, reading) {
                result.append(verdict("The cancer expresses \(target), the product's target", finding))
            }
        }
        for text in indication.additionalCriteria {
            if LabelIndication.isCaveat(text) {
                result.append(verdict(text, .unknown("OncoNav's record of this label leaves this out; the label itself decides", [])))
            } else {
                result.append(verdict(text, .unknown("a label condition to check with the treating team", [Needs.check(text)])))
            }
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
        // An excluded subtype anywhere in the records decides, even when a broader name is also written.
        if let excluded = indication.excludedCancers.first(where: { ex in reading.cancerIDs.contains { knowledge.isA($0, ex) } }) {
            return Finding(truth: false, reason: "the label excludes \(knowledge.cancer(id: excluded)?.name ?? excluded); the records show \(names)", evidence: evidence)
        }
        // A specific subtype the label does not list is not covered by a broader name also written
        // ("large B-cell lymphoma" and "primary mediastinal" → primary mediastinal).
        let specific = reading.cancerIDs.filter { id in !reading.cancerIDs.contains { $0 != id && knowledge.isA($0, id) } }
        if let id = specific.first(where: { knowledge.indication(indication, covers: $0) }) {
            return Finding(truth: true, reason: "the label covers \(covered); the records show \(knowledge.cancer(id: id)?.name ?? id)", evidence: evidence)
        }
        if specific.contains(where: { id in indication.cancers.contains { knowledge.isA($0, id) } }) {
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
        guard reading.hasLineInformation else {
            return .unknown("the label requires at least \(minimum) prior line\(minimum == 1 ? "" : "s"); no lines of therapy in the records", [Needs.priorLines])
        }
        let count = reading.priorLineCount
        return Finding(truth: count >= minimum, reason: "the label requires at least \(minimum) prior line\(minimum == 1 ? "" : "s"); the records show \(count)",
                       evidence: reading.allLineEvidence)
    }

    /// Structured lines first, then the drugs named in a numbered prior-treatment list. Only a
    /// list given as the treatment history lets an absent class count as not received.
    func priorClass(_ classID: String, _ name: String, _ reading: CaseReading) -> Finding {
        let evidence = (reading.receivedClassIDs[classID] ?? []) + (reading.stated.receivedIDs[classID] ?? [])
        if !evidence.isEmpty {
            return Finding(truth: true, reason: "the label requires prior \(name); the records show it", evidence: evidence)
        }
        if reading.stated.hasTreatmentList {
            return Finding(truth: false, reason: "the label requires prior \(name); none of the \(reading.stated.listedLines.count) prior treatments listed in the records is one",
                           evidence: reading.stated.listedLines.map(\.evidence))
        }
        return .unknown("the label requires prior \(name); not mentioned in the records", [Needs.treatmentHistory])
    }

    func refractory(to id: String, _ name: String, _ reading: CaseReading) -> Finding {
        let lines = reading.profile.treatmentLines.filter { $0.isActive && !$0.isNegated && CaseReading.drugAndClassIDs($0.value, knowledge).contains(id) }
        let evidence = lines.map { reading.summary($0, .treatmentLine) }
        if let stated = reading.stated.refractoryToIDs[id], !stated.isEmpty {
            return Finding(truth: true, reason: "the label requires disease refractory to \(name); the records say so", evidence: stated)
        }
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
        if wantsFirst, rule.kind == .refractoryOrRelapseWithin, let said = reading.stated.primaryRefractory, said.value {
            return Finding(truth: true, reason: "the label accepts disease refractory to \(rule.after); the records say it was", evidence: [said.evidence])
        }
        if wantsFirst, let said = reading.stated.monthsFirstLineToRelapse {
            let within = said.value <= months
            return Finding(truth: rule.kind == .refractoryOrRelapseWithin ? within : !within,
                           reason: "the label measures \(months) months from \(rule.after); the records state the relapse came \(said.value) months after first-line therapy",
                           evidence: [said.evidence])
        }
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
            let wantsNegative = requirement.status.lowercased().contains("negative")
            if let said = reading.stated.marker(names: [name, requirement.biomarker, entry?.gene].compactMap { $0 } + (entry?.synonyms ?? []), presenceIsPositive: entry?.alterationTypes.contains("histology") == true) {
                return Finding(truth: said.value != wantsNegative, reason: "the label requires \(name) \(requirement.status); the records state \(said.value ? "positive" : "negative")",
                               evidence: [said.evidence])
            }
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
        if typed.isEmpty, let said = reading.stated.hlaTyping() {
            let wanted = alleles.map { Self.alleleGroup($0) }
            let match = said.alleles.contains { allele in wanted.contains { allele.hasPrefix($0) } }
            // Typed at low resolution ("A*02") the allele may still be one of those named.
            let partial = said.alleles.contains { allele in wanted.contains { $0.hasPrefix(allele) } }
            let typedA = said.alleles.contains { $0.hasPrefix("A*") }
            return Finding(truth: match ? true : (typedA && !partial ? false : nil),
                           reason: "the label requires HLA type \(alleles.joined(separator: " or ")); the records state \(said.alleles.map { "HLA-" + $0 }.joined(separator: ", "))",
                           evidence: [said.evidence])
        }
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

    /// "HLA-A*02:01P" → "A*02:01" (the P group is matched by its first allele's fields).
    static func alleleGroup(_ allele: String) -> String {
        var key = allele.uppercased().replacingOccurrences(of: "HLA-", with: "")
        if key.hasSuffix("P") || key.hasSuffix("G") { key.removeLast() }
        return key
    }

    static func relapseText(_ rule: RelapseRequirement) -> String {
        var routes: [String] = []
        if rule.routes.contains(.refractory) { routes.append("refractory") }
        if let n = rule.minRelapses { routes.append("in \(Self.ordinal(n)) or later relapse") }
        if rule.routes.contains(.relapseAfterTransplant) { routes.append("relapsed after a stem cell transplant") }
        return "Disease " + routes.joined(separator: ", or ")
    }

    static func ordinal(_ n: Int) -> String {
        ["zeroth", "first", "second", "third", "fourth", "fifth"].indices.contains(n) ? ["zeroth", "first", "second", "third", "fourth", "fifth"][n] : "\(n)th"
    }

    /// "Refractory or in second or later relapse": any route that the records show suffices;
    /// a stated relapse ordinal below the minimum, with no other route shown, does not.
    func relapse(_ rule: RelapseRequirement, _ reading: CaseReading) -> Finding {
        let stated = reading.stated
        let wanted = Self.relapseText(rule).lowercased()
        var parts: [Finding] = []
        if rule.routes.contains(.refractory) {
            let refractory = reading.diseaseState().refractory == true || stated.refractory?.value == true
            if refractory {
                return Finding(truth: true, reason: "the label accepts \(wanted); the records show refractory disease",
                               evidence: stated.refractory.map { [$0.evidence] } ?? reading.diseaseState().evidence)
            }
        }
        if rule.routes.contains(.relapseAfterTransplant), let said = stated.relapseAfterTransplant, said.value {
            return Finding(truth: true, reason: "the label accepts \(wanted); the records show a relapse after a stem cell transplant", evidence: [said.evidence])
        }
        if let minimum = rule.minRelapses {
            if let count = stated.relapseCount {
                if count.value >= minimum {
                    return Finding(truth: true, reason: "the label accepts \(wanted); the records state the \(Self.ordinal(count.value)) relapse", evidence: [count.evidence])
                }
                var reason = "the label requires \(wanted); the records state the \(Self.ordinal(count.value)) relapse"
                // Refractory disease or a post-transplant relapse would still qualify: say when the records are silent on them.
                let open = (rule.routes.contains(.refractory) && stated.refractory == nil && reading.diseaseState().refractory == nil)
                if open { reason += " and do not say the disease is refractory" }
                parts.append(Finding(truth: false, reason: reason, evidence: [count.evidence]))
            } else {
                parts.append(.unknown("the label requires \(wanted); the records do not say how many times the disease relapsed", [Needs.diseaseStatus]))
            }
        }
        return parts.first ?? .unknown("the label requires \(wanted); the records do not show it", [Needs.diseaseStatus])
    }

    func diseaseState(_ state: RequiredDiseaseState, _ reading: CaseReading) -> Finding {
        let wanted = state.displayName
        if let said = reading.stated.diseaseStates[state] {
            return Finding(truth: said.value, reason: "the label requires disease that is \(wanted); the records \(said.value ? "say so" : "say it is not")", evidence: [said.evidence])
        }
        // A stage fact: stage IV is metastatic (and so unresectable-or-metastatic, advanced).
        if [.metastatic, .unresectableOrMetastatic, .advanced].contains(state),
           let stage = PatientProfile.preferred(reading.profile.stages.filter { $0.isActive && !$0.isNegated }),
           stage.value.displayText.uppercased().contains("IV") {
            return Finding(truth: true, reason: "the label requires disease that is \(wanted); the records give stage \(stage.value.displayText)", evidence: [reading.summary(stage, .stage)])
        }
        return .unknown("the label requires disease that is \(wanted); the records do not say", [Needs.stage])
    }

    /// "If BRAF V600 mutation positive, a BRAF inhibitor": not applicable without the marker.
    func conditional(_ rule: ConditionalPriorTherapy, _ classID: String, _ marker: String, _ name: String, _ reading: CaseReading) -> Finding {
        let requirement = OncoKnowledge.BiomarkerRequirement(biomarker: rule.ifBiomarker, status: "positive")
        let status = biomarker(requirement, marker, reading)
        switch status.truth {
        case false?:
            return Finding(truth: true, reason: "the requirement applies only with \(marker); the records show it absent", evidence: status.evidence)
        case nil:
            let prior = priorClass(classID, name, reading)
            if prior.truth == true { return prior }
            return .unknown("with \(marker) the label requires prior \(name); the records do not show the \(marker) status", [Needs.biomarker(knowledge.biomarker(id: rule.ifBiomarker)?.gene ?? marker)], evidence: status.evidence)
        case true?:
            let prior = priorClass(classID, name, reading)
            return Finding(truth: prior.truth, reason: "with \(marker) (shown in the records) " + prior.reason, evidence: status.evidence + prior.evidence, needs: prior.needs)
        }
    }

    func transplant(_ requirement: TransplantRequirement, _ reading: CaseReading) -> Finding {
        let wanted = requirement == .ineligible ? "who cannot have" : "who can have"
        if let said = reading.stated.transplantIneligible {
            let truth = requirement == .ineligible ? said.value : !said.value
            return Finding(truth: truth, reason: "the label concerns people \(wanted) a stem cell transplant; the records say the person \(said.value ? "is not eligible" : "is a candidate")",
                           evidence: [said.evidence])
        }
        return .unknown("the label concerns people \(wanted) a stem cell transplant; the records do not say", [Needs.transplantEligibility])
    }

    /// Re-treatment is never a plain fit: after an earlier CAR-T (or other cell therapy) the
    /// label either excludes it (not met) or is silent (unknown: the treating centre decides).
    /// Returns nil when the records show no earlier cell therapy, or the product is not one.
    func retreatment(_ product: Product, _ indication: LabelIndication, _ reading: CaseReading) -> Finding? {
        guard product.modality.isCellTherapy else { return nil }
        var facts = reading.profile.priorCellTherapies.filter { $0.isActive && !$0.isNegated }
        // A fact read from the very words that say "Prior CAR-T: none" is that statement misread.
        if let said = reading.stated.priorCellTherapy, !said.value {
            facts.removeAll { StatedFacts.overlaps($0.provenance, said.evidence.provenance) }
        }
        var targets = Set(facts.compactMap { $0.value.target?.uppercased() })
        var evidence = facts.map { reading.summary($0, .priorCellTherapy) }
        for fact in facts {
            if let named = fact.value.product, let found = named.conceptID.flatMap({ knowledge.product(id: $0) }) ?? knowledge.product(named: named.text), let t = found.target {
                targets.insert(t.uppercased())
            }
        }
        if let said = reading.stated.priorCellTherapy {
            if said.value {
                evidence.append(said.evidence)
                targets.formUnion(reading.stated.priorCellTherapyTargets)
            } else if facts.isEmpty {
                return Finding(truth: true, reason: "the records say no earlier CAR-T or other cell therapy", evidence: [said.evidence])
            }
        }
        guard !evidence.isEmpty else { return nil }
        let sameTarget = product.target.map { targets.contains($0.uppercased()) } ?? false
        let what = sameTarget ? "an earlier cell therapy against the same target (\(product.target ?? ""))" : "an earlier CAR-T or other cell therapy"
        if sameTarget, indication.excludesPriorSameTargetCellTherapy == true {
            return Finding(truth: false, reason: "the label excludes people who had a cell therapy against \(product.target ?? "the same target") before; the records show \(what)", evidence: evidence)
        }
        return .unknown("the records show \(what); the label does not cover re-treatment, so whether it fits is for the treating centre to judge",
                        [InformationNeed(key: "prior-cell-therapy", action: "Ask the treating centre whether treatment after the earlier cell therapy is possible (response, antigen status, time since)")],
                        evidence: evidence)
    }

    /// When the records show the cancer does not express the product's target (a CD19-negative relapse),
    /// the label fit is at best unclear. Nil when the records do not say the target is absent.
    func targetExpression(_ target: String, _ product: Product, _ reading: CaseReading) -> Finding? {
        guard product.modality.isCellTherapy else { return nil }
        let key = CriterionEvaluator.normalisedMarker(target)
        let negative = reading.profile.biomarkers.filter { $0.isActive && !$0.isNegated && CriterionEvaluator.normalisedMarker($0.value.marker) == key && $0.value.interpretation == .negative }
        var evidence = negative.map { reading.summary($0, .biomarker) }
        if evidence.isEmpty, let said = reading.stated.marker(names: [target], presenceIsPositive: false), !said.value { evidence = [said.evidence] }
        guard !evidence.isEmpty else { return nil }
        return .unknown("the records show \(target)-negative disease; the product acts through \(target), so the treating centre must judge whether it can work",
                        [Needs.biomarker(target)], evidence: evidence)
    }
}
