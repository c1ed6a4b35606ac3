import Foundation

extension ProfileExtractor {
    static let ecog = Pattern(#"\b(?:ECOG|Zubrod|WHO(?= performance status| PS))(?:[- ]?equivalent)?(?:\s+(?:performance status|PS|score))*\s*(?:of|is|was|:|=|-)?\s*([0-4])(?:\s*(?:-|–|to)\s*([0-4]))?\b|\b(?:performance status|PS)\s*(?:\(ECOG\))?\s*(?:of|is|was|:|=)?\s*([0-4])\b(?!\s*%)"#)
    static let karnofsky = Pattern(#"\b(?:Karnofsky(?: performance status| performance score)?|KPS)\s*(?:of|is|was|:|=)?\s*(\d{2,3})\s*%?"#)
    static let lvef = Pattern(#"\b(?:LVEF|LV\s+ejection\s+fraction|left\s+ventricular\s+ejection\s+fraction|ejection\s+fraction|(?<![A-Za-z])EF(?![A-Za-z]))\s*(?:\([^)]{0,20}\))?\s*(?:of|is|was|:|=|estimated at|estimated|approximately|~)*\s*(\d{2})(?:\s*(?:-|–|to)\s*(\d{2}))?\s*%"#)

    /// A laboratory analyte of the vocabulary in `Resources/Labs/analytes.json`: its name, LOINC
    /// code, the names and abbreviations reports use, accepted units, and a plausible range that
    /// screens out misreads (dates, ids).
    struct Analyte: Sendable {
        let name: String
        let loinc: String?
        /// Matches the analyte's name (long forms case-insensitive, abbreviations exact case).
        let namePattern: String
        let pattern: Pattern
        /// Anchored at a table row's start ("S. Creatinine   0.52   0.48   mg/dl").
        let rowPattern: Pattern
        let units: [String]
        let plausible: ClosedRange<Double>
    }

    /// Units as written, and as OCR misreads them ("pmol/L" for µmol/L, "x10°9/L", "g/dt"):
    /// `canonicalUnit` maps them back to their UCUM-style spelling.
    static let unitPattern = #"((?i:mmol/L|[µμupy\\]{0,2}mol/L|nmol/L|mg/d[lt1I|]|gm/d[lt1I|]|g/d[lt1I|]|mg/L|g/L|[µμu]g/m?L|ng/mL|k?I?U/m?L|[mµμu]I?U/m?L|mEq/L|g/24\s?h|(?:x|×)\s?1[lI|1]?0\s?[\^°*7E“”"'%]{0,2}\s?9\s?/\s?L|(?:x|×)\s?10⁹/L|10\^9/L|(?:x|×)\s?10\^?3/(?:[µu]L|mm3)|cells/[µu]L|cells/cumm|lakhs?/cumm|lakhs?/[µu]L|/cumm|K/[µu][lL]|\.?/[µu][lL]|/nl|/mm3|mL/min(?:/1[.,]73\s?m(?:2|²))?)|UL(?![A-Za-z])|%|g%)"#

    /// The conventional spelling of a unit matched by `unitPattern`.
    static func canonicalUnit(_ raw: String) -> String {
        let key = raw.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "μ", with: "µ")
        if key.range(of: #"^[x×]?1[li|1]?0[\^°*7e“”"'%]{0,2}9/l$|^[x×]10⁹/l$"#, options: .regularExpression) != nil { return "x10^9/L" }
        if key.range(of: #"^[µupy\\]{1,2}mol/l$"#, options: .regularExpression) != nil || key == "mol/l" { return "µmol/L" }
        if key.range(of: #"^mg/d[lt1i|]$"#, options: .regularExpression) != nil { return "mg/dL" }
        if key.range(of: #"^g[m]?/d[lt1i|]$"#, options: .regularExpression) != nil || key == "g%" { return "g/dL" }
        if key.range(of: #"^k/[µu]l$"#, options: .regularExpression) != nil { return "K/µL" }
        if key.range(of: #"^\.?/[µu]l$"#, options: .regularExpression) != nil { return "/µL" }
        if key.range(of: #"^cells/[µu]l$"#, options: .regularExpression) != nil { return "cells/µL" }
        if key.range(of: #"^[µu]g/l$"#, options: .regularExpression) != nil { return "µg/L" }
        if key.range(of: #"^[µu]g/ml$"#, options: .regularExpression) != nil { return "µg/mL" }
        if key.hasPrefix("ml/min/1") { return "mL/min/1.73m2" }
        switch key {
        case "u/l", "ul": return "U/L"
        case "iu/l": return "IU/L"
        case "g/l": return "g/L"
        case "mg/l": return "mg/L"
        case "mmol/l": return "mmol/L"
        case "nmol/l": return "nmol/L"
        case "ng/ml": return "ng/mL"
        case "u/ml": return "U/mL"
        case "ku/l": return "kU/L"
        case "miu/l": return "mIU/L"
        case "uiu/ml", "µiu/ml": return "µIU/mL"
        case "meq/l": return "mEq/L"
        case "/nl": return "/nL"
        case "cells/cumm": return "cells/cumm"
        case "/cumm": return "/cumm"
        case "lakh/cumm", "lakhs/cumm": return "lakhs/cumm"
        case "lakh/µl", "lakhs/µl", "lakh/ul", "lakhs/ul": return "lakhs/µL"
        case "ml/min": return "mL/min"
        case "g/24h": return "g/24h"
        default: return raw
        }
    }

    /// The analyte vocabulary, longest names first so "corrected calcium" wins over "calcium".
    static let analytes: [Analyte] = {
        struct File: Decodable {
            struct Entry: Decodable {
                var name: String
                var loinc: String?
                var names: [String]
                var abbreviations: [String]
                var units: [String]
                var plausible: [Double]
            }
            var analytes: [Entry]
        }
        guard let url = Bundle.module.url(forResource: "Resources/Labs/analytes", withExtension: "json"),
              let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            fatalError("Resources/Labs/analytes.json is missing or invalid")
        }
        func flexible(_ name: String) -> String {
            NSRegularExpression.escapedPattern(for: name)
                .replacingOccurrences(of: " ", with: #"[\s-]*"#)
                .replacingOccurrences(of: "-", with: #"[\s-]*"#)
        }
        let value = #"(?:\s*\((?:[A-Za-z0-9][A-Za-z0-9 .,/+-]{0,30})\))?\s*(?:level|count|value|total)?\s*(?:of|is|was|:|=|-)?\s*(?:H|L|high|low)?[\s_.©®|—–•'‘’“”]*(\d{1,3}(?:,\d{3})+(?!\d)|\d{1,7}(?:[.,:]\d{1,4})?)(?:\s*(?:H|L|\+|-)(?![a-z/\d])|\s*\*)?(?:[\s©®_|—–•'‘’“”]|\.(?=\s))*"#
        return file.analytes.map { entry in
            let long = entry.names.sorted { $0.count > $1.count }.map(flexible).joined(separator: "|")
            let short = entry.abbreviations.sorted { $0.count > $1.count }.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
            let alternatives = [long.isEmpty ? nil : "(?i:" + long + ")", short.isEmpty ? nil : short].compactMap { $0 }.joined(separator: "|")
            let name = #"(?<![A-Za-z])(?:"# + alternatives + #")(?![A-Za-z\d])"#
            return Analyte(name: entry.name, loinc: entry.loinc, namePattern: name,
                           pattern: Pattern(name + value + unitPattern + "?", caseInsensitive: false),
                           rowPattern: Pattern(#"^[ \t]*(?:(?i:S\.|Serum|Plasma|Blood|B-|S-|P-)\s*)?"# + name, caseInsensitive: false),
                           units: entry.units.map { canonicalUnit($0).lowercased() },
                           plausible: (entry.plausible.first ?? 0)...(entry.plausible.last ?? .greatestFiniteMagnitude))
        }.sorted { lhs, rhs in
            let longest = { (name: String) in file.analytes.first { $0.name == name }?.names.map(\.count).max() ?? 0 }
            return longest(lhs.name) > longest(rhs.name)
        }
    }()

    static let otherSpecimen = Pattern(#"\b(CSF|cerebrospinal|liquor|urine|urinary|24[- ]?h(?:our)? urine|pleural|ascitic|ascites|peritoneal|pericardial|synovial|marrow aspirate|aspirate|drain)\b"#)

    /// Whether the text writes decimals with a comma ("10,4 g/dl", "0,025"): then "1,320" is 1.32.
    static func usesDecimalComma(_ text: String) -> Bool {
        decimalCommaNumber.matches(in: text).count > decimalPointNumber.matches(in: text).count
    }
    static let decimalCommaNumber = Pattern(#"(?<![\d,.])\d{1,3},\d{1,2}(?![\d,])"#)
    static let decimalPointNumber = Pattern(#"(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d.])"#)

    /// "17,580" is seventeen thousand (grouping) unless the text uses decimal commas; "1,1" a decimal comma.
    static func number(_ raw: String, decimalComma: Bool) -> Double? {
        let grouping = !decimalComma && raw.range(of: #"^[1-9]\d{0,2}(,\d{3})+$"#, options: .regularExpression) != nil
        let cleaned = grouping ? raw.replacingOccurrences(of: ",", with: "")
            : raw.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: ":", with: ".")
        return Double(cleaned)
    }

    func extractPerformanceStatus(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seen: Set<String> = []
        for match in Self.ecog.matches(in: text) {
            guard let first = (match.group(1, in: text) ?? match.group(3, in: text)).flatMap(Int.init) else { continue }
            let upper = match.group(2, in: text).flatMap(Int.init)
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            // "ECOG 0-1": a range; record the worse score and flag it uncertain.
            var adjusted = assertion
            if let upper, upper != first { adjusted.isUncertain = true }
            let stated = document.closeDate(to: match.range)
            if assertion.isHistorical, stated == nil { continue }  // "ECOG 1 previously": undated history
            let date = stated ?? document.itemDate(for: match.range) ?? document.headingDate(for: match.range) ?? document.documentDate
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
        var (facts, covered) = extractLabTables(document)
        let decimalComma = Self.usesDecimalComma(text)
        for analyte in Self.analytes {
            for match in analyte.pattern.matches(in: text) where !covered.contains(where: { $0.overlaps(match.range) }) {
                guard let raw = match.group(1, in: text), let value = Self.number(raw, decimalComma: decimalComma),
                      analyte.plausible.contains(value) else { continue }
                let unit = match.group(2, in: text).map(Self.canonicalUnit)
                if let unit, !analyte.units.contains(unit.lowercased()) {
                    continue  // "ANC 45%" is a differential, not an absolute count
                }
                let assertion = document.assess(match.range)
                if !assertion.isAboutThePatientsRecord { continue }
                // "CSF: TLC 2 cells/cumm", "urine protein": another specimen than blood.
                let lineStart = text[..<match.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
                if Self.otherSpecimen.firstMatch(in: text, range: lineStart..<match.range.lowerBound) != nil { continue }
                var date = document.closeDate(to: match.range) ?? document.dates(near: match.range).first?.date
                    ?? document.itemDate(for: match.range) ?? document.headingDate(for: match.range)
                if date == nil, assertion.isHistorical {
                    guard let diagnosed = document.diagnosisDate else { continue }  // "presenting TLC 62,400": at diagnosis
                    date = diagnosed
                }
                date = date ?? document.clinicalDate
                let lab = LabResult(name: analyte.name, loinc: analyte.loinc, value: value, unit: unit, date: date)
                covered.append(match.range)
                facts.append(.lab(document.fact(lab, span: match.range, confidence: unit == nil ? 0.55 : 0.85, assertion: Assertion())))
            }
        }
        for match in Self.lvef.matches(in: text) {
            guard let low = match.group(1, in: text).flatMap(Double.init), (5...90).contains(low) else { continue }
            let high = match.group(2, in: text).flatMap(Double.init)
            let context = document.assess(match.range)
            if !context.isAboutThePatientsRecord { continue }
            var assertion = Assertion()
            // "LVEF 55-60%": keep the lower bound (the conservative reading) and flag the range.
            if let high, high != low { assertion.isUncertain = true }
            let stated = document.closeDate(to: match.range)
            if context.isHistorical, stated == nil { continue }
            let date = stated ?? document.itemDate(for: match.range) ?? document.headingDate(for: match.range) ?? document.documentDate
            facts.append(.lvef(document.fact(LabResult(name: "LVEF", value: low, unit: "%", date: date),
                                             span: match.range, confidence: 0.85, assertion: assertion)))
        }
        return facts
    }
}
