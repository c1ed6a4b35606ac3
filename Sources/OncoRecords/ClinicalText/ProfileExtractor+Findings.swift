import Foundation

extension ProfileExtractor {
    static let cns = Pattern(#"\b(CNS|central nervous system)[- ](involvement|disease|lymphoma|relapse|metastas[ie]s|infiltration|spread|positive|manifestation|lesions?)|\b(involvement of the (CNS|central nervous system)|(?:brain|cerebral|cerebellar) metastas[ie]s|brain mets|brain lesions?|metastatic disease (?:to|in) the brain|intracranial (metastas[ie]s|disease|involvement|lesions?)|leptomeningeal (disease|involvement|spread|carcinomatosis|lymphoma|enhancement)|parenchymal brain (lesions?|involvement)|CSF involvement|meningeal (involvement|disease))\b"#)
    /// CSF cytology: "CSF: no blasts", "CSF cytospin negative for malignant cells" (no CNS disease),
    /// "CSF positive for lymphoma cells" (CNS disease).
    static let csfCytology = Pattern(#"\b(?:CSF|cerebrospinal fluid)\b[^.;\n]{0,60}?\b(no (?:blasts|malignant cells|lymphoma cells|tumou?r cells|atypical cells)|negative for (?:blasts|malignant cells|lymphoma|malignancy|tumou?r cells)|(?:positive for|containing) (?:blasts|malignant cells|lymphoma cells|tumou?r cells))"#)
    static let infectionAgent = Pattern(#"\b(HBV core (?:Ab|antibody)|hepatitis B core (?:Ab|antibody)|(?:HIV|human immunodeficiency virus)(?:[- ]?(?:1\s?/\s?2|I\s?(?:&|and|/)\s?II|1\s?(?:&|and)\s?2|1|2)\b)?(?:\s?(?:antibody|antibodies|Ab|Ag/Ab|Ag/Ak|Ab/Ag|antigen/antibody|p24|serology|test|status|screen|RNA|viral load|PCR))*|HBsAg|hepatitis B(?: surface antigen| core antibody| virus)?(?: serology| DNA| PCR)?|[Aa]nti-HBc(?: total| IgG)?|HBcAb|HBV(?: DNA| serology| PCR| viral load)?|HCV(?: antibody| Ab| RNA| serology| PCR| viral load)?|hepatitis C(?: virus)?(?: antibody| RNA| serology)?|[Aa]nti-HCV)(?![\w-])"#, caseInsensitive: false)
    /// The result right after a test name: "HBsAg neg", "HIV I & II - Non-reactive", "Anti-HBc   negativ".
    static let infectionPositive = Pattern(#"^[\s:=(]*(?:[-–]\s)?(?:is |was |were |test(?:ed)? )?(positive|positiv|positief|pos\b|reactive|detected|detectable|nachweisbar|\+)"#)
    static let infectionNegative = Pattern(#"^[\s:=(]*(?:[-–]\s)?(?:is |was |were |test(?:ed)? |all )?(negative|negativ|negatief|neg\b|non-?\s?reactive|not detected|not detectable|undetectable|nicht nachweisbar|niet aantoonbaar|below (?:the )?(?:limit|LLOQ)|-(?!\w))"#, wrapping: true)
    /// The rest of a list of infection tests up to their shared result.
    static let infectionListResult = Pattern(#"^(?:\s*(?:,|/|and|&|or)?\s*(?:HIV(?:-1/2)?|HBV|HCV|hepatitis\s+[BC]|HBsAg|anti-HBc|HBcAb|anti-HCV|HTLV(?:-1/2)?|syphilis|serology|serologies|tests?|screen(?:ing)?|antibod(?:y|ies)|virus|viral|markers?|PCR))+\s*(?:were|was|is|are|all|:)?\s*(?:all\s+)?(negative|neg|non-?\s?reactive|not detected|positive|reactive)\b"#)
    static let pregnancy = Pattern(#"\b(pregnan(?:t|cy)(?: test)?|β-?hCG|beta-?hCG|b-?hCG|urine hCG|serum hCG|gravid)\b"#)
    /// A pregnancy that is current: "is pregnant", "pregnant at 12 weeks", "currently pregnant".
    static let currentPregnancy = Pattern(#"\b(?:is|currently|now|she's)\s+(?:\d+\s+weeks\s+)?pregnant\b|\bpregnant\s*(?:\(|,|at|with)?\s*\d+\s*(?:weeks|wks)|\bgravid\b|\bpositive (?:urine |serum )?(?:pregnancy test|β-?hCG|beta-?hCG)"#)
    static let negativePregnancyTest = Pattern(#"\bnegative (?:urine |serum )?(?:pregnancy test|β-?hCG|beta-?hCG|hCG)\b"#)
    static let pregnancyResult = Pattern(#"^[\s:=(]*(?:is |was )?(negative|positive)"#)
    static let notPregnant = Pattern(#"\b(not|non-?)[- ]?pregnant\b|\bpostmenopausal\b"#)

    func extractFindings(_ document: ClinicalDocument) -> [ProfileFact] {
        extractCNS(document) + extractInfections(document) + extractPregnancy(document)
    }

    /// CNS status in acute lymphoblastic leukaemia: CNS1 none, CNS2/CNS3 involvement.
    static let cnsGrade = Pattern(#"\bCNS[- ]?([123])\b"#, caseInsensitive: false)

    /// CNS involvement, present or (negated) absent; one fact per distinct assertion.
    private func extractCNS(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seen: Set<String> = []
        for match in Self.cnsGrade.matches(in: text) {
            let absent = match.group(1, in: text) == "1"
            guard seen.insert("\(absent)|false").inserted else { continue }
            facts.append(.cnsInvolvement(document.fact(ClinicalFinding(text: String(text[match.range])), span: match.range,
                                                       confidence: 0.8, assertion: Assertion(isNegated: absent))))
        }
        for match in Self.csfCytology.matches(in: text) {
            let absent = (match.group(1, in: text) ?? "").lowercased().hasPrefix("no") || (match.group(1, in: text) ?? "").lowercased().hasPrefix("negative")
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            guard seen.insert("\(absent)|false").inserted else { continue }
            facts.append(.cnsInvolvement(document.fact(ClinicalFinding(text: "CSF: " + (match.group(1, in: text) ?? ""),
                                                                       date: document.dates(near: match.range).first?.date),
                                                       span: match.range, confidence: 0.75, assertion: Assertion(isNegated: absent))))
        }
        for match in Self.cns.matches(in: text) {
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            guard seen.insert("\(assertion.isNegated)|\(assertion.isUncertain)").inserted else { continue }
            let finding = ClinicalFinding(text: String(text[match.range]), date: document.dates(near: match.range).first?.date)
            facts.append(.cnsInvolvement(document.fact(finding, span: match.range, confidence: 0.8, assertion: assertion)))
        }
        return facts
    }

    private func extractInfections(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seen: Set<String> = []
        let agents = Self.infectionAgent.matches(in: text)
        for match in agents {
            let name = String(text[match.range])
            let lower = name.lowercased()
            let agent: InfectionStatus.Agent = lower.contains("hiv") || lower.contains("immunodeficiency") ? .hiv
                : (lower.contains("hb") || lower.contains("hepatitis b")) ? .hbv : .hcv
            let sentence = document.sentence(containing: match.range)
            let after = match.range.upperBound..<sentence.upperBound
            let assertion = document.assess(match.range)
            let result: InfectionStatus.Result
            var evidenceEnd = match.range.upperBound
            if let positive = Self.infectionPositive.firstMatch(in: text, range: after) {
                result = .positive
                evidenceEnd = positive.range.upperBound
            } else if let negative = Self.infectionNegative.firstMatch(in: text, range: after) {
                result = .negative
                evidenceEnd = negative.range.upperBound
            } else if let shared = Self.infectionListResult.firstMatch(in: text, range: after), let word = shared.group(1, in: text) {
                // "HIV, hepatitis B and hepatitis C serology negative": the list shares its result.
                result = ["negative", "neg", "non-reactive", "nonreactive", "non reactive", "not detected"].contains(word.lowercased()) ? .negative : .positive
                evidenceEnd = shared.range.upperBound
            } else if let shared = Self.sharedResult(after: match, agents: agents, sentence: sentence, in: text) {
                // "HBsAg, anti-HBc, HCV Ab and HIV 1/2 Ag/Ab: all negative": the list's result, past the other tests.
                result = shared.result
                evidenceEnd = shared.end
            } else if assertion.isNegated, let trigger = assertion.triggerRange, trigger.upperBound <= match.range.lowerBound {
                result = .negative  // "negative for HIV, HBV and HCV"; a "negative" after the name may be the next test's
            } else {
                continue  // a mention without a result ("HIV test pending")
            }
            let test = ["HIV", "HBV", "HCV"].contains(name) ? nil : name
            let status = InfectionStatus(agent: agent, result: result, test: test, date: document.dates(near: match.range).first?.date)
            guard seen.insert(status.displayText).inserted else { continue }
            facts.append(.infection(document.fact(status, span: match.range.lowerBound..<evidenceEnd, confidence: 0.8,
                                                  assertion: Assertion(isUncertain: assertion.isUncertain, triggerRange: assertion.triggerRange),
                                                  applyNegation: false)))
        }
        return facts
    }

    /// The result a list of infection tests shares: after `match`, only other tests of the list and
    /// separators ("," "/" "and" "&" "serology" "screen" "all" ":") stand before the result word.
    static func sharedResult(after match: Pattern.Match, agents: [Pattern.Match], sentence: Range<String.Index>,
                             in text: String) -> (result: InfectionStatus.Result, end: String.Index)? {
        var position = match.range.upperBound
        for next in agents where next.range.lowerBound >= position && sentence.contains(next.range.lowerBound) {
            guard listGap.firstMatch(in: text, range: position..<next.range.lowerBound) != nil else { break }
            position = next.range.upperBound
        }
        let rest = position..<sentence.upperBound
        guard let gap = listTail.firstMatch(in: text, range: rest) else { return nil }
        if let negative = infectionNegative.firstMatch(in: text, range: gap.range.upperBound..<sentence.upperBound) {
            return (.negative, negative.range.upperBound)
        }
        if let positive = infectionPositive.firstMatch(in: text, range: gap.range.upperBound..<sentence.upperBound) {
            return (.positive, positive.range.upperBound)
        }
        return nil
    }
    static let listGap = Pattern(#"^\s*(?:,|/|;|and|&|or|\+)?\s*(?:,|/|and|&|or)?\s*$"#)
    static let listTail = Pattern(#"^\s*(?:\((?:[^()]{0,30})\)\s*)?(?:serolog(?:y|ies)|screen(?:ing)?|tests?|PCR|antibod(?:y|ies)|antigens?|markers?|results?)?\s*(?:were|was|is|are)?\s*(?:all|both)?\s*[:=-]?\s*"#)

    /// "pregnancy test negative", "not pregnant" → pregnancy negated; "is pregnant" → present.
    private func extractPregnancy(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        for match in Self.notPregnant.matches(in: text) {
            return [.pregnancy(document.fact(ClinicalFinding(text: "pregnancy", date: document.dates(near: match.range).first?.date),
                                             span: match.range, confidence: 0.8,
                                             assertion: Assertion(isNegated: true)))]
        }
        for match in Self.negativePregnancyTest.matches(in: text) {
            return [.pregnancy(document.fact(ClinicalFinding(text: "pregnancy", date: document.dates(near: match.range).first?.date),
                                             span: match.range, confidence: 0.8, assertion: Assertion(isNegated: true)))]
        }
        for match in Self.currentPregnancy.matches(in: text) {
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            return [.pregnancy(document.fact(ClinicalFinding(text: "pregnancy", date: document.dates(near: match.range).first?.date),
                                             span: match.range, confidence: 0.75, assertion: assertion))]
        }
        // A test with its result: "pregnancy test negative", "β-hCG positive". A bare mention
        // ("ectopic pregnancy at age 26", "pregnancy test ordered") says nothing about now.
        for match in Self.pregnancy.matches(in: text) {
            let lower = text[match.range].lowercased()
            guard lower.contains("test") || lower.contains("hcg") else { continue }
            let sentence = document.sentence(containing: match.range)
            guard let result = Self.pregnancyResult.firstMatch(in: text, range: match.range.upperBound..<sentence.upperBound) else { continue }
            let assertion = Assertion(isNegated: text[result.range].lowercased().contains("negative"))
            return [.pregnancy(document.fact(ClinicalFinding(text: "pregnancy", date: document.dates(near: match.range).first?.date),
                                             span: match.range.lowerBound..<result.range.upperBound, confidence: 0.8, assertion: assertion))]
        }
        return []
    }
}
