import Foundation

extension ConstraintExtractor {
    /// Analyte names, most specific first (creatinine clearance before creatinine).
    static let analytePatterns: [(LabThreshold.Analyte, String)] = [
        (.creatinineClearance, #"creatinine\*{0,2}\s+clearance|\bcr\s*cl\b|\bcrcl\b|\bclcr\b|\bccr\b"#),
        (.egfr, #"(?:estimated\s+)?glomerular\s+filtration\s+rate|\begfr\b(?=[^a-z]*(?:≥|>|<|≤|of|at least|greater|less|\d))|\bgfr\b"#),
        (.creatinine, #"creatinine"#),
        (.bilirubin, #"bilirubin"#),
        (.astAlt, #"\b(?:ast|sgot)\s*(?:\(\s*sgot\s*\)\s*)?(?:and|/|or|,)\s*(?:/\s*)?(?:alt|sgpt)\b|\btransaminases?\b|\baminotransferases?\b|\b(?:alt|sgpt)\s*(?:and|/|or)\s*(?:ast|sgot)\b"#),
        (.ast, #"\bast\b|\bsgot\b|aspartate\s+(?:amino)?transaminase|aspartate\s+aminotransferase"#),
        (.alt, #"\balt\b|\bsgpt\b|alanine\s+(?:amino)?transaminase|alanine\s+aminotransferase"#),
        (.anc, #"absolute\s+neutrophil\s+count|\banc\b|neutrophils?(?:\s+count)?|\bagc\b|granulocyte\s+count"#),
        (.platelets, #"platelets?(?:\s+count)?|\bplt\b|thrombocytes?"#),
        (.haemoglobin, #"h(?:a)?emoglobin|\bhg?b\b"#),
        (.lvef, #"left\s+ventricular\s+ejection\s+fraction|\blvef\b|ejection\s+fraction|\bef\b"#),
        (.oxygenSaturation, #"oxygen\s+saturation|\bspo2\b|\bsao2\b|\bo2\s+sat|pulse\s+oximetry|room\s+air\s+saturation"#),
        (.wbc, #"white\s+blood\s+cells?(?:\s+count)?|\bwbc\b|leukocytes?(?:\s+count)?"#),
        (.lymphocytes, #"absolute\s+lymphocyte\s+count|\balc\b"#),
        (.albumin, #"\balbumin\b"#),
        (.inr, #"\binr\b|international\s+normali[sz]ed\s+ratio"#),
        (.alkalinePhosphatase, #"alkaline\s+phosphatase|\balp\b"#),
    ]

    static let analyteRegexes: [(LabThreshold.Analyte, TextPattern)] = analytePatterns.map {
        ($0.0, TextPattern($0.1, options: [.caseInsensitive]))
    }

    func organFunction(_ c: Clause) -> [CriterionConstraint] {
        // Mentions of analytes, without overlaps.
        var mentions: [(LabThreshold.Analyte, NSRange)] = []
        for (analyte, regex) in Self.analyteRegexes {
            for m in regex.matches(in: c.lower, c.gate)
            where !mentions.contains(where: { NSIntersectionRange($0.1, m.range).length > 0 }) {
                mentions.append((analyte, m.range))
            }
        }
        guard !mentions.isEmpty else { return [] }
        mentions.sort { $0.1.location < $1.1.location }
        var result: [CriterionConstraint] = []
        var used = Set<Int>()
        for (i, mention) in mentions.enumerated() {
            let start = mention.1.location + mention.1.length
            let end = i + 1 < mentions.count ? mentions[i + 1].1.location : c.ns.length
            guard end > start else { continue }
            // The first bound after the analyte and before the next one.
            guard let (index, q) = c.quantities.enumerated().first(where: { idx, q in
                !used.contains(idx) && q.range.location >= start && q.range.location < end && q.value != nil
                    && (q.range.location - start) < 80 && q.timeUnit == nil
            }), let value = q.value else { continue }
            used.insert(index)
            let bound = NumericBound(value, inclusive: q.inclusive)
            let bounds = q.side == .lower ? Bounds(lower: bound) : Bounds(upper: bound)
            let unit = q.isTimesULN ? nil : q.unit.map(Self.tidyUnit)
            result.append(.organFunction(LabThreshold(analyte: mention.0, bounds: bounds, unit: unit, timesULN: q.isTimesULN)))
        }
        return result
    }

    /// "mg/dl" → "mg/dL", "x10^9/l" → "×10^9/L", "/mm^3" → "/mm³".
    static func tidyUnit(_ unit: String) -> String {
        var u = unit.replacingOccurrences(of: "/dl", with: "/dL").replacingOccurrences(of: "/l", with: "/L")
            .replacingOccurrences(of: "ml/", with: "mL/").replacingOccurrences(of: "/ul", with: "/µL")
            .replacingOccurrences(of: "/µl", with: "/µL").replacingOccurrences(of: "/μl", with: "/µL")
            .replacingOccurrences(of: "mm^3", with: "mm³").replacingOccurrences(of: "mm3", with: "mm³")
        if u.hasPrefix("x") || u.hasPrefix("*") { u = "×" + u.dropFirst() }
        return u
    }

    // MARK: Infections, pregnancy, CNS

    func infections(_ c: Clause) -> [CriterionConstraint] {
        var result: [CriterionConstraint] = []
        if c.has(#"\bhiv\b|human immunodeficiency virus|\baids\b"#) { result.append(.infection(.hiv)) }
        if c.has(#"hepatitis\s*b|\bhbv\b|hbsag|hepatitis\s+(?:\w+\s+)?b\s+(?:or|and|/)|hepatitis b/c|hbcab|hepatitis\s*\(\s*b"#) { result.append(.infection(.hbv)) }
        if c.has(#"hepatitis\s*c|\bhcv\b|(?:hepatitis\s+b|hbv)\s*(?:or|and|/|,)\s*c\b|hepatitis b\s*/\s*c"#) { result.append(.infection(.hcv)) }
        if c.has(#"tuberculosis|\btb\b"#) { result.append(.infection(.tuberculosis)) }
        if c.has(#"covid|sars-cov-2"#) { result.append(.infection(.covid19)) }
        if c.has(#"(?:active|uncontrolled|ongoing|serious|systemic|severe|uncontrollable)\s+(?:\w+\s+){0,3}infections?|\bsepsis\b|septicemia"#) {
            result.append(.infection(.activeInfection))
        }
        return result
    }

    func pregnancy(_ c: Clause) -> [CriterionConstraint] {
        var result: [CriterionConstraint] = []
        if c.has(#"negative\s+(?:\w+\s+){0,3}pregnancy\s+test|pregnancy\s+test\s+(?:\w+\s+){0,3}negative|negative\s+(?:serum|urine|blood)?\s*(?:β|beta)?-?hcg"#) {
            result.append(.pregnancy(.negativePregnancyTest))
        }
        if c.has(#"contracepti|birth control|barrier method|abstinen|sterili[sz]"#) {
            result.append(.pregnancy(.contraceptionRequired))
        }
        if c.has(#"\bpregnan(?:t|cy)\b(?!\s+test)|breast[- ]?feeding|\bnursing\b|lactating|positive\s+(?:\w+\s+)?hcg"#),
           !result.contains(.pregnancy(.negativePregnancyTest)) || c.has(#"\bpregnant\b|breast[- ]?feeding|nursing|lactating"#) {
            if !(result.contains(.pregnancy(.contraceptionRequired)) && !c.has(#"\bpregnant\b|breast[- ]?feeding|\bnursing\b|lactating"#)) {
                result.append(.pregnancy(.pregnantOrBreastfeeding))
            }
        }
        return result
    }

    func cns(_ c: Clause) -> [CriterionConstraint] {
        guard c.has(#"brain\s+metasta|cns\s+(?:metasta|involvement|disease|leuk|lymphoma|relapse)|cns-?[123]\b|central\s+nervous\s+system\s+(?:metasta|involvement|disease|leuk|lymphoma)|leptomeningeal|intracranial\s+(?:metasta|lesion|disease)|brain\s+lesion|cns\s+leuk|parenchymal\s+brain"#) else { return [] }
        if c.has(#"(?:treated|stable|asymptomatic|controlled)"#), c.has(#"(?:allowed|eligible|permitted|may\s+(?:be\s+)?(?:enrolled|included|participate)|are\s+acceptable|can\s+be\s+included)"#) {
            return [.cns(.treatedStableAllowed)]
        }
        if c.has(#"active|untreated|symptomatic|uncontrolled|progressive|unstable|clinically\s+evident|known"#) {
            return [.cns(.activeCNSDiseaseExcluded)]
        }
        return [.cns(.cnsInvolvement)]
    }
}
