import Foundation

// Lab scoring of the records scorer: analyte names through synonyms (German, Dutch and
// Indian report names included), values compared after unit conversion, dates per column.

extension RecordsScoring {
    static let labCanon: [(String, String)] = [
        ("crcl", "^(creatinine clearance|crcl)"), ("egfr", "^egfr"),
        ("creatinine", "^(serum )?creatinine|^cr$|^creat$|^kreatinine?$"),
        ("hemoglobin", "^(haemoglobin|hemoglobin|hb|hgb)$"),
        ("wbc", "^(white cell count|wbc|white blood cells?|leu[ck]ocytes|white blood cell count|total leu[ck]ocyte count|tlc|total wbc count|leukozyten|leukocyten|wcc)$"),
        ("anc", "^(absolute neutrophil count|anc|neutrophils?( absolute| abs)?|neutrophile( abs)?|neutrofielen)$"),
        ("alc", "^(absolute lymphocyte count|alc|lymphocytes?( absolute| abs)?|lymphozyten( abs)?|lymfocyten)$"),
        ("platelets", "^(platelets?|plt|platelet count|thrombozyten|trombocyten)$"), ("bilirubin", "^(total bilirubin|bilirubin( total)?|t bili|tbili)$"),
        ("alt", "^(alt|alat|alanine aminotransferase|sgpt|gpt|sgpt alt|gpt alt|alat alt)$"),
        ("ast", "^(ast|asat|aspartate aminotransferase|sgot|got|sgot ast|got ast)$"), ("bilirubin", "^bilirubin gesamt$"),
        ("alp", "^(alkaline phosphatase|alp)$"), ("albumin", "^albumin$"), ("ldh", "^(ldh|ld|lactate dehydrogenase)$"),
        ("crp", "^(crp|c reactive protein)$"), ("b2m", "^(beta 2 microglobulin|b2m|β2 microglobulin|beta 2 mikroglobulin|beta 2 microglob)$"),
        ("m-protein", "^m gradient"), ("kappa flc", "^freie kappa"), ("lambda flc", "^freie lambda"),
        ("flc ratio", "^quotient kappa lambda"), ("uric acid", "^harns(ae|ä)ure$"),
        ("igg", "^igg$"), ("iga", "^iga$"), ("igm", "^igm$"), ("uric acid", "^(uric acid|urate)$"),
        ("potassium", "^(potassium|k)$"), ("fibrinogen", "^fibrinogen$"), ("corrected calcium", "^corrected calcium|calcium albumin corrected"),
        ("calcium", "^(total calcium|calcium)$"), ("m-protein", "m protein|paraprotein"),
        ("kappa flc", "free kappa|kappa free|free light chain kappa"), ("lambda flc", "free lambda|lambda free|free light chain lambda"),
        ("flc ratio", "kappa lambda ratio"), ("bence jones", "bence jones"), ("marrow blasts", "marrow blasts"),
        ("blasts", "^(peripheral )?blasts|^peripheral (blood |smear )blasts"), ("cea", "^cea$"), ("tsh", "^tsh"),
    ]

    /// Unit -> factor to the family's base unit.
    static let unitFactors: [String: [String: Double]] = [
        "count": ["10^9/l": 1, "x10^9/l": 1, "k/ul": 1, "k/µl": 1, "x10^3/ul": 1, "x10^3/µl": 1, "/ul": 1e-3, "/µl": 1e-3,
                  "cells/ul": 1e-3, "cells/µl": 1e-3, "/mm3": 1e-3, "/nl": 1, "g/l": 1, "cells/cumm": 1e-3, "/cumm": 1e-3,
                  "cumm": 1e-3, "lakhs/cumm": 100, "lakh/cumm": 100, "lakhs/µl": 100, "lakhs/ul": 100, "lakh/µl": 100],
        "hb": ["g/dl": 1, "g/l": 0.1, "mmol/l": 1.611, "gm/dl": 1, "gm%": 1, "g%": 1], "creat": ["mg/dl": 1, "µmol/l": 1 / 88.42, "umol/l": 1 / 88.42],
        "bili": ["mg/dl": 1, "µmol/l": 1 / 17.1, "umol/l": 1 / 17.1], "alb": ["g/dl": 1, "g/l": 0.1],
        "ca": ["mg/dl": 1, "mmol/l": 4.008], "mprot": ["g/dl": 1, "g/l": 0.1], "ig": ["g/l": 1, "mg/dl": 0.01],
        "flc": ["mg/l": 1, "mg/dl": 10], "enzyme": ["u/l": 1, "iu/l": 1],
        "gfr": ["ml/min/1.73m2": 1, "ml/min": 1], "cea": ["ng/ml": 1, "ug/l": 1, "µg/l": 1], "pct": ["%": 1],
        "mgl": ["mg/l": 1], "mgdl": ["mg/dl": 1], "mmol": ["mmol/l": 1, "meq/l": 1], "tsh": ["miu/l": 1, "uiu/ml": 1, "µiu/ml": 1],
        "g24": ["g/24h": 1], "ratio": ["ratio": 1, "": 1],
    ]

    static let labFamily: [String: String] = [
        "hemoglobin": "hb", "wbc": "count", "anc": "count", "alc": "count", "platelets": "count", "creatinine": "creat",
        "bilirubin": "bili", "albumin": "alb", "corrected calcium": "ca", "calcium": "ca", "m-protein": "mprot",
        "igg": "ig", "iga": "ig", "igm": "ig", "kappa flc": "flc", "lambda flc": "flc", "alt": "enzyme", "ast": "enzyme",
        "ldh": "enzyme", "alp": "enzyme", "egfr": "gfr", "crcl": "gfr", "cea": "cea", "blasts": "pct",
        "marrow blasts": "pct", "b2m": "mgl", "crp": "mgl", "uric acid": "mgdl", "fibrinogen": "mgdl",
        "potassium": "mmol", "tsh": "tsh", "bence jones": "g24", "flc ratio": "ratio",
    ]

    /// `lab_name`: the canonical analyte of a lab name.
    static func labName(_ name: String) -> String {
        let n = ScorerText.norm(Rx.sub(#"\(([^)]*)\)"#, " $1 ", name))
        let n2 = ScorerText.norm(Rx.sub(#"\([^)]*\)"#, " ", name))
        for (canon, rx) in labCanon where Rx.test(rx, n2) || Rx.test(rx, n) { return canon }
        let stripped = Rx.sub(#"^(s|serum|plasma|blood)\s+"#, "", n2)
        if stripped != n2 {
            for (canon, rx) in labCanon where Rx.test(rx, stripped) { return canon }
        }
        return n2
    }

    static func normUnit(_ unit: JSONValue?) -> String? {
        guard let unit, unit != .null else { return nil }
        return normUnit(Py.str(unit))
    }

    static func normUnit(_ unit: String) -> String {
        var x = unit.lowercased().replacingOccurrences(of: "μ", with: "µ").replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "²", with: "2").replacingOccurrences(of: "⁹", with: "^9").replacingOccurrences(of: "×", with: "x")
            .replacingOccurrences(of: ",", with: ".")
        x = x.replacingOccurrences(of: "x10^9/l", with: "10^9/l").replacingOccurrences(of: "x10e9/l", with: "10^9/l")
        if x.hasPrefix("ml/min/1.73") { return "ml/min/1.73m2" }
        return x
    }

    /// Decimal places of `repr(float(v))`.
    static func decimals(_ v: Double) -> Int {
        let t = Py.floatRepr(v)
        if t.contains("e") { return 3 }
        let frac = t.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return frac == "0" ? 0 : frac.count
    }

    static func labClose(_ cv: Double, _ target: Double) -> Bool {
        let tol = max(0.5 * pow(10, -Double(decimals(cv))), 0.015 * abs(target))
        return abs(cv - target) <= tol + 1e-9
    }

    static func toUnit(_ value: Double, _ from: String?, _ to: String?, _ family: String?) -> Double? {
        let f = family.flatMap { unitFactors[$0] } ?? [:]
        let fu = from.map(normUnit), tu = to.map(normUnit)
        if fu == tu { return value }
        if let fu, let tu, let a = f[fu], let b = f[tu] { return value * a / b }
        return nil
    }

    struct LabEntry {
        var name: String
        var value: Double
        var unit: String?
        var forms: [(Double, String?)]
        var date: PartialDate?
        var desc: String
    }

    static func parseEquivalent(_ eq: JSONValue?) -> (Double, String?)? {
        guard let m = Rx.match(#"\s*([\d.]+)\s*([^\s(]+)"#, Py.orEmpty(eq)), let v = Double(m[1] ?? "") else { return nil }
        return (v, m[2])
    }

    static func labEntries(_ key: AnswerKey) -> [LabEntry] {
        key["labs"].items.compactMap { item in
            let e = item.dict
            guard let val = Py.float(e["value"]) else { return nil }
            let unit = e["unit"].flatMap { $0 == .null ? nil : Py.str($0) }
            var forms: [(Double, String?)] = [(val, unit)]
            if let eq = parseEquivalent(e["equivalent"]) { forms.append(eq) }
            let date = PartialDate.parse(e["date"])
            return LabEntry(name: labName(Py.str(e["name"])), value: val, unit: unit, forms: forms, date: date,
                            desc: "\(Py.str(e["name"])) \(Py.str(e["value"])) \(Py.str(e["unit"])) (\(PartialDate.text(date)))")
        }
    }

    static func labValueMatches(_ cv: Double, _ cu: String?, _ entry: LabEntry) -> Bool {
        let family = labFamily[entry.name]
        for (kv, ku) in entry.forms {
            guard let cu else {
                if labClose(cv, kv) { return true }
                continue
            }
            if let conv = toUnit(kv, ku, cu, family), labClose(cv, conv) { return true }
        }
        return false
    }

    static func plausible(_ cv: Double, _ cu: String?, _ entries: [LabEntry]) -> Bool {
        var vals: [Double] = []
        for e in entries {
            let conv = cu == nil ? e.value : toUnit(e.value, e.unit, cu, labFamily[e.name])
            guard let conv else { return false }
            vals.append(conv)
        }
        guard let lo = vals.min(), let hi = vals.max() else { return false }
        return lo / 3 <= cv && cv <= hi * 3
    }

    struct LabClaim: Hashable { var name: String; var value: JSONValue; var unit: String?; var date: String }

    static func labs(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let entries = labEntries(key)
        var byName: [String: [Int]] = [:]
        for (i, e) in entries.enumerated() { byName[e.name, default: []].append(i) }
        var claims = OrderedGroups<LabClaim, ScoredFact>()
        for f in facts where f.field == "lab" && !f.neg {
            claims.append(f, to: LabClaim(name: labName(Py.str(f["name"])), value: f["value"] ?? .null, unit: normUnit(f["unit"]),
                                          date: PartialDate.text(f.date())))
        }
        var found = Set<Int>()
        for (claim, fs) in claims.entries {
            let shown = fs[0].text
            guard let idx = byName[claim.name], !idx.isEmpty else {
                s.add("UNSCORED", "\(shown) (analyte not in key)")
                continue
            }
            guard let cv = Py.float(claim.value) else {
                // The Python scorer would fail on a lab fact without a number; count it as wrong.
                s.add("FP", "\(shown), key: \(idx.map { entries[$0].desc }.joined(separator: "; ")) [\(fs[0].where_)]")
                continue
            }
            let rawUnit = fs[0]["unit"].flatMap { $0 == .null ? nil : Py.str($0) }
            let cd = fs[0].date()
            let kdates = Set(idx.map { PartialDate.text(entries[$0].date) })
            let same = idx.filter { cd != nil && entries[$0].date != nil && PartialDate.matches(cd, entries[$0].date) }
            let cand = idx.filter { labValueMatches(cv, rawUnit, entries[$0]) }
            var hit: [Int]
            if cd == nil {
                hit = cand
            } else if !same.isEmpty {
                hit = same.filter(cand.contains)
            } else if kdates.count == 1 {
                let kd = entries[idx[0]].date
                hit = cand
                if hit.isEmpty && PartialDate.before(cd, kd) && plausible(cv, rawUnit, idx.map { entries[$0] }) {
                    s.add("NEUTRAL", "\(shown): dated before the key's sample, not listed in the key")
                    continue
                }
            } else {
                hit = cand
                if hit.isEmpty && plausible(cv, rawUnit, idx.map { entries[$0] })
                    && !idx.allSatisfy({ PartialDate.before(entries[$0].date, cd) }) {
                    s.add("NEUTRAL", "\(shown): a sample date the key does not list")
                    continue
                }
            }
            if !hit.isEmpty {
                found.formUnion(hit)
            } else {
                let ks = (same.isEmpty ? idx : same).map { entries[$0].desc }.joined(separator: "; ")
                s.add("FP", "\(shown), key: \(ks) [\(fs[0].where_)]")
            }
        }
        for (i, e) in entries.enumerated() {
            s.add(found.contains(i) ? "TP" : "FN", e.desc + (found.contains(i) ? "" : ": not found"))
        }
        return s
    }
}
