import Foundation

extension ConstraintExtractor {
    static let priorContext = TextPattern(#"\bprior\b|\bprevious(?:ly)?\b|\breceived\b|treated\s+with|history\s+of|\bexposure\b|\bexposed\b|refractory\s+to|relapsed\s+(?:after|following)|\bafter\b|\bfollowing\b|\bfailed\b|\bfailure\b|progress(?:ed|ion)\s+(?:on|after|following)|\bsince\b|\bpost[- ]"#)

    static let numberWord = #"(\d+|@number|one|two|three|four|five|six)"#
    static let linesRegex = TextPattern(
        #"(at\s+least|≥|>=|minimum\s+of|more\s+than|>|no\s+more\s+than|not\s+more\s+than|≤|<=|up\s+to|at\s+most|maximum\s+of|fewer\s+than|less\s+than|<)?\s*"#
        + numberWord + #"\s*(\+|or\s+more|or\s+fewer|or\s+less)?\s*(?:(?:prior|previous|systemic|different|standard|lines?\s+of|therapeutic|treatment|anti-?(?:cancer|myeloma|lymphoma)|chemotherapy|or\s+more)\s+){0,3}(?:lines?|regimens?)\b"#,
        options: [.caseInsensitive])
    static let ordinalLineRegex = TextPattern(
        #"\b(second|third|fourth|fifth|2nd|3rd|4th|5th)[- ]line\b(\s+or\s+(?:later|greater|beyond|higher))?|\b(?:at\s+least|after)\s+(?:one|two|three|1|2|3)\s+(?:prior\s+)?(?:lines?|regimens?)"#,
        options: [.caseInsensitive])

    func priorTherapy(_ c: Clause) -> [CriterionConstraint] {
        var result: [CriterionConstraint] = []
        let full = NSRange(location: 0, length: c.ns.length)
        let timeQuantities = c.quantities.filter { $0.timeUnit != nil && $0.value != nil }
        let window = Self.bounds(timeQuantities)
        let windowUnit = timeQuantities.first?.timeUnit
        func therapy(_ subject: PriorTherapyRequirement.Subject) -> CriterionConstraint {
            .priorTherapy(PriorTherapyRequirement(subject: subject, window: window.isEmpty ? nil : window,
                                                  windowUnit: window.isEmpty ? nil : windowUnit))
        }
        // Number of prior lines.
        if let m = Self.linesRegex.firstMatch(in: c.lower, c.gate, range: full) {
            let comparator = m.range(at: 1).location == NSNotFound ? "" : c.text(m.range(at: 1))
            let trailing = m.range(at: 3).location == NSNotFound ? "" : c.text(m.range(at: 3))
            if let n = QuantityFinder.value(c.text(m.range(at: 2))) {
                var bounds = Bounds()
                switch true {
                case comparator.contains("least") || comparator.contains("≥") || comparator.contains(">=") || comparator.contains("minimum")
                    || trailing.contains("more") || trailing.contains("+"):
                    bounds.lower = NumericBound(n)
                case comparator.contains("more than") || comparator == ">":
                    bounds.lower = NumericBound(n, inclusive: false)
                case comparator.contains("fewer") || comparator.contains("less") || comparator == "<":
                    bounds.upper = NumericBound(n, inclusive: false)
                case !comparator.isEmpty || trailing.contains("fewer") || trailing.contains("less"):
                    bounds.upper = NumericBound(n)
                default:
                    bounds.lower = NumericBound(n)
                }
                // "failed 2 lines" with a range ("1-3 prior lines") is read by QuantityFinder.
                if let range = c.quantities.first(where: { NSIntersectionRange($0.range, m.range).length > 0 && $0.comparatorRange == nil }),
                   range.side == .lower, let upper = c.quantities.first(where: { $0.side == .upper && $0.comparatorRange == nil && $0.range.location > range.range.location && NSIntersectionRange($0.range, m.range).length > 0 }) {
                    bounds = Bounds(lower: range.value.map { NumericBound($0) }, upper: upper.value.map { NumericBound($0) })
                }
                result.append(.priorTherapy(PriorTherapyRequirement(subject: .lines(bounds))))
            }
        } else if let m = Self.ordinalLineRegex.firstMatch(in: c.lower, c.gate, range: full), m.range(at: 1).location != NSNotFound {
            let ordinal = c.text(m.range(at: 1))
            let line: Double = ordinal.hasPrefix("second") || ordinal.hasPrefix("2") ? 2 : ordinal.hasPrefix("third") || ordinal.hasPrefix("3") ? 3 : ordinal.hasPrefix("fourth") || ordinal.hasPrefix("4") ? 4 : 5
            // Being in the n-th line means at least n-1 prior lines.
            result.append(.priorTherapy(PriorTherapyRequirement(subject: .lines(Bounds(lower: NumericBound(line - 1))))))
        }
        let hasPrior = c.has(Self.priorContext) || c.heading.contains("prior") || c.heading.contains("therapy")
        // CAR-T, BCMA-directed, CD19-directed.
        if c.has(#"car[- ]?t\b|car\s+t[- ]cell|chimeric\s+antigen\s+receptor|\bcart\b|car-modified|genetically\s+modified\s+t[- ]cell"#), hasPrior || c.kind == .exclusion {
            result.append(therapy(.carT))
        }
        if c.has(#"bcma[- ]?(?:directed|targeted|targeting)|anti-?bcma|bcma\s+(?:car|bispecific|adc|antibody)"#) { result.append(therapy(.bcmaDirected)) }
        if c.has(#"cd19[- ]?(?:directed|targeted|targeting)|anti-?cd19"#) { result.append(therapy(.cd19Directed)) }
        // Transplant.
        let allo = c.has(#"allogeneic\s+(?:\w+\s+){0,3}(?:transplant|hsct|sct|hct|bmt)|allo-?(?:hsct|sct|hct|bmt|transplant)\b|allograft"#)
        let auto = c.has(#"autologous\s+(?:\w+\s+){0,3}(?:transplant|hsct|sct|hct|bmt|asct)|auto-?(?:hsct|sct|hct|bmt|transplant)\b|\basct\b"#)
        if allo { result.append(therapy(.allogeneicTransplant)) }
        if auto { result.append(therapy(.autologousTransplant)) }
        if !allo, !auto, c.has(#"stem\s+cell\s+transplant|\bhsct\b|\bhct\b|bone\s+marrow\s+transplant|\bbmt\b|\bsct\b"#), !c.has(#"organ\s+transplant"#) {
            result.append(therapy(.transplant))
        }
        // Named drugs and classes, when the criterion speaks of past treatment.
        if hasPrior {
            for match in lexicon.matches(in: c.words, kinds: [.drug, .drugClass]) {
                let subject: PriorTherapyRequirement.Subject = match.entry.kind == .drug
                    ? .drug(conceptID: match.entry.conceptID, name: match.entry.term)
                    : .drugClass(conceptID: match.entry.conceptID, name: match.entry.term)
                if match.entry.modality == .carT { continue }
                if match.entry.conceptID == "class:chemotherapy" { continue }
                let constraint = therapy(subject)
                if !result.contains(constraint) { result.append(constraint) }
            }
        }
        result += washout(c)
        return result
    }

    static let washoutTherapies: [(TextPattern, String)] = ([
        (#"chemotherap"#, "chemotherapy"), (#"radiotherap|radiation"#, "radiotherapy"), (#"immunotherap"#, "immunotherapy"),
        (#"major\s+surgery|surgery"#, "surgery"), (#"investigational"#, "investigational agent"),
        (#"monoclonal\s+antibod|antibod"#, "antibody therapy"), (#"steroid|prednis|dexamethasone"#, "corticosteroids"),
        (#"systemic\s+(?:anti-?cancer\s+)?therap|anti-?cancer|antineoplastic|anti-?tumou?r|cancer\s+therap|tumou?r\s+therap"#, "anticancer therapy"),
        (#"targeted\s+therap|small\s+molecule|tyrosine\s+kinase|\btki\b"#, "targeted therapy"),
        (#"biologic"#, "biologic therapy"), (#"hormonal|endocrine"#, "hormonal therapy"),
        (#"live\s+(?:attenuated\s+)?vaccin"#, "live vaccine"), (#"treatment|therapy"#, "treatment"),
    ] as [(String, String)]).map { (TextPattern($0.0), $0.1) }

    static let ageWords = TextPattern(#"\bage[ds]?\b|years?\s+old"#)

    /// "No chemotherapy within 4 weeks", "At least 14 days since prior radiotherapy".
    func washout(_ c: Clause) -> [CriterionConstraint] {
        let timeQuantities = c.quantities.filter { $0.timeUnit != nil && $0.value != nil }
        guard !timeQuantities.isEmpty,
              c.has(#"within|since|prior\s+to|before|preceding|of\s+(?:the\s+)?(?:first|start|enrol|initiation|day\s+1|registration|randomi)|elapsed|wash-?out|last\s+dose|washout"#),
              !c.has(#"life\s+expectancy|after\s+(?:the\s+)?(?:last|final)\s+dose\s+of\s+study|contracep"#) else { return [] }
        // The therapy must be named close to the time span ("… chemotherapy within 14 days").
        for q in timeQuantities {
            guard let value = q.value, let unit = q.timeUnit else { continue }
            let from = max(0, q.range.location - 90)
            let to = min(c.ns.length, q.range.location + q.range.length + 60)
            let near = c.ns.substring(with: NSRange(location: from, length: to - from))
            // `near` is a piece of the clause's text: a pattern whose literals the clause lacks cannot match it.
            if Self.ageWords.mayMatch(c.gate), Self.ageWords.occurs(in: near) { continue }
            for (pattern, name) in Self.washoutTherapies where pattern.mayMatch(c.gate) && pattern.occurs(in: near) {
                return [.washout(therapy: name, minimum: TimeSpan(value, unit))]
            }
        }
        return []
    }
}
