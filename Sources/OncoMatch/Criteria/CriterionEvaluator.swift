import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials

/// Judges trial criteria (`OncoTrials.Criterion`, from `EligibilityParser`) against a
/// profile. A criterion's constraints describe a *condition*; an inclusion criterion
/// requires it, an exclusion (or negated inclusion) criterion forbids it
/// (`Criterion.conditionExcludes`), so the verdict is the condition's truth, flipped for
/// exclusions. Unknown stays unknown through the flip. Constraints of one kind are
/// alternatives ("HIV, hepatitis B or C"); different kinds must all hold.
public struct CriterionEvaluator: Sendable {
    public let knowledge: KnowledgeBase
    /// The lexicon the criteria were parsed with: maps its concept ids to cancer names.
    public let lexicon: ConceptLexicon

    /// The lexicon's cancer concepts resolved to knowledge-base ids once (name lookup can be fuzzy and slow).
    let cancerConcepts: [String: [String]]
    /// For lexicon concepts whose terms name different knowledge-base cancers ("b-cell lymphoma",
    /// "large b-cell lymphoma" → one concept), each term with its cancer, longest first.
    let ambiguousConcepts: [String: [(term: String, id: String)]]
    /// Cohort cancers per section-heading text, filled as headings are met (few distinct texts).
    let headingCancers = HeadingCache()
    /// Cancer abbreviations of the knowledge base ("HNSCC", "DLBCL") → id, for cohort headings.
    let cancerAbbreviations: [String: String]
    /// Drug names for reading document text (see `StatedFacts`).
    let terms: DrugTerms

    public init(knowledge: KnowledgeBase, lexicon: ConceptLexicon = .oncologyDefault) {
        self.knowledge = knowledge
        self.lexicon = lexicon
        terms = DrugTerms(knowledge)
        var resolved: [String: [String]] = [:]
        for entry in lexicon.entries where entry.kind == .cancer && resolved[entry.conceptID] == nil {
            resolved[entry.conceptID] = Self.resolve(entry.conceptID, knowledge: knowledge, lexicon: lexicon)
        }
        cancerConcepts = resolved
        var ambiguous: [String: [(term: String, id: String)]] = [:]
        for (concept, _) in resolved {
            let terms = lexicon.terms(ofConcept: concept).compactMap { term in knowledge.cancer(named: term).map { (term: term.lowercased(), id: $0.id) } }
            if Set(terms.map(\.id)).count > 1 { ambiguous[concept] = terms.sorted { $0.term.count > $1.term.count } }
        }
        ambiguousConcepts = ambiguous
        var abbreviations: [String: String] = [:]
        for cancer in knowledge.cancers {
            for term in cancer.synonyms where term.count >= 2 && term.count <= 8 && term == term.uppercased() && term.contains(where: \.isLetter) {
                abbreviations[term.filter { $0.isLetter || $0.isNumber }] = abbreviations[term] ?? cancer.id
            }
        }
        cancerAbbreviations = abbreviations
    }

    /// The cancers a criterion's words name for an ambiguous concept: each term found in the
    /// text, unless every occurrence is inside a longer term found ("b-cell lymphoma" inside
    /// "large b-cell lymphoma"). Nil when the concept is not ambiguous or no term is found.
    func cancerIDs(forConcept concept: String, in text: String) -> [String]? {
        guard let terms = ambiguousConcepts[concept] else { return nil }
        let lower = text.lowercased()
        func count(_ term: String) -> Int { lower.components(separatedBy: term).count - 1 }
        var found: [(term: String, id: String, count: Int)] = []
        for (term, id) in terms {
            let occurrences = count(term) - found.filter { $0.term.contains(term) }.reduce(0) { $0 + $1.count }
            if occurrences > 0 { found.append((term, id, occurrences)) }
        }
        let ids = Array(Set(found.map(\.id)))
        return ids.isEmpty ? nil : ids.sorted()
    }

    /// One criterion against a profile, with `today` for ages and time windows.
    public func evaluate(_ criterion: Criterion, profile: PatientProfile, today: Day) -> CriterionVerdict {
        evaluate(criterion, CaseReading(profile: profile, knowledge: knowledge, today: today))
    }

    /// Every criterion of one trial against a profile (the profile is read once). Criteria
    /// listed under a cohort's own heading ("Additional Inclusion Criteria for HNSCC
    /// Participants") apply only to people with that cohort's cancer.
    public func evaluate(_ criteria: [Criterion], profile: PatientProfile, today: Day, texts: [CaseDocumentText] = []) -> [CriterionVerdict] {
        evaluate(criteria, CaseReading(profile: profile, knowledge: knowledge, today: today, texts: texts, terms: terms))
    }

    func evaluate(_ criteria: [Criterion], _ reading: CaseReading) -> [CriterionVerdict] {
        let cohorts = cohortContext(criteria)
        return zip(criteria, cohorts).map { evaluate($0.0, reading, cohort: .some($0.1)) }
    }

    /// `cohort`: `.some` when the trial's list was read for cohort sections (nil inside: none);
    /// `nil` to look at this criterion's own heading only.
    func evaluate(_ criterion: Criterion, _ reading: CaseReading, cohort: [String]?? = nil) -> CriterionVerdict {
        let origin: CriterionOrigin = criterion.kind == .inclusion ? .inclusion : .exclusion
        func verdict(_ v: Verdict, _ reason: String, _ evidence: [FactSummary] = [], _ needs: [InformationNeed] = []) -> CriterionVerdict {
            CriterionVerdict(text: criterion.text, origin: origin, verdict: v, reason: reason, evidence: evidence, needs: needs)
        }
        let understood = criterion.constraints.filter {
            if case .needsReview = $0 { return false }
            if case .cns(.treatedStableAllowed) = $0 { return false }
            return true
        }
        if understood.isEmpty {
            if criterion.constraints.contains(.cns(.treatedStableAllowed)) {
                return verdict(.notApplicable, "states what is allowed (treated, stable brain metastases)")
            }
            if origin == .exclusion, let silent = silence(criterion.text, reading), silent {
                return verdict(.notMentioned, Self.notMentionedReason, [], [Needs.confirm(criterion.text)])
            }
            return verdict(.unknown, Self.reviewReason, [], [Needs.trialTeam])
        }
        // Pregnancy rules concern only people who could become pregnant.
        if understood.allSatisfy({ if case .pregnancy = $0 { true } else { false } }),
           reading.sex?.value == .male {
            return verdict(.notApplicable, "concerns pregnancy; the records give the sex as male",
                           reading.profile.sexes.filter(\.isActive).map { reading.summary($0, .sex) })
        }
        // Basket trials: a criterion for one cohort ("Additional Inclusion Criteria for HNSCC
        // Participants") does not apply to a person with another cancer.
        if !reading.cancerIDs.isEmpty, let cohort = cohort ?? cohortCancers(criterion),
           !reading.cancerIDs.contains(where: { id in cohort.contains { knowledge.isA(id, $0) || knowledge.isA($0, id) } }) {
            let names = cohort.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: " or ")
            return verdict(.notApplicable, "applies to the \(names) cohort; the records show \(reading.cancerIDs.compactMap { knowledge.cancer(id: $0)?.name }.joined(separator: ", "))",
                           reading.cancerEvidence)
        }
        // A sex-specific rule among other requirements ("Female patients must use contraception")
        // concerns only that sex.
        if understood.count > 1 || hasUnreadPart(criterion, understood: understood), let recorded = reading.sex?.value,
           let wanted = understood.lazy.compactMap({ if case .sex(let sex) = $0 { sex } else { nil } }).first,
           recorded == .female || recorded == .male, recorded.rawValue != wanted.rawValue {
            return verdict(.notApplicable, "concerns \(wanted.rawValue) participants; the records say \(recorded.rawValue)",
                           reading.profile.sexes.filter(\.isActive).map { reading.summary($0, .sex) })
        }
        // Washout periods are stated as requirements already ("at least 4 weeks since …"), whatever the section.
        let washouts = understood.filter { if case .washout = $0 { true } else { false } }
        let conditions = understood.filter { if case .washout = $0 { false } else { true } }
        var parts: [Finding] = []
        if !conditions.isEmpty {
            var conditionParts = groups(conditions, excludes: criterion.conditionExcludes).map { group in
                Finding.any(group.map { finding($0, reading, text: criterion.text) })
            }
            // What was not understood is one more requirement of unknown truth: it can still
            // make the criterion fail or not apply, never make it met.
            let unread = hasUnreadPart(criterion, understood: understood)
            if unread {
                conditionParts.append(.unknown("the rest \(Self.reviewReason)", [Needs.trialTeam]))
            }
            var condition = Finding.all(conditionParts)
            // Only an age or sex limit read out of a longer sentence: it may belong to one
            // alternative of several ("adults with X, and/or children aged 1-18 with Y"), so it
            // cannot decide the criterion on its own.
            if unread, condition.truth == false, Self.isDemographicOnly(conditions) {
                condition = .unknown(condition.reason + "; read from a longer criterion the matcher did not fully understand", [Needs.trialTeam], evidence: condition.evidence)
            }
            if criterion.conditionExcludes, let truth = condition.truth { condition.truth = !truth }
            parts.append(condition)
        }
        parts += washouts.map { finding($0, reading) }
        let combined = Finding.all(parts)
        let v: Verdict = combined.truth.map { $0 ? .met : .notMet } ?? .unknown
        // An exclusion nothing in the records touches: no fact was used and no word of it appears.
        if v == .unknown, origin == .exclusion, combined.evidence.isEmpty, silence(criterion.text, reading) ?? true {
            return verdict(.notMentioned, Self.notMentionedReason, [], [Needs.confirm(criterion.text)])
        }
        return verdict(v, combined.reason, unique(combined.evidence), combined.needs)
    }

    static let notMentionedReason = "no sign of it in the records — confirm"

    /// Whether the documents' text is silent on a criterion: none of its content words (by
    /// their first five letters, so "diabetic" finds "diabetes") occurs in any document. Nil
    /// when there is no text to look in.
    func silence(_ criterionText: String, _ reading: CaseReading) -> Bool? {
        let documents = reading.stated.documents
        guard !documents.isEmpty else { return nil }
        let stems = Self.contentStems(criterionText)
        guard !stems.isEmpty else { return nil }
        var recordStems: Set<Substring> = []
        for document in documents {
            for word in document.text.lowercased().split(whereSeparator: { !$0.isLetter }) where word.count >= 3 {
                recordStems.insert(word.prefix(5))
            }
        }
        return stems.isDisjoint(with: recordStems)
    }

    /// Content words of a criterion (five-letter stems), without the words every criterion uses.
    static func contentStems(_ text: String) -> Set<Substring> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter }).filter { $0.count >= 3 && !criterionStopwords.contains(String($0)) }.map { $0.prefix(5) })
            .subtracting(criterionStopStems)
    }

    static let criterionStopwords: Set<String> = [
        "with", "without", "have", "having", "been", "from", "that", "this", "than", "will", "must", "more", "less", "other",
        "such", "also", "into", "only", "when", "were", "within", "prior", "known", "history", "patient", "patients", "subject",
        "subjects", "participant", "participants", "study", "trial", "investigator", "including", "include", "includes",
        "current", "currently", "previous", "previously", "active", "clinically", "significant", "severe", "disease", "diseases",
        "condition", "conditions", "treatment", "therapy", "months", "weeks", "days", "years", "year", "month", "week", "hours",
        "time", "unless", "except", "should", "would", "could", "allowed", "excluded", "exclusion", "criteria", "defined",
        "greater", "lower", "higher", "least", "during", "after", "before", "which", "their", "there", "these", "those", "being",
        "every", "normal", "evidence", "presence", "diagnosis", "diagnosed", "enrollment", "enrolment", "screening", "visit",
        "opinion", "judgment", "judgement", "interfere", "medical", "any", "following", "requiring", "require", "required",
        "receive", "received", "receiving", "uncontrolled", "ongoing", "documented", "confirmed", "chronic", "acute", "serious",
        "illness", "illnesses", "make", "able", "unable", "likely", "risk", "results", "result", "safety", "participation",
        "protocol", "compliance", "comply", "informed", "consent", "and", "the", "for", "not", "are", "has", "had", "was", "who",
        "may", "all", "per", "use", "one", "two", "its", "can", "due", "non", "new", "yes", "but", "nor", "out", "off", "own",
        "via", "etc", "then", "them", "they", "each", "both",
        "past", "high", "count", "test", "tests", "physical", "physically", "found", "provide", "provided", "multiple", "control", "controlled", "level", "levels", "score", "recent", "recently", "planned", "area", "upper", "cause", "caused", "identifiable", "presenting", "present", "show", "shows", "women", "woman", "men", "male", "female", "old", "age", "aged", "older", "younger", "minimum", "maximum", "type", "types", "group", "stage", "grade", "mild", "moderate", "positive", "negative",
    ]
    /// Stems of the words above that five letters do not tell apart.
    static let criterionStopStems: Set<Substring> = Set(criterionStopwords.filter { $0.count >= 5 }.map { Substring($0.prefix(5)) })

    /// "one of the following", "and/or", "either … or": a criterion made of alternatives.
    static func hasAlternatives(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.contains("and/or") || lower.contains("one of the following") || lower.contains("any of the following") || lower.contains("either ")
    }

    static func isDemographicOnly(_ constraints: [CriterionConstraint]) -> Bool {
        constraints.allSatisfy { constraint in
            switch constraint {
            case .age, .sex: true
            default: false
            }
        }
    }

    /// Whether part of the text was not understood: a `.needsReview` constraint, or a long
    /// criterion of which only age or sex was read ("18 years or older with a symptomatic
    /// chronic subdural hematoma", "female patients have adequate birth-control method").
    func hasUnreadPart(_ criterion: Criterion, understood: [CriterionConstraint]) -> Bool {
        if criterion.constraints.contains(where: { if case .needsReview = $0 { true } else { false } }) { return true }
        let demographicOnly = understood.allSatisfy { constraint in
            switch constraint {
            case .age, .sex: true
            default: false
            }
        }
        guard demographicOnly else { return false }
        var words = 1
        for byte in criterion.text.utf8 where byte == 0x20 || byte == 0x0A { words += 1 }
        return words > 8
    }

    /// Constraints grouped by kind; within a group any one suffices. Prior therapies in an
    /// inclusion criterion must all have been given ("prior anti-CD20 and anthracycline").
    func groups(_ constraints: [CriterionConstraint], excludes: Bool) -> [[CriterionConstraint]] {
        var order: [String] = []
        var byKind: [String: [CriterionConstraint]] = [:]
        for (i, constraint) in constraints.enumerated() {
            var key = Self.kindKey(constraint)
            if !excludes, case .priorTherapy = constraint { key += "#\(i)" }
            if byKind[key] == nil { order.append(key) }
            byKind[key, default: []].append(constraint)
        }
        return order.map { byKind[$0]! }
    }

    static func kindKey(_ constraint: CriterionConstraint) -> String {
        switch constraint {
        case .age: "age"
        case .sex: "sex"
        case .diagnosis: "diagnosis"
        case .diseaseStatus: "status"
        case .stage: "stage"
        case .biomarker: "biomarker"
        case .priorTherapy: "therapy"
        case .performanceStatus: "performance"
        case .cns: "cns"
        case .organFunction(let lab): "lab-\(lab.analyte.rawValue)-\(lab.bounds.lower != nil)"
        case .infection: "infection"
        case .pregnancy: "pregnancy"
        case .lifeExpectancy: "life"
        case .washout: "washout"
        case .needsReview: "review"
        }
    }

    func unique(_ facts: [FactSummary]) -> [FactSummary] {
        var seen: Set<UUID> = []
        return facts.filter { seen.insert($0.id).inserted }
    }

    /// The truth of one constraint's condition.
    func finding(_ constraint: CriterionConstraint, _ reading: CaseReading, text: String = "") -> Finding {
        switch constraint {
        case .age(let bounds):
            var found = age(bounds, reading)
            // In a criterion of alternatives ("one of the following", "and/or") an age limit may
            // belong to one alternative only: outside it decides nothing.
            if found.truth == false, Self.hasAlternatives(text) {
                found = .unknown(found.reason + "; the criterion lists alternatives, and the age limit may concern only one of them", [Needs.trialTeam], evidence: found.evidence)
            }
            return found
        case .sex(let sex): return self.sex(sex, reading)
        case .diagnosis(let ids): return diagnosis(ids, reading, text: text)
        case .diseaseStatus(let statuses): return Finding.any(statuses.map { diseaseStatus($0, reading) })
        case .stage(let stages): return stage(stages, reading)
        case .biomarker(let requirement): return biomarker(requirement, reading)
        case .priorTherapy(let requirement): return priorTherapy(requirement, reading)
        case .performanceStatus(let scale, let bounds): return performance(scale, bounds, reading)
        case .cns(let rule): return cns(rule, reading)
        case .organFunction(let threshold): return lab(threshold, reading)
        case .infection(let kind): return infection(kind, reading)
        case .pregnancy(let rule): return pregnancy(rule, reading)
        case .lifeExpectancy(let minimum):
            return .unknown("life expectancy of at least \(Bounds.number(minimum.value)) \(minimum.unit.rawValue) is not in the records", [Needs.lifeExpectancy])
        case .washout(let therapy, let minimum): return washout(therapy, minimum, reading)
        case .needsReview: return .unknown(Self.reviewReason, [Needs.trialTeam])
        }
    }

    func age(_ bounds: Bounds, _ reading: CaseReading) -> Finding {
        guard let age = reading.age else { return .unknown("age limit \(bounds.phrase(unit: "years")); no date of birth or age in the records", [Needs.birthDate]) }
        let shown = age.range.lowerBound == age.range.upperBound ? "\(age.range.lowerBound)" : "\(age.range.lowerBound)–\(age.range.upperBound)"
        let truth = bounds.contains(range: Double(age.range.lowerBound)...Double(age.range.upperBound))
        return Finding(truth: truth, reason: "age limit \(bounds.phrase(unit: "years")); the records give age \(shown) today",
                       evidence: age.evidence, needs: truth == nil ? [Needs.birthDate] : [])
    }

    func sex(_ sex: Sex, _ reading: CaseReading) -> Finding {
        guard let fact = reading.sex, fact.value == .female || fact.value == .male else {
            return .unknown("for \(sex.rawValue) participants; sex not in the records", [Needs.sex])
        }
        return Finding(truth: fact.value.rawValue == sex.rawValue, reason: "for \(sex.rawValue) participants; the records say \(fact.value.rawValue)",
                       evidence: [reading.summary(fact, .sex)])
    }

    func diseaseStatus(_ status: OncoTrials.DiseaseStatus, _ reading: CaseReading) -> Finding {
        let state = reading.diseaseState()
        switch status {
        case .relapsed:
            if state.relapsed == true { return Finding(truth: true, reason: "the records show a relapse", evidence: state.evidence) }
            return .unknown("relapsed disease is not stated in the records", [Needs.diseaseStatus], evidence: state.evidence)
        case .refractory:
            if state.refractory == true { return Finding(truth: true, reason: "the records show refractory disease", evidence: state.evidence) }
            return .unknown("refractory disease is not stated in the records", [Needs.diseaseStatus], evidence: state.evidence)
        case .newlyDiagnosed:
            if !reading.lines.isEmpty {
                return Finding(truth: false, reason: "for untreated disease; the records show \(reading.priorLineCount) prior line(s)", evidence: reading.lineEvidence)
            }
            return .unknown("for newly diagnosed disease; the treatment history is not in the records", [Needs.treatmentHistory])
        case .metastatic:
            if let stage = PatientProfile.preferred(reading.profile.stages) {
                let value = stage.value
                if value.m?.uppercased().hasPrefix("M1") == true || value.m?.uppercased().contains("M1") == true || value.group?.uppercased().hasPrefix("IV") == true {
                    return Finding(truth: true, reason: "the records show stage \(value.displayText)", evidence: [reading.summary(stage, .stage)])
                }
            }
            return .unknown("metastatic spread is not stated in the records", [Needs.stage])
        default:
            return .unknown("\(status.rawValue.replacingOccurrences(of: "-", with: " ")) is not stated in the records", [Needs.check("whether the disease is \(status.rawValue.replacingOccurrences(of: "-", with: " "))")])
        }
    }

    func stage(_ stages: [String], _ reading: CaseReading) -> Finding {
        guard let fact = PatientProfile.preferred(reading.profile.stages), let group = fact.value.group?.uppercased() else {
            return .unknown("for stage \(stages.joined(separator: " or ")); the stage is not in the records", [Needs.stage])
        }
        let evidence = [reading.summary(fact, .stage)]
        func roman(_ s: String) -> String { String(s.prefix { "IV".contains($0) }) }
        for wanted in stages.map({ $0.uppercased() }) {
            if group == wanted || (roman(group) == wanted) { return Finding(truth: true, reason: "for stage \(stages.joined(separator: " or ")); the records show stage \(group)", evidence: evidence) }
            if roman(wanted) == group && wanted != group { return .unknown("for stage \(wanted); the records show stage \(group) without the sub-stage", [Needs.stage], evidence: evidence) }
        }
        return Finding(truth: false, reason: "for stage \(stages.joined(separator: " or ")); the records show stage \(group)", evidence: evidence)
    }

    static func normalisedMarker(_ text: String) -> String {
        text.uppercased().filter { $0.isLetter || $0.isNumber }
    }

    func biomarker(_ requirement: OncoTrials.BiomarkerRequirement, _ reading: CaseReading) -> Finding {
        let marker = Self.normalisedMarker(requirement.marker)
        let results = reading.profile.biomarkers.filter { $0.isActive && !$0.isNegated && Self.normalisedMarker($0.value.marker) == marker }
        let wantsPositive: Bool = switch requirement.result {
        case .negative, .wildType: false
        default: true
        }
        let label = "\(requirement.marker)\(requirement.alterations.isEmpty ? "" : " " + requirement.alterations.joined(separator: "/")) \(requirement.result.rawValue)"
        guard let fact = PatientProfile.latest(results, date: \.date) else {
            return .unknown("\(label); no \(requirement.marker) result in the records", [Needs.biomarker(requirement.marker)])
        }
        let evidence = [reading.summary(fact, .biomarker)]
        let value = fact.value
        if let threshold = requirement.threshold, let percent = value.value.flatMap(Self.percentage) {
            return Finding(truth: threshold.contains(percent), reason: "\(label) \(threshold.phrase(unit: "%")); the records show \(value.displayText)", evidence: evidence)
        }
        let positive: Bool
        switch value.interpretation {
        case .positive: positive = true
        case .negative: positive = false
        case .indeterminate, .value:
            return .unknown("\(label); the records show \(value.displayText), which does not say", [Needs.biomarker(requirement.marker)], evidence: evidence)
        }
        if positive, wantsPositive, !requirement.alterations.isEmpty {
            guard let alteration = value.alteration?.lowercased() else {
                return .unknown("\(label); the records show \(value.displayText) without the specific alteration", [Needs.biomarker(requirement.marker)], evidence: evidence)
            }
            let matches = requirement.alterations.contains { alteration.contains($0.lowercased()) || $0.lowercased().contains(alteration) }
            return Finding(truth: matches, reason: "\(label); the records show \(value.displayText)", evidence: evidence)
        }
        return Finding(truth: positive == wantsPositive, reason: "\(label); the records show \(value.displayText)", evidence: evidence)
    }

    static func percentage(_ text: String) -> Double? {
        guard let range = text.range(of: #"\d+(\.\d+)?"#, options: .regularExpression) else { return nil }
        return Double(text[range])
    }
}
