import Foundation

extension ProfileExtractor {
    static let ecog = Pattern(#"\b(?:ECOG|Zubrod|WHO(?= performance status| PS))(?:\s+(?:performance status|PS|score))*\s*(?:of|is|was|:|=|-)?\s*([0-4])(?:\s*(?:-|–|to)\s*([0-4]))?\b|\b(?:performance status|PS)\s*(?:\(ECOG\))?\s*(?:of|is|was|:|=)?\s*([0-4])\b(?!\s*%)"#)
    static let karnofsky = Pattern(#"\b(?:Karnofsky(?: performance status| performance score)?|KPS)\s*(?:of|is|was|:|=)?\s*(\d{2,3})\s*%?"#)
    static let lvef = Pattern(#"\b(?:LVEF|LV\s+ejection\s+fraction|left\s+ventricular\s+ejection\s+fraction|ejection\s+fraction|(?<![A-Za-z])EF(?![A-Za-z]))\s*(?:\([^)]{0,20}\))?\s*(?:of|is|was|:|=|estimated at|estimated|approximately|~)*\s*(\d{2})(?:\s*(?:-|–|to)\s*(\d{2}))?\s*%"#)

    /// Lab analytes: name pattern (long forms case-insensitive, abbreviations exact case),
    /// accepted units, and a plausible range that screens out misreads (dates, ids).
    struct Analyte {
        let name: String
        let pattern: Pattern
        let units: [String]
        let plausible: ClosedRange<Double>
    }

    /// Units as written, and as OCR misreads them ("pmol/L" for µmol/L, "x10°9/L", "g/dt"):
    /// `canonicalUnit` maps them back.
    static let unitPattern = #"((?i:mmol/L|[µμupy\\]{0,2}mol/L|mg/d[lt1I|]|g/d[lt1I|]|g/L|I?U/L|(?:x|×)\s?1[lI|1]?0\s?[\^°*7E“”"'%]{0,2}\s?9\s?/\s?L|(?:x|×)\s?10⁹/L|10\^9/L|(?:x|×)\s?10\^?3/(?:[µu]L|mm3)|cells/[µu]L|K/[µu][lL]|\.?/[µu][lL]|/mm3|mL/min(?:/1\.73\s?m2)?)|UL(?![A-Za-z])|%)"#

    /// The conventional spelling of a unit matched by `unitPattern`.
    static func canonicalUnit(_ raw: String) -> String {
        let key = raw.lowercased().replacingOccurrences(of: " ", with: "")
        if key.range(of: #"^[x×]?1[li|1]?0[\^°*7e“”"'%]{0,2}9/l$|^[x×]10⁹/l$"#, options: .regularExpression) != nil { return "x10^9/L" }
        if key.range(of: #"^[µμupy\\]{0,2}mol/l$"#, options: .regularExpression) != nil { return "µmol/L" }
        if key.range(of: #"^mg/d[lt1i|]$"#, options: .regularExpression) != nil { return "mg/dL" }
        if key.range(of: #"^g/d[lt1i|]$"#, options: .regularExpression) != nil { return "g/dL" }
        if key.range(of: #"^k/[µu]l$"#, options: .regularExpression) != nil { return "K/µL" }
        if key.range(of: #"^\.?/[µu]l$"#, options: .regularExpression) != nil { return "/µL" }
        if key.range(of: #"^cells/[µu]l$"#, options: .regularExpression) != nil { return "cells/µL" }
        switch key {
        case "u/l", "ul": return "U/L"
        case "iu/l": return "IU/L"
        case "g/l": return "g/L"
        case "mmol/l": return "mmol/L"
        default: return raw
        }
    }

    static let analytes: [Analyte] = [
        ("creatinine", #"(?i:serum creatinine|creatinine)|\b(?:Cr|Creat)\b"#, ["mg/dl", "µmol/l", "μmol/l", "umol/l"], 0.1...1500),
        ("creatinine clearance", #"(?i:creatinine clearance)|\bCrCl\b"#, ["ml/min", "ml/min/1.73 m2", "ml/min/1.73m2"], 1...250),
        ("eGFR", #"\beGFR\b"#, ["ml/min", "ml/min/1.73 m2", "ml/min/1.73m2"], 1...250),
        ("bilirubin", #"(?i:total bilirubin|bilirubin)|\b(?:T\.? ?[Bb]il[il]|TBili|Bili)\b"#, ["mg/dl", "µmol/l", "μmol/l", "umol/l"], 0.05...1000),
        ("AST", #"(?i:aspartate aminotransferase)|\b(?:AST|SGOT)\b"#, ["u/l", "iu/l"], 1...10000),
        ("ALT", #"(?i:alanine aminotransferase)|\b(?:ALT|SGPT)\b"#, ["u/l", "iu/l"], 1...10000),
        ("ANC", #"(?i:absolute neutrophil count|neutrophils)|\b(?:ANC|Neuts?|NEUT)\b"#, ["x10^9/l", "×10^9/l", "10^9/l", "x109/l", "/µl", "/ul", "/mm3", "cells/µl", "cells/ul", "k/µl", "k/ul", "x10^3/µl", "x10^3/ul", "x10⁹/l", "×10⁹/l"], 0...100000),
        ("ALC", #"(?i:absolute lymphocyte count)|\bALC\b"#, ["x10^9/l", "×10^9/l", "10^9/l", "/µl", "/ul", "/mm3", "cells/µl", "cells/ul", "k/µl", "k/ul", "x10⁹/l"], 0...100000),
        ("platelets", #"(?i:platelet count|platelets)|\b(?:PLT|Plt|plt)\b"#, ["x10^9/l", "×10^9/l", "10^9/l", "/µl", "/ul", "/mm3", "k/µl", "k/ul", "x10^3/µl", "x10^3/ul", "x10⁹/l", "×10⁹/l"], 1...2000000),
        ("hemoglobin", #"(?i:hemoglobin|haemoglobin)|\b(?:Hb|Hgb|HGB)\b"#, ["g/dl", "g/l", "mmol/l"], 2...250),
        ("WBC", #"(?i:white blood cells?|white cell count|leukocytes)|\bWBC\b"#, ["x10^9/l", "×10^9/l", "10^9/l", "/µl", "/ul", "/mm3", "k/µl", "k/ul", "x10^3/µl", "x10^3/ul", "x10⁹/l"], 0...500000),
        ("LDH", #"(?i:lactate dehydrogenase)|\b(?:LDH|LD)\b"#, ["u/l", "iu/l"], 10...20000),
        ("albumin", #"(?i:albumin)\b"#, ["g/dl", "g/l"], 0.5...80),
    ].map { name, pattern, units, range in
        Analyte(name: name,
                pattern: Pattern(#"(?<![A-Za-z])(?:"# + pattern + #")(?![A-Za-z])\s*(?:\([A-Za-z][A-Za-z .-]{0,24}\))?\s*(?:level|count|value)?\s*(?:of|is|was|:|=|-)?\s*(?:H|L|high|low)?[\s_.©®|—–•'‘’“”]*(\d{1,3}(?:,\d{3})+(?!\d)|\d{1,7}(?:[.,:]\d{1,3})?)(?:\s*(?:H|L)(?![a-z/])|\s*\*)?(?:[\s©®_|—–•'‘’“”]|\.(?=\s))*"# + unitPattern + "?", caseInsensitive: false),
                units: units, plausible: range)
    }

    func extractPerformanceStatus(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seen: Set<String> = []
        for match in Self.ecog.matches(in: text) {
            guard let first = (match.group(1, in: text) ?? match.group(3, in: text)).flatMap(Int.init) else { continue }
            let upper = match.group(2, in: text).flatMap(Int.init)
            let assertion = document.assess(match.range)
            // "ECOG 0-1": a range; record the worse score and flag it uncertain.
            var adjusted = assertion
            if let upper, upper != first { adjusted.isUncertain = true }
            let date = document.closeDate(to: match.range) ?? document.documentDate
            let status = PerformanceStatus(scale: .ecog, score: max(first, upper ?? first), date: date)
            guard seen.insert(status.displayText).inserted else { continue }
            facts.append(.performanceStatus(document.fact(status, span: match.range, confidence: 0.85, assertion: adjusted)))
        }
        for match in Self.karnofsky.matches(in: text) {
            guard let score = match.group(1, in: text).flatMap(Int.init), (0...100).contains(score), score % 10 == 0 else { continue }
            let date = document.closeDate(to: match.range) ?? document.documentDate
            let status = PerformanceStatus(scale: .karnofsky, score: score, date: date)
            guard seen.insert(status.displayText).inserted else { continue }
            facts.append(.performanceStatus(document.fact(status, span: match.range, confidence: 0.85, assertion: document.assess(match.range))))
        }
        return facts
    }

    func extractLabs(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var covered: [Range<String.Index>] = []
        for analyte in Self.analytes {
            for match in analyte.pattern.matches(in: text) where !covered.contains(where: { $0.overlaps(match.range) }) {
                // "17,580" is seventeen thousand (grouping); "1,1" a decimal comma.
                guard let raw = match.group(1, in: text),
                      case let numberText = raw.range(of: #"^\d{1,3}(,\d{3})+$"#, options: .regularExpression) != nil
                        ? raw.replacingOccurrences(of: ",", with: "") : raw.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: ":", with: "."),
                      let value = Double(numberText), analyte.plausible.contains(value) else { continue }
                let unit = match.group(2, in: text).map(Self.canonicalUnit)
                let normalisedUnit = unit?.lowercased().replacingOccurrences(of: " ", with: "")
                if let normalisedUnit, !analyte.units.contains(where: { $0.replacingOccurrences(of: " ", with: "") == normalisedUnit }) {
                    continue  // "ANC 45%" is a differential, not an absolute count
                }
                let date = document.dates(near: match.range).first?.date ?? document.documentDate
                let lab = LabResult(name: analyte.name, value: value, unit: unit, date: date)
                covered.append(match.range)
                facts.append(.lab(document.fact(lab, span: match.range, confidence: unit == nil ? 0.55 : 0.85, assertion: Assertion())))
            }
        }
        for match in Self.lvef.matches(in: text) {
            guard let low = match.group(1, in: text).flatMap(Double.init), (5...90).contains(low) else { continue }
            let high = match.group(2, in: text).flatMap(Double.init)
            var assertion = Assertion()
            // "LVEF 55-60%": keep the lower bound (the conservative reading) and flag the range.
            if let high, high != low { assertion.isUncertain = true }
            let date = document.closeDate(to: match.range) ?? document.documentDate
            facts.append(.lvef(document.fact(LabResult(name: "LVEF", value: low, unit: "%", date: date),
                                             span: match.range, confidence: 0.85, assertion: assertion)))
        }
        return facts
    }
}
