import Foundation

// must_not traps of the records scorer: each claim's wording is read with generic rules
// (trap_spec in score_records.py; no per-patient tables) into a check over the facts.

/// The facts of one patient and format, with the lookups the trap checks use (`Ctx`).
final class TrapContext {
    let key: AnswerKey
    let facts: [ScoredFact]
    let kb: RecordsRegimens
    let disease: (value: String, ids: Set<String>, text: String, broader: Set<String>)
    lazy var keyMarkers: [RecordsScoring.KeyBiomarker] = RecordsScoring.keyBiomarkers(key)

    init(key: AnswerKey, facts: [ScoredFact], kb: RecordsRegimens) {
        self.key = key
        self.facts = facts
        self.kb = kb
        disease = RecordsScoring.disease(for: key)
    }

    func by(_ field: String, neg: Bool = false, unc: Bool? = nil) -> [ScoredFact] {
        facts.filter { $0.field == field && $0.neg == neg && (unc == nil || $0.unc == unc) }
    }

    func cancers(_ rx: String) -> [ScoredFact] {
        ["primary-cancer", "secondary-cancer", "histology"].flatMap { field in
            by(field, unc: false).filter { f in
                let (cid, text) = RecordsScoring.cancerID(f)
                return Rx.test(rx, text) || Rx.test(rx, cid.replacingOccurrences(of: "-", with: " "))
            }
        }
    }

    func otherCancers() -> [ScoredFact] {
        ["primary-cancer", "secondary-cancer"].flatMap { field in
            by(field, unc: false).filter { f in
                let (cid, text) = RecordsScoring.cancerID(f)
                return !(disease.ids.contains(cid) || Rx.test(disease.text, text) || disease.broader.contains(cid))
            }
        }
    }

    func valueBiomarkers(_ gene: String) -> [ScoredFact] {
        by("biomarker").filter {
            let claim = RecordsScoring.claimBiomarker($0)
            return claim.gene == gene && claim.interp == "value"
        }
    }

    func linesWith(_ drugs: Set<String>, neg: Bool = false) -> [ScoredFact] {
        facts.filter { $0.field == "treatment-line" && $0.neg == neg && !kb.drugSet($0.v).isDisjoint(with: drugs) }
    }

    func cellTherapy() -> [ScoredFact] { by("prior-cell-therapy", unc: false) }

    func cnsYes(_ rx: String?) -> [ScoredFact] {
        by("cns-involvement", unc: false).filter { rx == nil || Rx.test(rx!, Py.orEmpty($0["text"]).lowercased()) }
    }

    func cnsNo(before: PartialDate?) -> [ScoredFact] {
        facts.filter { RecordsScoring.cnsGeneralNegation($0) && !(before != nil && PartialDate.before($0.date(), before)) }
    }

    func labs(_ name: String, _ value: Double, _ unit: String) -> [ScoredFact] {
        by("lab").filter {
            RecordsScoring.labName(Py.str($0["name"])) == name && RecordsScoring.normUnit($0["unit"]) == RecordsScoring.normUnit(unit)
                && (Py.float($0["value"]).map { RecordsScoring.labClose($0, value) } ?? false)
        }
    }

    /// The key has a current positive result for this gene.
    func explained(_ gene: String) -> Bool {
        keyMarkers.contains { $0.genes.contains(gene) && !$0.superseded && ($0.pol?.contains("positive") ?? false) }
    }

    func currentDate(_ gene: String) -> PartialDate? {
        PartialDate.latest(keyMarkers.filter { $0.genes.contains(gene) && !$0.superseded }.compactMap(\.date))
    }

    func cnsSince() -> PartialDate? {
        let c = key["cns_involvement"].dict
        guard Py.str(c["value"]).lowercased() == "yes" else { return nil }
        return PartialDate.firstISO("\(Py.orEmpty(c["detail"])) \(Py.orEmpty(c["basis"]))")
    }
}

enum TrapSpec {
    case notExpressible
    case check((TrapContext) -> [ScoredFact])
}

extension RecordsScoring {
    static let bispecifics: Set<String> = ["glofitamab", "epcoritamab", "mosunetuzumab", "blinatumomab", "teclistamab", "talquetamab",
                                           "elranatamab", "linvoseltamab", "odronextamab", "tarlatamab"]
    static let bcmaDirected: Set<String> = ["belantamab-mafodotin", "teclistamab", "elranatamab", "linvoseltamab", "idecabtagene", "ciltacabtagene"]
    static let tkis: Set<String> = ["imatinib", "dasatinib", "nilotinib", "ponatinib", "bosutinib", "asciminib"]
    static let btkis: Set<String> = ["ibrutinib", "acalabrutinib", "zanubrutinib", "pirtobrutinib"]
    static let brafMek: Set<String> = ["dabrafenib", "trametinib", "vemurafenib", "cobimetinib", "encorafenib", "binimetinib"]
    static let chemo: Set<String> = ["carboplatin", "cisplatin", "oxaliplatin", "pemetrexed", "docetaxel", "paclitaxel", "gemcitabine", "dacarbazine",
                                     "temozolomide", "lomustine", "capecitabine", "fluorouracil", "irinotecan", "doxorubicin", "ifosfamide", "etoposide",
                                     "trabectedin", "eribulin", "cyclophosphamide", "bendamustine", "fludarabine", "cytarabine", "vincristine"]
    static let immunotherapy: Set<String> = ["pembrolizumab", "nivolumab", "atezolizumab", "durvalumab", "ipilimumab", "cemiplimab", "relatlimab",
                                             "dostarlimab", "tremelimumab"]
    static let adcs: Set<String> = ["trastuzumab-deruxtecan", "sacituzumab-govitecan", "datopotamab-deruxtecan", "polatuzumab-vedotin",
                                    "inotuzumab-ozogamicin", "belantamab-mafodotin", "brentuximab-vedotin", "loncastuximab-tesirine"]
    static let steroids: Set<String> = ["dexamethasone", "prednisone", "methylprednisolone", "hydrocortisone"]
    static let cellProducts: Set<String> = ["lifileucel", "afamitresgene-autoleucel", "brexucabtagene-autoleucel", "lisocabtagene-maraleucel",
                                            "tisagenlecleucel", "axicabtagene-ciloleucel", "idecabtagene", "ciltacabtagene"]
    static let therapyClasses: [(String, Set<String>)] = [
        ("(?<!bcma )bispecific", bispecifics), ("bcma", bcmaDirected), (#"tyrosine kinase inhibitor|\btkis?\b"#, tkis),
        ("btk inhibitor", btkis), ("braf ?/ ?mek|braf or mek|braf inhibitor|mek inhibitor", brafMek),
        ("chemotherapy", chemo), ("immunotherapy|checkpoint inhibitor", immunotherapy), (#"antibody.drug conjugate|\badcs?\b"#, adcs),
        (#"corticosteroid|\bsteroids?\b"#, steroids),
    ]
    static let localTherapy = #"sbrt|radiother|stereotactic|radiation|radiosurg|\bsrs\b|excision|surgery|surgical|resection"#
    static let notExpressibleRx = #"smok|gvhd|graft.versus|fractur|hashimoto|thyroiditis|node is confirmed|nodules are confirmed|\blesion|\bild\b|pneumonitis|doses of|autoimmune|pod24|donor transplant|pseudoprogression|treatment effect|local recurrence"#
    /// (claim wording, product cancer text/concept pattern, exclusion pattern)
    static let diseaseTerms: [(String, String, String?)] = [
        ("hodgkin", "hodgkin", "non hodgkin"), ("prostat", "prostat", nil), ("breast", "breast", nil),
        (#"chronic lymphocytic|\bcll\b"#, #"chronic lymphocytic|\bcll\b|small lymphocytic"#, nil),
        (#"monoclonal b.cell lymphocytosis|\bmbl\b"#, #"monoclonal b cell lymphocytosis|\bmbl\b"#, nil),
        ("mgus|monoclonal gammopathy", "mgus|monoclonal gammopathy", nil),
        ("colorectal", #"colorectal|\bcolon\b|rectal"#, nil), (#"\bcolon\b"#, #"colorectal|\bcolon\b"#, nil),
        (#"acute myeloid|\baml\b"#, #"acute myeloid|\baml\b|myeloid leuk"#, nil), ("in situ", "in situ", nil),
        ("ovar", "ovar", nil), ("endometri", "endometri", nil), ("testic", "testic|germ cell|seminoma", nil),
        (#"\boral\b"#, #"\boral\b|oral cavity|mouth"#, nil), ("lung cancer", #"\blung\b|nsclc|\bsclc\b"#, nil),
        ("mantle cell", #"mantle cell|\bmcl\b"#, nil), ("lynch", "lynch|hereditary non ?polyposis", nil),
        ("richter", "richter|diffuse large|dlbcl|large b cell|transform", nil),
        ("transformed lymphoma|transformed", "transform", nil), (#"\bdlbcl\b|diffuse large"#, "diffuse large|dlbcl", nil),
        ("blastoid", "blastoid", nil), ("large.cell transformation", "large (b )?cell|diffuse large|dlbcl|transform", nil),
        ("grade 3", #"grade\s*3"#, nil), (#"double.hit|\bhgbl\b|high.grade b"#, "double hit|hgbl|high grade b cell", nil),
        ("amyloid", "amyloid", nil), ("extramedullary|plasmacytoma", "extramedullary|plasmacytoma", nil),
        ("cns myeloma", "cns myeloma", nil), ("small cell", #"(?<!non )small cell|\bsclc\b"#, nil),
        ("squamous", "squamous", nil), ("oligodendroglioma", "oligodendro", nil),
        ("idh.mutant", "idh mutant|astrocytoma", nil),
    ]
    static let metastasisSites = ["adrenal", "lung", "bone", "nodal", "liver", "hepatic", "peritoneal", "skin", "pleural"]
    static let nonGeneTokens: Set<String> = ["CAR", "CNS", "HIV", "HBV", "HCV", "HBSAG", "ECOG", "IHC", "TPS", "DLBCL", "HGBL", "MGUS", "AL", "BR",
                                             "ASCT", "SRS", "SBRT", "TIL", "IVIG", "POD24", "ILD", "CLL", "AML", "MBL", "LVEF", "FISH", "NGS", "PCR",
                                             "RNA", "DNA", "TCR", "SCT", "HSCT", "CPS", "VAF", "OR", "MCL", "GBM", "AND", "NOT", "ADC", "TKI", "HLA"]
    static let posCue = #"detected|positive|mutated|mutant|rearranged|rearrangement|amplified|amplification|fusion|codeleted|codeletion|pathogenic|\bhigh\b|present|\bgain\b|deleted|deletion|mutation|variant|methylated|translocation"#
    static let negCue = #"negative|\bloss\b|wild.type|not mutated|absent|\bstable\b|\bmss\b|not deleted|not detected|unmethylated|not rearranged"#
    static let classCues: [(String, String)] = [(#"rearrang|fusion|translocation|t\(\d"#, "rearr"), (#"amplif|\bgain\b"#, "amp"),
                                                (#"\bdel\(|deleted|deletion"#, "del"), ("mutat|mutant|variant|pathogenic", "mut")]

    /// Facts not dated before the replacing result.
    static func superseded(_ fs: [ScoredFact], _ newDate: PartialDate?) -> [ScoredFact] {
        fs.filter { !PartialDate.before($0.date(), newDate) }
    }

    /// `claim_genes`: genes named in a piece of must_not wording.
    static func claimGenes(_ seg: String) -> [String] {
        var genes: [String] = []
        let low = seg.lowercased()
        for (rx, g) in cytoGene where Rx.test(rx, low) && Rx.test(#"::|t\(|del\(|\bdel\b|1q|1p|philadelphia|trisomy|\+12"#, low) {
            genes.append(g)
        }
        if Rx.test(#"microsatellite|\bmsi\b|\bmss\b"#, low) { genes.append("MSI") }
        if Rx.test(#"\btmb\b|mutational burden"#, low) { genes.append("TMB") }
        if Rx.test(#"\bki-?67\b"#, low) { genes.append("KI67") }
        for m in Rx.all(#"HLA-[ABC]\*\d{2}:\d{2}"#, seg) { genes.append(ScorerText.compact(m[0] ?? "").uppercased()) }
        let rest = Rx.sub(#"HLA-[ABC]\*\d{2}:\d{2}|\b[A-Za-z]\d{2,4}[A-Z*]\b|\bt\([^)]*\)|\bdel\([^)]*\)"#, " ", seg)
        for m in Rx.all(#"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*[A-Z0-9](?:-[A-Z0-9]+)?|[A-Z]{2,})(?![a-z])"#, rest) {
            let c = ScorerText.compact(m[1] ?? "").uppercased()
            if nonGeneTokens.contains(c) || c.count < 2 || !Rx.test("[A-Z]", c) { continue }
            if c == "IDH" || c == "IDH12" {
                genes += ["IDH1", "IDH2"]
                continue
            }
            genes.append(geneAliases[c] ?? c)
        }
        return genes.uniqued
    }

    static func splitSegments(_ claim: String) -> [String] {
        var text = claim.replacingOccurrences(of: "1p/19q", with: "1p19q").replacingOccurrences(of: "BRAF/MEK", with: "BRAF-MEK")
        text = Rx.sub(#"\(or any ([^)]*)\)"#, ", any $1", text)
        text = Rx.sub(#"\((\w+);(\w+)\)"#, "($1~$2)", text)
        return Rx.split(#"\s*(?:/|,|;|\bor\b|\band\b)\s*"#, text)
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .map { $0.replacingOccurrences(of: "~", with: ";") }
    }

    struct BiomarkerTerm: Hashable {
        var gene: String
        var pol: String?
        var cls: String?
        var tokens: Set<String>
    }

    /// `biomarker_terms`: (gene, polarity, class, tokens) read from wording such as "EGFR T790M or C797S detected".
    static func biomarkerTerms(_ claim: String) -> [BiomarkerTerm] {
        struct Parsed { var genes: [String]; var pol: String?; var cls: String?; var tok: Set<String>; var any: Bool }
        var parsed: [Parsed] = splitSegments(claim).map { s in
            let low = s.lowercased()
            let pol: String? = Rx.test(negCue, low) ? "negative" : (Rx.test(posCue, low) ? "positive" : nil)
            let cls = classCues.first { Rx.test($0.0, low) }?.1
            return Parsed(genes: claimGenes(s), pol: pol, cls: cls, tok: altInfo(s).tokens, any: low.contains("any "))
        }
        for i in parsed.indices {
            if parsed[i].pol == nil, let next = parsed[(i + 1)...].first(where: { $0.pol != nil }) {
                parsed[i].pol = next.pol
                parsed[i].cls = parsed[i].cls ?? next.cls
            }
            if parsed[i].genes.isEmpty && !parsed[i].tok.isEmpty && i > 0 { parsed[i].genes = parsed[i - 1].genes }
        }
        var out: [BiomarkerTerm] = []
        for p in parsed {
            for g in p.genes { out.append(BiomarkerTerm(gene: g, pol: p.pol, cls: p.cls, tokens: p.any ? [] : p.tok)) }
        }
        return out.uniqued.filter { $0.pol != nil }
    }

    static func claimTokens(_ f: ScoredFact) -> Set<String> {
        altInfo("\(Py.orEmpty(f["marker"])) \(Py.orEmpty(f["alteration"]))").tokens.union(claimBiomarker(f).tok)
    }

    /// The claim matches a current key biomarker (a must_not can never forbid a true finding).
    static func trueFinding(_ ctx: TrapContext, _ f: ScoredFact) -> Bool {
        let claim = claimBiomarker(f)
        return ctx.keyMarkers.contains { !$0.superseded && biomarkerMatch(claim, $0) }
    }

    static func biomarkerHits(_ ctx: TrapContext, _ term: BiomarkerTerm) -> [ScoredFact] {
        let (gene, pol, cls, toks) = (term.gene, term.pol, term.cls, term.tokens)
        var out: [ScoredFact] = []
        for f in ctx.by("biomarker", unc: false) {
            let c = claimBiomarker(f)
            if c.gene != gene || c.interp != pol { continue }
            if !toks.isEmpty {
                let ct = expandTokens(claimTokens(f))
                if ct.isDisjoint(with: toks) && !(toks.contains("V600") && ct.contains { $0.hasPrefix("V600") }) { continue }
            }
            if pol == "positive", let cls, c.cls != cls {
                if c.cls != nil || ctx.explained(gene) { continue }
            }
            if pol == "negative" && cls == nil, let ccls = c.cls, ["del", "mut", "amp", "rearr"].contains(ccls), gene != "TP53" { continue }
            if pol == "negative", let cls, let ccls = c.cls, ccls != cls { continue }
            if trueFinding(ctx, f) { continue }
            out.append(f)
        }
        if gene == "TMB" && pol == "positive" {
            out += ctx.valueBiomarkers("TMB").filter { (firstNumber($0["value"])?.value ?? 0) >= 10 }
        }
        return out
    }

    struct LabTerm { var name: String; var value: Double; var unit: String }

    /// `lab_terms`: (analyte, value, unit) from wording such as "creatinine 106 mg/dL or 1.2 µmol/L".
    static func labTerms(_ claim: String) -> [LabTerm] {
        let unitRx = #"(x\s?10\^9/L|[a-zA-Zµμ%]+/[a-zA-Z0-9.]+|%)"#
        var items: [LabTerm] = []
        var name: String?
        var pending: [(String, Double)] = []
        for m in Rx.all(#"([A-Za-z][A-Za-z\- ]*?)?\s*(\d+(?:\.\d+)?)\s*"# + unitRx + #"?(?=[\s,;)]|$)"#, claim) {
            if let g1 = m[1]?.trimmingCharacters(in: .whitespacesAndNewlines), !g1.isEmpty, !["or", "and"].contains(g1.lowercased()) {
                name = Rx.sub(#"^(or|and)\s+"#, "", g1.lowercased())
            }
            guard let name else { continue }
            pending.append((name, Double(m[2] ?? "") ?? 0))
            if let unit = m[3] {
                for (n, v) in pending { items.append(LabTerm(name: labName(n), value: v, unit: unit)) }
                pending = []
            }
        }
        var out: [LabTerm] = []
        for t in items {
            out.append(t)
            if t.name == "calcium" { out.append(LabTerm(name: "corrected calcium", value: t.value, unit: t.unit)) }
        }
        return out
    }

    static func namedDrugs(_ text: String) -> Set<String> {
        var ds = drugsInText(text)
        for (rx, cls) in therapyClasses where Rx.test(rx, text.lowercased()) { ds.formUnion(cls) }
        return ds
    }

    private static func combine(_ checks: [(TrapContext) -> [ScoredFact]]) -> TrapSpec? {
        checks.isEmpty ? nil : .check { ctx in checks.flatMap { $0(ctx) } }
    }

    /// `trap_spec`: a check (context -> violating facts), not expressible, or nil (cannot read the claim).
    static func trapSpec(_ claim: String, _ key: AnswerKey) -> TrapSpec? {
        let low = claim.lowercased()
        if Rx.test(notExpressibleRx, low) { return .notExpressible }
        if let m = Rx.search("current age ([\\d ,or]+)", low) {
            let ages = Set(Rx.all(#"\d+"#, m[1] ?? "").compactMap { $0[0].flatMap { Double($0) } })
            return .check { c in c.by("age").filter { Py.float($0["value"]).map(ages.contains) ?? false } }
        }
        if let m = Rx.search("patient is (female|male)", low), let sex = m[1] {
            return .check { c in c.by("sex").filter { $0["_"] == .string(sex) } }
        }
        var checks: [(TrapContext) -> [ScoredFact]] = []
        let klines = keyLines(key)
        let keyDrugs = klines.reduce(into: Set<String>()) { $0.formUnion($1.full) }

        // "... counted as a line", "... as a completed prior line"
        if let m = Rx.search(#"^(.*?)\s+(?:counted as|as a completed prior line)"#, claim, ci: true) {
            let subject = m[1] ?? ""
            if Rx.test(localTherapy, subject.lowercased()) {
                checks.append { c in c.by("treatment-line").filter { $0.isSystemic && Rx.test(localTherapy, $0.text.lowercased()) } }
            }
            let ds = namedDrugs(subject)
            if !ds.isEmpty && low.contains("completed prior line") {
                let current = key["current_therapy"]
                let cutText = current?.isDict == true ? Py.orEmpty(current?.dict["value"]) : Py.orEmpty(current)
                let cut = PartialDate.firstISO(cutText).map { PartialDate(year: $0.year, month: $0.month, day: nil) }
                checks.append { c in
                    c.linesWith(ds).filter { f in
                        guard Py.truthy(f["endDate"]) else { return false }
                        let start = Py.truthy(f["startDate"]) ? f["startDate"] : f["endDate"]
                        return !(cut != nil && PartialDate.before(PartialDate.parse(start), cut))
                    }
                }
            } else if !ds.isEmpty {
                checks.append { c in
                    productCountLines(c.facts, c.kb).groups.flatMap { g -> [ScoredFact] in
                        let union = g.reduce(into: Set<String>()) { $0.formUnion(c.kb.drugSet($1.v)) }
                        return !union.isEmpty && union.isSubset(of: ds) ? g : []
                    }
                }
            }
            return combine(checks)
        }
        // "... as current", "... (current)"
        if Rx.test(#"as current|\(current\)"#, low) {
            if low.contains("ecog") {
                guard let n = Rx.search(#"ecog\D*(\d)"#, low)?[1].flatMap({ Double($0) }) else { return nil }
                return .check { c in
                    let ecog = c.by("performance-status").filter { $0["scale"] == .string("ECOG") }
                    let latest = scorerLatest(ecog) { $0.date() }
                    return [latest].compactMap { $0 }.filter { Py.float($0["score"]) == n }
                        + c.by("performance-status").filter { Py.float($0["score"]) == n && $0["scale"] == .string("ECOG") && !Py.truthy($0["date"]) }
                }
            }
            if low.contains("lvef") {
                guard let n = Rx.search(#"lvef\D*(\d+)"#, low)?[1].flatMap({ Double($0) }) else { return nil }
                func near(_ f: ScoredFact) -> Bool {
                    let value = Py.truthy(f["value"]) ? (Py.float(f["value"]) ?? -1) : -1
                    return abs(value - n) < 0.5
                }
                return .check { c in
                    [scorerLatest(c.by("lvef")) { $0.date() }].compactMap { $0 }.filter(near)
                        + c.by("lvef").filter { near($0) && !Py.truthy($0["date"]) }
                }
            }
            if Rx.test(#"\bcns\b"#, low) { return .check { c in c.cnsNo(before: c.cnsSince()) } }
            let terms = biomarkerTerms(Rx.sub(#"\s*(as current( status)?|\(current\))"#, "", claim))
            let geneWords = Rx.sub(#"HLA-[ABC]\*\d{2}:\d{2}|\bKi-67\b|\b[A-Z][A-Z0-9-]*\d[A-Z0-9-]*\b|\bdel\([^)]*\)"#, " ", claim)
            let num = Rx.search(#"(?<![\w.])(\d+(?:\.\d+)?)\s*%?(?![\w.])"#, geneWords)?[1].flatMap { Double($0) }
            let genes = terms.isEmpty ? claimGenes(claim) : terms.map(\.gene)
            if genes.isEmpty { return nil }
            if let n = num {
                return .check { c in
                    genes.flatMap { g in
                        superseded(c.by("biomarker", unc: false).filter { x in
                            guard claimBiomarker(x).gene == g, let number = firstNumber(x["value"]) else { return false }
                            return abs(number.value - n) < 0.01
                        }, c.currentDate(g))
                    }
                }
            }
            return .check { c in
                terms.flatMap { t in
                    superseded(c.by("biomarker", unc: false).filter { x in
                        let cb = claimBiomarker(x)
                        return cb.gene == t.gene && cb.interp == t.pol && (t.cls == nil || cb.cls == t.cls)
                    }, c.currentDate(t.gene))
                }
            }
        }
        // "<therapy> started / ended <date>", "<transplant> dated <date>"
        if let m = Rx.search(#"^(.*?)\s+(started|ended|stopped|dated|on)\s+(\d{4}-\d{2}(?:-\d{2})?)"#, claim, ci: true) {
            let subject = m[1] ?? "", verb = (m[2] ?? "").lowercased()
            let d = PartialDate.parse(m[3] ?? "")
            let subjectLow = subject.lowercased()
            if Rx.test(#"transplant|\basct\b|\bsct\b|hsct"#, subjectLow) {
                let kind: String? = subjectLow.contains("allo") ? "allogeneic" : (Rx.test("auto|asct", subjectLow) ? "autologous" : nil)
                return .check { c in
                    c.by("transplant").filter { f in
                        PartialDate.matches(f.date(), d) && (kind == nil || f.string("kind") == kind || f.string("kind") == "unspecified")
                    }
                }
            }
            let ds = namedDrugs(subject)
            let field = verb == "ended" || verb == "stopped" ? "endDate" : "startDate"
            return ds.isEmpty ? nil : .check { c in c.linesWith(ds).filter { PartialDate.matches($0.date(field), d) } }
        }
        if let m = Rx.search("currently on (.+)", low) {
            let ds = namedDrugs(m[1] ?? "")
            return .check { c in c.linesWith(ds).filter { !Py.truthy($0["endDate"]) } }
        }
        // unit mix-ups
        let labs = labTerms(claim).filter { labFamily[$0.name] != nil }
        if !labs.isEmpty {
            return .check { c in labs.flatMap { c.labs($0.name, $0.value, $0.unit) } }
        }
        // everything else: the union of what the wording names
        let own = ScorerText.norm(key["diagnosis"].dict["primary"].dict["value"])
        for (crx, prx, exc) in diseaseTerms where Rx.test(crx, low) && !Rx.test(prx, own) {
            checks.append { c in c.cancers(prx).filter { f in !(exc.map { Rx.test($0, cancerID(f).text) } ?? false) } }
        }
        if low.contains("second primary") { checks.append { c in c.otherCancers() } }
        if low.contains("metastas") && !Rx.test("brain|cns|intracranial", low) {
            let sites = metastasisSites.filter { Rx.test(#"\b"# + $0 + #"\b"#, low) }
            if !sites.isEmpty {
                let rx = #"\b("# + sites.joined(separator: "|") + #")\b"#
                checks.append { c in c.cancers(rx) }
            }
        }
        let therapy = Rx.test(#"\b(received|given|prior|started|exposure)\b"#, low)
        if therapy {
            let ds = namedDrugs(claim)
            let new = ds.subtracting(keyDrugs)
            if !new.isEmpty { checks.append { c in c.linesWith(new) } }
            if low.contains("bridging") && !ds.isEmpty {
                checks.append { c in
                    c.facts.filter { $0.field == "treatment-line" && !$0.neg && $0.intent == "bridging" && c.kb.drugSet($0.v).isSubset(of: ds) }
                }
            }
            if Rx.test("car.?t|cell therap|\\btil\\b|tcr.?t|tumou?r.infiltrating", low) {
                let onlyBCMA = Rx.test("bcma car", low) && !Rx.test("(?<!bcma )car.?t", low)
                checks.append { c in c.cellTherapy().filter { !onlyBCMA || $0.text.lowercased().contains("bcma") } }
                let cells = cellProducts.subtracting(keyDrugs)
                checks.append { c in c.linesWith(cells) }
            }
            if Rx.test(#"transplant|\bhsct\b|\bsct\b"#, low) {
                let kind: String? = Rx.test(#"allogeneic|\ballo"#, low) && !low.contains("stem cell transplant") ? "allogeneic" : nil
                checks.append { c in c.by("transplant", unc: false).filter { kind == nil || $0.string("kind") == kind } }
            }
            if Rx.test("radiother|radiation", low) {
                checks.append { c in c.by("treatment-line").filter { $0.string("kind") == "radiation" } }
            }
            if Rx.test("ivig|immunoglobulin", low) {
                checks.append { c in c.by("treatment-line").filter { Rx.test("ivig|immunoglobulin", $0.text.lowercased()) } }
            }
        }
        if Rx.test(#"\bcns\b|brain|leptomening|intracranial|multifocal"#, low) && !therapy {
            if Rx.test(#"\bno cns|\bno brain"#, low) {
                checks.append { c in c.cnsNo(before: c.cnsSince()) }
            } else {
                let subs = [#"leptomening"#, #"\bnew\b"#, "multifocal", "parenchymal"].filter { Rx.test($0, low) }
                let cnsYes = Py.str(key["cns_involvement"].dict["value"]).lowercased() == "yes"
                let rx: String? = cnsYes && !subs.isEmpty ? subs.joined(separator: "|") : nil
                checks.append { c in c.cnsYes(rx) }
            }
        }
        if Rx.test(#"\bhiv\b|hbsag|hepatitis|\bhcv\b|\bhbv\b"#, low) && Rx.test("positive|active", low) {
            var classes = Set<String>()
            if low.contains("hiv") { classes.insert("hiv") }
            if low.contains("hbsag") { classes.insert("hbsag") }
            if Rx.test(#"hepatitis b|\bhbv\b"#, low) { classes.formUnion(["hbsag", "hbv dna"]) }
            if Rx.test(#"hepatitis c|\bhcv\b"#, low) { classes.formUnion(["hcv ab", "hcv rna"]) }
            checks.append { c in
                c.by("infection", unc: false).filter { $0.string("result") == "positive" && classes.contains(claimTestClass($0).test) }
            }
        }
        if Rx.test("^refractory", low) {
            checks.append { c in c.by("treatment-line").filter { $0["refractory"] == .bool(true) } }
        }
        if Rx.test("extranodal|splenic", low) && low.contains("involvement") {
            checks.append { c in c.by("stage").filter { Rx.test("[IV]+[AB]?[ES]$", Py.orEmpty($0["group"])) } }
        }
        if Rx.test(#"\bb symptoms\b"#, low) {
            checks.append { c in c.by("stage").filter { Rx.test("^[IV]+B", Py.orEmpty($0["group"])) && $0.string("system") == "Ann Arbor" } }
        }
        if !therapy && !Rx.test("^patient (has|had)", low) {
            var terms = biomarkerTerms(claim)
            if low.contains("amyloid") { terms.append(BiomarkerTerm(gene: "AMYLOID", pol: "positive", cls: nil, tokens: [])) }
            for term in terms { checks.append { c in biomarkerHits(c, term) } }
        }
        return combine(checks)
    }

    static func trapGenes(_ claim: String) -> [String] {
        let low = claim.lowercased()
        if Rx.test(notExpressibleRx, low) || Rx.test("received|given|prior|counted as", low) { return [] }
        return biomarkerTerms(claim).map(\.gene).uniqued
    }

    struct TrapResult {
        var claim: String
        /// violated, ok, not expressible or UNCHECKED.
        var status: String
        var hits: [ScoredFact]
    }

    static let notExpressible = "not expressible"

    /// `check_traps`: every must_not item of the key judged against the facts, plus borderline notes.
    static func checkTraps(_ key: AnswerKey, _ facts: [ScoredFact], _ kb: RecordsRegimens) -> (traps: [TrapResult], borderline: [String]) {
        let ctx = TrapContext(key: key, facts: facts, kb: kb)
        var out: [TrapResult] = []
        struct GeneClaim: Hashable { var gene: String; var claim: String }
        var genes: [GeneClaim] = []
        for item in key["must_not"].items {
            let claim = Py.str(item.dict["claim"])
            switch trapSpec(claim, key) {
            case nil: out.append(TrapResult(claim: claim, status: "UNCHECKED", hits: []))
            case .notExpressible?: out.append(TrapResult(claim: claim, status: notExpressible, hits: []))
            case .check(let check)?:
                let hits = check(ctx).uniqued
                out.append(TrapResult(claim: claim, status: hits.isEmpty ? "ok" : "violated", hits: hits))
                genes += trapGenes(claim).map { GeneClaim(gene: $0, claim: claim) }
            }
        }
        var borderline: [String] = []
        for gc in genes.uniqued {
            for f in ctx.valueBiomarkers(gc.gene) {
                borderline.append("\(gc.gene) given only as a value (trap: \(gc.claim.prefix(50))): \(f.text) [\(f.where_)]")
            }
        }
        return (out, borderline)
    }
}
