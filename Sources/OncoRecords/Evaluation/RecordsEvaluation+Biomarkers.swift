import Foundation

// Biomarker scoring of the records scorer: gene synonyms, alteration classes and variant
// tokens (1- and 3-letter HGVS), result polarity from the key's wording, numbers.

extension RecordsScoring {
    static let geneAliases: [String: String] = {
        var aliases: [String: String] = [
            "MUM1IRF4": "MUM1", "IRF4": "MUM1", "MUM1": "MUM1", "KI67": "KI67", "MIB1": "KI67", "P53": "TP53",
            "P53IHC": "TP53", "EBER": "EBER", "EBV": "EBER", "EBERISH": "EBER", "EBVEBERISH": "EBER", "CYCLIND1": "CYCLIND1",
            "BCRABL1": "ABL1", "BCRABL": "ABL1", "ABL1": "ABL1", "PHILADELPHIACHROMOSOME": "ABL1", "PDL1": "PDL1",
            "CD274": "PDL1", "BCMA": "BCMA", "BCMACD269": "BCMA", "CD269": "BCMA", "TNFRSF17": "BCMA", "TMB": "TMB",
            "TUMORMUTATIONALBURDEN": "TMB", "TUMOURMUTATIONALBURDEN": "TMB", "MSI": "MSI", "MSS": "MSI",
            "MICROSATELLITESTATUS": "MSI", "MICROSATELLITEINSTABILITY": "MSI", "TTF1": "TTF1", "NAPSINA": "NAPSINA",
            "CRLF2": "CRLF2", "TSLPR": "CRLF2", "KMT2A": "KMT2A", "MLL": "KMT2A", "TDT": "TDT", "CKS1B": "1Q21",
            "1Q21": "1Q21", "CDKN2C": "CDKN2C", "FGFR3": "FGFR3", "NSD2": "FGFR3", "MMSET": "FGFR3", "MAF": "MAF",
            "NTRK": "NTRK", "NTRK1": "NTRK", "NTRK2": "NTRK", "NTRK3": "NTRK", "NTRK123": "NTRK", "KAPPA": "KAPPA",
            "AMYLOID": "AMYLOID", "AMYLOIDCONGORED": "AMYLOID", "CONGORED": "AMYLOID", "TERT": "TERT",
            "TERTPROMOTER": "TERT", "HER2": "ERBB2", "ERBB2": "ERBB2", "MELANA": "MELANA", "MART1": "MELANA",
        ]
        aliases.merge([
            "HER2LOW": "ERBB2", "HER2NEU": "ERBB2", "ER": "ER", "ESTROGENRECEPTOR": "ER", "OESTROGENRECEPTOR": "ER",
            "PR": "PGR", "PGR": "PGR", "PROGESTERONERECEPTOR": "PGR", "MAGEA4": "MAGEA4", "NYESO1": "NYESO1", "CTAG1B": "NYESO1",
            "HLAA2": "HLAA0201", "HLAA02": "HLAA0201", "HLAA0201": "HLAA0201", "HLAA020101": "HLAA0201", "HLAA0205": "HLAA0205",
            "ETV6RUNX1": "ETV6RUNX1", "TCF3PBX1": "TCF3PBX1", "KMT2AAFF1": "KMT2A", "P2RY8CRLF2": "CRLF2", "SS18SSX1": "SS18",
            "SS18SSX2": "SS18", "SS18SSX4": "SS18", "SS18SSX": "SS18", "SS18": "SS18", "SYT": "SS18", "CEP12": "TRISOMY12",
            "TRISOMY12": "TRISOMY12", "H3": "H3F3A", "H3K27M": "H3F3A", "H33A": "H3F3A", "H3F3A": "H3F3A", "H3K28M": "H3F3A",
            "1P19Q": "1P19Q", "1P19QCODELETION": "1P19Q", "1P19QCODELETED": "1P19Q", "IDH12": "IDH1", "IDH": "IDH1",
            "MGMTPROMOTER": "MGMT", "MGMTPROMOTERMETHYLATION": "MGMT", "MGMTMETHYLATION": "MGMT", "LAMBDA": "LAMBDA",
            "DEL13Q": "13Q", "TRISOMY": "TRISOMY12", "EGFRVIII": "EGFRVIII", "MMR": "MMR", "PDL122C3": "PDL1",
            "CCD79A": "CD79A", "CYCD79A": "CD79A", "CCD3": "CD3", "CYCD3": "CD3", "CYLAMBDA": "LAMBDA", "CYKAPPA": "KAPPA",
        ]) { _, new in new }
        return aliases
    }()

    /// Alteration text of a "cytogenetics" marker, or a name, to a gene.
    static let cytoGene: [(String, String)] = [
        (#"t\(14;18\)|igh::?bcl2|bcl2::?igh"#, "BCL2"), (#"t\(4;14\)|fgfr3"#, "FGFR3"), (#"t\(11;14\)|ccnd1"#, "CCND1"),
        (#"t\(14;16\)|\bmaf\b"#, "MAF"), (#"t\(9;22\)|bcr::?abl|philadelphia"#, "ABL1"), (#"t\(8;14\)"#, "MYC"),
        (#"del\(?17p|17p|tp53 del"#, "TP53"), ("1q|cks1b", "1Q21"), (#"del\(?9p|9p21|cdkn2a"#, "CDKN2A"),
        (#"1p32|del\(?1p|cdkn2c"#, "CDKN2C"), ("hyperdiploid", "HYPERDIPLOIDY"), (#"del\(?13q|13q"#, "13Q"),
        (#"t\(12;21\)|etv6::?runx1"#, "ETV6RUNX1"), (#"t\(1;19\)|tcf3::?pbx1"#, "TCF3PBX1"), (#"kmt2a::?aff1|t\(4;11\)"#, "KMT2A"),
        ("p2ry8::?crlf2", "CRLF2"), (#"ss18::?ssx|t\(x;18\)"#, "SS18"), ("1p/?19q", "1P19Q"), (#"del\(?11q|11q22"#, "ATM"),
        (#"trisomy ?12|\+12\b|cep12"#, "TRISOMY12"),
    ]

    static let excludedBiomarkers = #"^(cell of origin|myc bcl2 dual|double hit|karyotype|donor chimerism|cytogenetic risk|bone marrow plasma cells|marrow blasts|chromosome \d+ gain|methylation class)"#

    static let aa3: [String: String] = [
        "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G", "His": "H", "Ile": "I",
        "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    ]
    static let tokenSynonyms = ["Y641N": "Y646N"]

    /// `alt_info`: (class, variant tokens) of an alteration text.
    static func altInfo(_ text: String) -> (cls: String?, tokens: Set<String>) {
        let t = text
        var tokens = Set<String>()
        for m in Rx.all(#"p\.\(?([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|\*|fs)"#, t) {
            if let first = m[1], let one = aa3[first] {
                let last = m[3] ?? ""
                tokens.insert(one + (m[2] ?? "") + (aa3[last] ?? last))
            }
        }
        for m in Rx.all(#"(?<![A-Za-z0-9])([ACDEFGHIKLMNPQRSTVWY])(\d{2,4})([ACDEFGHIKLMNPQRSTVWY*]|fs)(?![a-z0-9])"#, t) {
            tokens.insert((m[1] ?? "") + (m[2] ?? "") + (m[3] ?? ""))
        }
        if Rx.test(#"\bV600\b(?!\s*[EKDR]\b)"#, t) { tokens.insert("V600") }
        for m in Rx.all("V600([EKDR])(?:/([EKDR]))?(?:/([EKDR]))?(?:/([EKDR]))?", t) {
            for i in 1...4 { if let x = m[i] { tokens.insert("V600" + x) } }
        }
        if t.contains("C797S/G") { tokens.formUnion(["C797S", "C797G"]) }
        for m in Rx.all(#"exon\s*(\d+)\s*(deletion|del|insertion|ins|skipping)"#, t, ci: true) {
            tokens.insert("EXON\(m[1] ?? "")\(String((m[2] ?? "").prefix(3)).uppercased())")
        }
        if t.contains("E746_A750del") { tokens.insert("EXON19DEL") }
        tokens = Set(tokens.map { tokenSynonyms[$0] ?? $0 })
        let low = t.lowercased()
        let cls: String?
        if Rx.test(#"rearrang|fusion|translocation|t\(\d+;\d+\)|::|break-?apart"#, low) {
            cls = "rearr"
        } else if Rx.test(#"amplif|\bgain\b|copy number gain"#, low) {
            cls = "amp"
        } else if Rx.test(#"homozygous deletion|^deletion|\bdeletion\b|\bdel\(|\bloss\b|deleted"#, low) && !Rx.test(#"exon\s*\d+\s*del"#, low) {
            cls = "del"
        } else if !tokens.isEmpty || Rx.test(#"mutation|variant|mutant|exon|skipping|insertion|indel|snv|\bc\."#, low) {
            cls = "mut"
        } else {
            cls = nil
        }
        return (cls, tokens)
    }

    static func expandTokens(_ tokens: Set<String>) -> Set<String> {
        var out = tokens
        for x in tokens where x.hasPrefix("V600") && x.count == 5 { out.insert("V600") }
        return out
    }

    static func altCompatible(_ ccls: String?, _ ctok: Set<String>, _ kcls: String?, _ ktok: Set<String>) -> Bool {
        if !ctok.isEmpty && !ktok.isEmpty {
            let a = expandTokens(ctok), b = expandTokens(ktok)
            return !a.isDisjoint(with: b) || (b.contains("V600") && a.contains { $0.hasPrefix("V600") })
        }
        if !ctok.isEmpty { return kcls == "mut" || kcls == nil }
        if ccls == nil || kcls == nil { return true }
        return ccls == kcls
    }

    /// `key_polarity`: the polarities the key's result wording accepts (nil: none readable).
    static func keyPolarity(_ result: String, gene: String?) -> Set<String>? {
        let whole = ScorerText.norm(result)
        if gene == "TMB" {
            return whole.contains("high") ? ["positive"] : (whole.contains("low") ? ["negative"] : nil)
        }
        var r = ScorerText.norm(Rx.split("[;(]", result)[0])
        if r.isEmpty { r = whole }
        if r.contains("retained") || r.contains("unmutated") { return ["positive", "negative"] }
        if Rx.test(#"\bunmethylated\b"#, r) { return ["negative"] }
        if Rx.test(#"\bmethylated\b"#, r) { return ["positive"] }
        if Rx.test("equivocal|not evaluable|indeterminate", r) { return ["indeterminate"] }
        if Rx.test(#"negative|\bneg\b|not detected|not rearranged|no pathogenic|no variant|no mutation|no reportable|wild type|not deleted|no alteration|\bmss\b|no amyloid|\bstable\b|no deletion|no rearrangement|not amplified"#, r) {
            return ["negative"]
        }
        if Rx.test(#"positive|\bpos\b|detected|rearranged|deleted|\bgain\b|partial|\bdim\b|restricted|strong|fusion present|\bhigh\b|amplif"#, r) {
            return ["positive"]
        }
        return nil
    }

    struct Number: Hashable { var comparator: String; var value: Double }

    /// `first_number`.
    static func firstNumber(_ text: String) -> Number? {
        guard let m = Rx.search(#"([<>]=?|~)?\s*(\d+(?:\.\d+)?)"#, text), let value = Double(m[2] ?? "") else { return nil }
        return Number(comparator: m[1] ?? "", value: value)
    }

    static func firstNumber(_ value: JSONValue?) -> Number? { firstNumber(Py.orEmpty(value)) }

    static func numbersAgree(_ claim: Number, _ key: Number) -> Bool {
        let (cc, cv, kc, kv) = (claim.comparator, claim.value, key.comparator, key.value)
        if cc.hasPrefix(">") && !kc.hasPrefix("<") { return kv >= cv || abs(kv - cv) <= 0.01 }
        if cc.hasPrefix("<") && !kc.hasPrefix(">") { return kv <= cv || abs(kv - cv) <= 0.01 }
        return max(cv, kv) >= 5 ? abs(cv - kv) <= 2.0 : abs(cv - kv) <= 0.05 * max(cv, kv) + 1e-9
    }

    /// `key_genes`: the genes a key biomarker's name stands for (insertion order kept).
    static func keyGenes(_ name: String) -> [String] {
        let n = name
        let low = n.lowercased()
        if low.contains("neuroendocrine") { return ["SYNAPTOPHYSIN", "CHROMOGRANIN", "INSM1"] }
        if low.contains("light chain") { return low.contains("lambda") ? ["LAMBDA"] : ["KAPPA"] }
        var genes: [String] = []
        for (rx, g) in cytoGene where Rx.test(rx, low) && (n.contains("::") || low.contains("t(") || low.contains("del(") || low.contains("1q")
                                                          || low.contains("1p") || low.contains("hyperdiploid") || low.contains("philadelphia")) {
            genes.append(g)
        }
        if !genes.isEmpty { return genes.uniqued }
        let head = Rx.split(#"\s+(?=\()|\s+(?:alteration|fusion|promoter|exon|incl|T790M|C797S|V600|Q61R|deletion)"#, n)[0]
        for part in Rx.split("[/,]", head) {
            let c = ScorerText.compact(part).uppercased()
            if c.isEmpty { continue }
            genes.append(geneAliases[c] ?? c)
        }
        let first = ScorerText.compact(n.components(separatedBy: " ")[0]).uppercased()
        if genes.isEmpty || (geneAliases[first] != nil && !genes.contains(geneAliases[first]!)) {
            genes.append(geneAliases[first] ?? first)
        }
        return genes.uniqued
    }

    struct KeyBiomarker {
        var name: String
        var genes: Set<String>
        var cls: String?
        var tok: Set<String>
        var pol: Set<String>?
        var nums: [Number]
        var date: PartialDate?
        var superseded: Bool
        var desc: String
        var supDate: PartialDate?
    }

    /// `key_biomarkers`: the key's biomarker entries that are single marker results.
    static func keyBiomarkers(_ key: AnswerKey) -> [KeyBiomarker] {
        var out: [KeyBiomarker] = []
        for item in key["biomarkers"].items {
            let e = item.dict
            let name = Py.str(e["name"])
            if Rx.test(excludedBiomarkers, ScorerText.norm(name)) { continue }
            let geneList = keyGenes(name)
            let alteration = Py.orEmpty(e["alteration"])
            let textForAlt = [name, alteration].filter { !$0.isEmpty }.joined(separator: " ")
            var (cls, tok) = altInfo(textForAlt)
            let method = ScorerText.norm(e["method"])
            if cls == nil {
                if method.contains("break apart") || (method.contains("fish") && method.contains("fusion")) {
                    cls = "rearr"
                } else if Rx.test(#"\bngs\b|pcr|sequencing"#, method) && !Rx.test("ihc|flow", method) {
                    cls = "mut"
                } else if Rx.test("ihc|flow|ish|histochem", method) && !Rx.test("ngs|pcr|fish", method) {
                    cls = "expr"
                }
            }
            let genes = Set(geneList)
            if genes.contains("TMB") || genes.contains("MSI") || genes.contains("PDL1") { cls = nil }
            let result = Py.str(e["result"])
            var nums = [firstNumber(result)].compactMap { $0 }
            if Py.truthy(e["vaf"]), let vaf = firstNumber(Py.str(e["vaf"])) { nums.append(vaf) }
            let desc = "\(name)\(alteration.isEmpty ? "" : " " + alteration) (\(Py.str(e["method"]))): \(result)"
            out.append(KeyBiomarker(name: name, genes: genes, cls: cls, tok: tok, pol: keyPolarity(result, gene: geneList.first),
                                    nums: nums, date: PartialDate.parse(e["date"]),
                                    superseded: Py.orEmpty(e["status"]).hasPrefix("superseded"), desc: desc))
        }
        for i in out.indices where out[i].superseded {
            let e = out[i]
            let newer = out.filter { x in
                !x.superseded && !x.genes.isDisjoint(with: e.genes) && x.date != nil && (x.cls == e.cls || x.cls == nil || e.cls == nil)
            }
            out[i].supDate = PartialDate.latest(newer.compactMap(\.date))
        }
        return out
    }

    struct BiomarkerClaim: Hashable {
        var gene: String
        var cls: String?
        var tok: Set<String>
        var interp: String?
        var num: Number?
    }

    /// `claim_biomarker`: gene, class, tokens, interpretation and number of a product fact.
    static func claimBiomarker(_ f: ScoredFact) -> BiomarkerClaim {
        let marker = Py.orEmpty(f["marker"])
        let alt = Py.orEmpty(f["alteration"])
        let cm = ScorerText.compact(marker).uppercased()
        var gene: String
        var cls: String?
        var tok: Set<String>
        if ["CYTOGENETICS", "KARYOTYPE", "FISH"].contains(cm) || cm.isEmpty {
            let low = alt.lowercased()
            gene = cytoGene.first { Rx.test($0.0, low) }?.1 ?? cm
            (cls, tok) = altInfo(alt)
            if gene == "TP53" && cls == nil { cls = "del" }
        } else {
            gene = geneAliases[cm] ?? cm
            (cls, tok) = altInfo(alt)
        }
        let num = Py.truthy(f["value"]) ? firstNumber(f["value"]) : nil
        return BiomarkerClaim(gene: gene, cls: cls, tok: tok, interp: f.string("interpretation"), num: num)
    }

    static func biomarkerMatch(_ claim: BiomarkerClaim, _ e: KeyBiomarker) -> Bool {
        guard e.genes.contains(claim.gene) else { return false }
        if !altCompatible(claim.cls, claim.tok, e.cls == "expr" ? nil : e.cls, e.tok) { return false }
        if claim.cls != nil && e.cls == "expr" { return false }
        let numberAgrees: Bool = {
            guard let num = claim.num, !e.nums.isEmpty else { return false }
            return e.nums.contains { numbersAgree(num, $0) }
        }()
        if let interp = claim.interp, ["positive", "negative", "indeterminate"].contains(interp) {
            if let pol = e.pol {
                if !pol.contains(interp) { return false }
                if claim.num != nil && !e.nums.isEmpty && !numberAgrees { return false }
                return true
            }
            return numberAgrees
        }
        return numberAgrees
    }

    static func biomarkers(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let entries = keyBiomarkers(key)
        let current = entries.filter { !$0.superseded }
        let keyGenesAll = entries.reduce(into: Set<String>()) { $0.formUnion($1.genes) }
        var groups = OrderedGroups<BiomarkerClaim, ScoredFact>()
        for f in facts where f.field == "biomarker" && !f.neg { groups.append(f, to: claimBiomarker(f)) }
        var found = Set<Int>()
        for (claim, fs) in groups.entries {
            let shown = fs[0].text
            let hits = current.indices.filter { biomarkerMatch(claim, current[$0]) }
            if !hits.isEmpty {
                found.formUnion(hits)
                s.add("NEUTRAL", "claim \(shown) matches \(hits.map { current[$0].name }.joined(separator: ", "))")
                continue
            }
            let old = entries.filter { $0.superseded && biomarkerMatch(claim, $0) }
            if let first = old.first {
                let sd = first.supDate
                let dated = sd.map { sd in fs.allSatisfy { PartialDate.before($0.date(), sd) } } ?? false
                if dated {
                    s.add("NEUTRAL", "superseded result \(shown) dated before its replacement")
                } else {
                    let bad = fs.filter { !(sd != nil && PartialDate.before($0.date(), sd)) }
                    s.add("FP", "superseded result presented as current: \(shown) (\(PartialDate.text(bad[0].date())); key: \(first.desc)) [\(bad[0].where_)]")
                }
                continue
            }
            if keyGenesAll.contains(claim.gene) {
                let ks = current.filter { $0.genes.contains(claim.gene) }.map(\.desc).joined(separator: "; ")
                s.add("FP", "\(shown), key: \(ks.isEmpty ? "superseded only" : ks) [\(fs[0].where_)]")
            } else {
                s.add("UNSCORED", "\(shown) (not in key)")
            }
        }
        for (i, e) in current.enumerated() {
            s.add(found.contains(i) ? "TP" : "FN", e.desc + (found.contains(i) ? "" : ": not found"))
        }
        return s
    }
}
