import Foundation

extension ConstraintExtractor {
    static let alterationRegex = try! NSRegularExpression(pattern:
        #"exon\s*\d+\s*(?:deletion|insertion|skipping|del|ins|mutation)s?|\b[ACDEFGHIKLMNPQRSTVWY]\d{2,4}[ACDEFGHIKLMNPQRSTVWY]\b|\*\d{2}:\d{2}|\*\d{4}\b|\bdel\(?\d+[pq]?\)?|t\(\d+;\d+\)"#,
        options: [])

    static let drugTargetAfter = TextPattern(#"^[- ]?(?:directed|targeted|targeting|car\b|car-|specific|bispecific|inhibitor|tki|antibod|adc\b)"#)
    static let positiveAfter = TextPattern(#"^\s*(?:\+|-?positiv|\s*expression|\s*expressing|\s*high)|^\s*\(\+\)"#)
    static let positiveBefore = TextPattern(#"(?:positive\s+for|expressing|expression\s+of|positivity)\s*$"#)
    static let negativeAfter = TextPattern(#"^[- ]?(?:negativ|\s*-(?!\w))|^\s*\(-\)"#)
    static let negativeBefore = TextPattern(#"negative\s+for\s*$"#)
    static let wildTypeWords = TextPattern(#"wild[- ]?type|\bwt\b"#)
    static let fusionWords = TextPattern(#"fusion|rearrange|translocation|\bfused\b"#)
    static let mutationWords = TextPattern(#"mutat|mutant|variant|alteration|exon|deletion|insertion|\b[a-z]\d{2,4}[a-z]\b|sensitizing|activating"#)
    static let positiveWords = TextPattern(#"positiv|expression|express|\+"#)

    func biomarkers(_ c: Clause) -> [CriterionConstraint] {
        var result: [CriterionConstraint] = []
        let matches = lexicon.matches(in: c.words, kinds: [.biomarker])
        var seen = Set<String>()
        for match in matches {
            let marker = match.entry.conceptID.hasPrefix("biomarker:") ? String(match.entry.conceptID.dropFirst(10)) : match.entry.conceptID
            guard !seen.contains(marker) else { continue }
            let start = c.original.distance(from: c.original.startIndex, to: match.range.lowerBound)
            let original = c.original
            let before = String(original[original.index(match.range.lowerBound, offsetBy: -min(30, start))..<match.range.lowerBound]).lowercased()
            let afterEnd = original.index(match.range.upperBound, offsetBy: min(60, original.distance(from: match.range.upperBound, to: original.endIndex)))
            let after = String(original[match.range.upperBound..<afterEnd]).lowercased()
            // A drug target ("anti-CD20", "BCMA-directed", "CD19 CAR-T") is prior therapy, not a tumour marker.
            if before.hasSuffix("anti-") || before.hasSuffix("anti ") || Self.drugTargetAfter.occurs(in: after) {
                continue
            }
            let window = before + " | " + after
            var result_: BiomarkerRequirement.Result?
            if Self.positiveAfter.occurs(in: after)
                || Self.positiveBefore.occurs(in: before) {
                result_ = .positive
            }
            if result_ == nil, Self.negativeAfter.occurs(in: after)
                || Self.negativeBefore.occurs(in: before) {
                result_ = .negative
            }
            if result_ == nil {
                if Self.wildTypeWords.occurs(in: window) { result_ = .wildType }
                else if window.contains("amplif") { result_ = .amplified }
                else if Self.fusionWords.occurs(in: window) { result_ = .fusion }
                else if Self.mutationWords.occurs(in: window) { result_ = .mutated }
                else if Self.positiveWords.occurs(in: window) { result_ = .positive }
                else if window.contains("negativ") { result_ = .negative }
                else if marker.hasPrefix("HLA") { result_ = .present }
            }
            guard let result__ = result_ else { continue }
            // Alterations named near the marker.
            let utf16Start = NSRange(match.range, in: original).location
            let utf16End = utf16Start + NSRange(match.range, in: original).length
            let windowRange = NSRange(location: max(0, utf16Start - 5), length: min(original.utf16.count, utf16End + 80) - max(0, utf16Start - 5))
            var alterations: [String] = []
            if marker.hasPrefix("HLA") {
                alterations.append(String(c.original[match.range]).replacingOccurrences(of: "HLA-A", with: "", options: .caseInsensitive))
            }
            let originalNS = c.original as NSString
            if windowRange.location + windowRange.length <= originalNS.length {
                for m in Self.alterationRegex.matches(in: c.original, range: windowRange) {
                    let text = originalNS.substring(with: m.range)
                    if !alterations.contains(text), !marker.hasPrefix("HLA") || text.hasPrefix("*") { alterations.append(text) }
                }
            }
            if marker.hasPrefix("HLA") { alterations = alterations.filter { $0.hasPrefix("*") } }
            var threshold: Bounds?
            if let q = c.quantities.first(where: { $0.range.location > utf16Start && $0.range.location - utf16End < 40 && ($0.unit == "%" || $0.unit == nil) && $0.timeUnit == nil }) {
                let t = Self.bounds([q])
                if !t.isEmpty { threshold = t }
            }
            seen.insert(marker)
            result.append(.biomarker(BiomarkerRequirement(marker: marker, alterations: alterations, result: result__, threshold: threshold)))
        }
        return result
    }

    static let romanValues: [String: Int] = ["0": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4]
    static let stageRegex = TextPattern(
        #"\bstages?\s+((?:0|iv|i{1,3}|[1-4])[a-d]?\d?(?:\s*(?:-|–|to|or|/|,|and|through)\s*(?:stage\s+)?(?:0|iv|i{1,3}|[1-4])[a-d]?\d?)*)(?![a-z])"#,
        options: [.caseInsensitive])

    func stage(_ c: Clause) -> [CriterionConstraint] {
        guard let m = Self.stageRegex.firstMatch(in: c.lower, c.gate) else { return [] }
        let list = c.text(m.range(at: 1))
        let parts = list.components(separatedBy: CharacterSet(charactersIn: "-–/,")).flatMap { $0.components(separatedBy: " ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !["to", "or", "and", "through", "stage"].contains($0) }
        func roman(_ token: String) -> String {
            let digits = ["1": "I", "2": "II", "3": "III", "4": "IV"]
            var head = token.prefix { $0 == "i" || $0 == "v" || $0 == "0" || $0.isNumber }
            var tail = token.dropFirst(head.count)
            if head.count > 1, head.allSatisfy(\.isNumber) { tail = head.dropFirst() + tail; head = head.prefix(1) }
            let h = digits[String(head)] ?? head.uppercased()
            return h + tail.uppercased()
        }
        var stages = parts.map(roman)
        // "II-IV" → II, III, IV.
        let isRange = list.contains("-") || list.contains("–") || list.contains(" to ") || list.contains("through")
        if isRange, stages.count == 2, let a = Self.romanValues[String(stages[0].lowercased().prefix { "iv0".contains($0) })],
           let b = Self.romanValues[String(stages[1].lowercased().prefix { "iv0".contains($0) })], b > a + 1 {
            let names = ["0", "I", "II", "III", "IV"]
            stages = [stages[0]] + names[(a + 1)..<b] + [stages[1]]
        }
        return stages.isEmpty ? [] : [.stage(stages)]
    }

    func diseaseStatus(_ c: Clause) -> [CriterionConstraint] {
        var statuses: [DiseaseStatus] = []
        for (status, pattern) in Self.diseaseStatusRules where c.has(pattern) { statuses.append(status) }
        // "measurable" in organ-function or brain-metastasis criteria is not a disease-status rule.
        return statuses.isEmpty ? [] : [.diseaseStatus(statuses)]
    }

    static let diseaseStatusRules: [(DiseaseStatus, TextPattern)] = ([
            (.relapsed, #"\brelapsed?\b|\brecurrent\b|\brecurrence\b|\br/r\b|\brr\b"#),
            (.refractory, #"refractory|\br/r\b"#),
            (.measurableDisease, #"measurable\s+(?:disease|lesion|tumou?r)|measurable\s+(?:\w+\s+){0,2}(?:per|by|according)|\brecist\b|lugano"#),
            (.evaluableDisease, #"evaluable\s+disease"#),
            (.newlyDiagnosed, #"newly\s+diagnosed|previously\s+untreated|treatment[- ]na[iï]ve|untreated\s+(?:\w+\s+){0,2}(?:cancer|lymphoma|leuk|myeloma|disease)"#),
            (.metastatic, #"\bmetastatic\b|stage\s+iv\b"#),
            (.locallyAdvanced, #"locally\s+advanced"#),
            (.unresectable, #"unresectable|inoperable|not\s+(?:amenable|eligible|suitable)\s+(?:to|for)\s+(?:curative\s+)?(?:surgery|resection|surgical)"#),
            (.progressive, #"progressive\s+disease|disease\s+progression|progressed"#),
            (.remission, #"complete\s+(?:remission|response)"#),
            (.minimalResidualDisease, #"minimal\s+residual\s+disease|\bmrd\b"#),
    ] as [(DiseaseStatus, String)]).map { ($0.0, TextPattern($0.1)) }

    func diagnosis(_ c: Clause) -> [CriterionConstraint] {
        let matches = lexicon.matches(in: c.words, kinds: [.cancer])
        guard !matches.isEmpty else { return [] }
        // "another malignancy", "other than B-ALL", "second primary cancer" speak of other cancers.
        if c.has(#"(?:other|another|second|secondary|prior|previous|additional|concurrent|history\s+of)\s+(?:\w+\s+){0,3}(?:malignan|cancer|tumou?r|neoplas)|other\s+than|second\s+primary"#) {
            return [.diagnosis(conceptIDs: [ConceptLexicon.otherMalignancy])]
        }
        var ids: [String] = []
        for match in matches where !ids.contains(match.entry.conceptID) { ids.append(match.entry.conceptID) }
        if ids.count > 1 { ids.removeAll { $0 == "cancer" } }
        // "Tumor must be at least 2 cm" is not a diagnosis rule: the generic concept needs diagnosis words.
        if ids == ["cancer"], !c.has(#"diagnos|histolog|cytolog|confirmed|documented|proven|patients?\s+with|must\s+have"#) { return [] }
        return [.diagnosis(conceptIDs: ids)]
    }
}
