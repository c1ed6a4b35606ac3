import Foundation
import Yams

// Treatment lines of the records scorer: drug names in free text (with the scorer's own
// regimen table), the knowledge base's regimens (read from knowledge/drugs/*.yaml to
// replicate the product's line counting: OncoMatch CaseReading.countLines/priorLineCount),
// and the line count and regimen items.

extension RecordsScoring {
    static let drugAliases: [(String, String)] = [
        ("prednisolone", "prednisone"), ("dara", "daratumumab"), ("pom", "pomalidomide"), ("dex", "dexamethasone"),
        ("len", "lenalidomide"), ("cy", "cyclophosphamide"), ("ara c", "cytarabine"), ("polatuzumab", "polatuzumab-vedotin"),
        ("polatuzumab vedotin", "polatuzumab-vedotin"), ("inotuzumab", "inotuzumab-ozogamicin"),
        ("inotuzumab ozogamicin", "inotuzumab-ozogamicin"), ("belantamab", "belantamab-mafodotin"),
        ("belantamab mafodotin", "belantamab-mafodotin"), ("hydroxycarbamide", "hydroxyurea"),
        ("peg asparaginase", "pegaspargase"), ("pegylated asparaginase", "pegaspargase"), ("6 mercaptopurine", "mercaptopurine"),
        ("6 mp", "mercaptopurine"), ("6 thioguanine", "thioguanine"), ("trastuzumab deruxtecan", "trastuzumab-deruxtecan"),
        ("t dxd", "trastuzumab-deruxtecan"), ("tdxd", "trastuzumab-deruxtecan"), ("sacituzumab govitecan", "sacituzumab-govitecan"),
        ("sacituzumab", "sacituzumab-govitecan"), ("datopotamab deruxtecan", "datopotamab-deruxtecan"),
        ("brentuximab vedotin", "brentuximab-vedotin"), ("loncastuximab", "loncastuximab-tesirine"),
        ("afamitresgene autoleucel", "afamitresgene-autoleucel"), ("afami cel", "afamitresgene-autoleucel"),
        ("brexucabtagene autoleucel", "brexucabtagene-autoleucel"), ("brexu cel", "brexucabtagene-autoleucel"),
        ("lisocabtagene maraleucel", "lisocabtagene-maraleucel"), ("liso cel", "lisocabtagene-maraleucel"),
        ("axicabtagene ciloleucel", "axicabtagene-ciloleucel"), ("axi cel", "axicabtagene-ciloleucel"), ("tisa cel", "tisagenlecleucel"),
        ("ciltacabtagene autoleucel", "ciltacabtagene"), ("cilta cel", "ciltacabtagene"), ("idecabtagene vicleucel", "idecabtagene"),
        ("ide cel", "idecabtagene"), ("ccnu", "lomustine"), ("tmz", "temozolomide"), ("5 fu", "fluorouracil"), ("5 fluorouracil", "fluorouracil"),
        ("folinic acid", "leucovorin"), ("mitoxantrone", "mitoxantrone"), ("asparaginase", "pegaspargase"),
    ]
    static let drugAliasMap = Dictionary(drugAliases, uniquingKeysWith: { _, new in new })

    static let knownDrugs: Set<String> = Set("""
        rituximab cyclophosphamide doxorubicin vincristine prednisone ifosfamide carboplatin etoposide
        carmustine cytarabine melphalan bendamustine lenalidomide mosunetuzumab blinatumomab bortezomib dexamethasone
        daratumumab pomalidomide carfilzomib talquetamab osimertinib pembrolizumab ipilimumab nivolumab hydroxyurea
        methotrexate hydrocortisone tacrolimus tazemetostat pegaspargase daunorubicin mercaptopurine thioguanine imatinib dasatinib nilotinib ponatinib bosutinib teclistamab
        elranatamab idecabtagene ciltacabtagene glofitamab epcoritamab amivantamab pemetrexed cisplatin docetaxel
        paclitaxel relatlimab dabrafenib trametinib vemurafenib cobimetinib encorafenib binimetinib infliximab
        atezolizumab durvalumab cemiplimab lifileucel temozolomide dacarbazine ibrutinib acalabrutinib
        zanubrutinib pirtobrutinib venetoclax obinutuzumab fludarabine chlorambucil isatuximab selinexor linvoseltamab mitoxantrone
        fulvestrant palbociclib ribociclib abemaciclib alpelisib capivasertib everolimus elacestrant letrozole anastrozole exemestane
        tamoxifen capecitabine oxaliplatin fluorouracil leucovorin irinotecan bevacizumab cetuximab panitumumab regorafenib
        trifluridine dostarlimab tremelimumab relatlimab pazopanib trabectedin eribulin lomustine denosumab zoledronic tisagenlecleucel
        asciminib tarlatamab odronextamab
        """.split(whereSeparator: \.isWhitespace).map(String.init)).union([
            "trastuzumab-deruxtecan", "sacituzumab-govitecan", "datopotamab-deruxtecan", "brentuximab-vedotin", "loncastuximab-tesirine",
            "afamitresgene-autoleucel", "brexucabtagene-autoleucel", "lisocabtagene-maraleucel", "axicabtagene-ciloleucel",
            "polatuzumab-vedotin", "inotuzumab-ozogamicin", "belantamab-mafodotin",
        ])

    /// The scorer's own regimen table (key side).
    static let myRegimens: [(String, Set<String>)] = [
        ("rchop", ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]),
        ("rchop21", ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"]),
        ("rice", ["rituximab", "ifosfamide", "carboplatin", "etoposide"]),
        ("beam", ["carmustine", "etoposide", "cytarabine", "melphalan"]),
        ("br", ["bendamustine", "rituximab"]), ("r2", ["lenalidomide", "rituximab"]),
        ("vrd", ["bortezomib", "lenalidomide", "dexamethasone"]), ("dpd", ["daratumumab", "pomalidomide", "dexamethasone"]),
        ("kcd", ["carfilzomib", "cyclophosphamide", "dexamethasone"]),
        ("calgb10403", ["pegaspargase", "vincristine", "daunorubicin", "prednisone", "cyclophosphamide", "cytarabine",
                        "mercaptopurine", "methotrexate", "doxorubicin", "dexamethasone", "thioguanine"]),
        ("polabr", ["polatuzumab-vedotin", "bendamustine", "rituximab"]),
        ("intrathecaltripletherapy", ["methotrexate", "cytarabine", "hydrocortisone"]),
    ]

    /// Further regimen acronyms, matched as whole words of the normalised text.
    static let wordRegimens: [(String, Set<String>)] = [
        (#"\bfcr\b"#, ["fludarabine", "cyclophosphamide", "rituximab"]), (#"\bven ?r\b"#, ["venetoclax", "rituximab"]),
        (#"\bven ?o\b"#, ["venetoclax", "obinutuzumab"]), (#"\bdara ?kd\b|\bdkd\b"#, ["daratumumab", "carfilzomib", "dexamethasone"]),
        (#"\bkd\b"#, ["carfilzomib", "dexamethasone"]), (#"\bisa ?pd\b"#, ["isatuximab", "pomalidomide", "dexamethasone"]),
        (#"\bukall ?r3\b"#, ["mitoxantrone", "dexamethasone", "vincristine", "pegaspargase", "methotrexate"]),
        (#"\bicicle\b"#, ["prednisone", "vincristine", "daunorubicin", "pegaspargase", "methotrexate", "cyclophosphamide",
                          "cytarabine", "mercaptopurine", "dexamethasone", "doxorubicin", "thioguanine"]),
        (#"\bcapox\b|\bxelox\b"#, ["capecitabine", "oxaliplatin"]), (#"\bfolfox\b"#, ["fluorouracil", "leucovorin", "oxaliplatin"]),
        (#"\bfolfiri\b"#, ["fluorouracil", "leucovorin", "irinotecan"]),
        (#"\bfolfirinox\b"#, ["fluorouracil", "leucovorin", "irinotecan", "oxaliplatin"]),
        (#"\b(dd ?)?ac ?t\b"#, ["doxorubicin", "cyclophosphamide", "paclitaxel"]), (#"\bstupp\b"#, ["temozolomide"]),
        (#"\bt ?dxd\b"#, ["trastuzumab-deruxtecan"]),
    ]

    private static let aliasPatterns: [(String, String)] = drugAliases.map { (#"(?<![a-z0-9])"# + Rx.escape($0.0) + "(?![a-z0-9])", $0.1) }
    private static let knownDrugPatterns: [(String, String)] = knownDrugs.sorted().map {
        (#"(?<![a-z0-9])"# + Rx.escape($0.replacingOccurrences(of: "-", with: " ")) + "(?![a-z0-9])", $0)
    }

    /// `drugs_in_text`: canonical drugs named in free text (regimen acronyms expanded with the scorer's table).
    static func drugsInText(_ text: String) -> Set<String> {
        let t = " " + ScorerText.norm(text) + " "
        var out = Set<String>()
        let c = ScorerText.compact(text)
        for (reg, ds) in myRegimens {
            if reg == "r2" || reg == "br" {
                if Rx.test("(?<![a-z0-9])\(reg)(?![a-z0-9])", t) { out.formUnion(ds) }
            } else if c.contains(reg) {
                out.formUnion(ds)
            }
        }
        for (rx, ds) in wordRegimens where Rx.test(rx, t) { out.formUnion(ds) }
        for (rx, d) in aliasPatterns where Rx.test(rx, t) { out.insert(d) }
        for (rx, d) in knownDrugPatterns where Rx.test(rx, t) { out.insert(d) }
        return out
    }

    static func drugsInText(_ value: JSONValue?) -> Set<String> { drugsInText(Py.orEmpty(value)) }

    static func principalText(_ regimen: String) -> String {
        Rx.split(#"\s+(?:followed by|salvage|induction|consolidated|x\s*\d|x\d|\(|\d)|,|;"#, regimen, maxSplit: 1)[0]
    }

    static let excludedIntents: Set<String> = ["bridging", "maintenance", "consolidation", "conditioning"]

    /// `product_count_lines`: the product's line count and the facts of each counted line.
    static func productCountLines(_ facts: [ScoredFact], _ kb: RecordsRegimens) -> (count: Int, groups: [[ScoredFact]]) {
        let cands = facts.filter { f in
            f.field == "treatment-line" && !f.neg && f.isSystemic && !(f.intent.map(excludedIntents.contains) ?? false)
        }.enumerated().sorted { a, b in
            let x = Py.truthy(a.element["lineNumber"]) ? Py.float(a.element["lineNumber"]) ?? 99 : 99
            let y = Py.truthy(b.element["lineNumber"]) ? Py.float(b.element["lineNumber"]) ?? 99 : 99
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        var position: [String: Int] = [:], numbered: [String: Int] = [:]
        var result: [[ScoredFact]] = []
        for f in cands {
            let reg = kb.regimenKey(f.v)
            let key: String
            if Py.truthy(f["lineNumber"]) {
                key = "#" + Py.str(f["lineNumber"])
                if !reg.isEmpty && numbered[reg] == nil { numbered[reg] = position[key] ?? result.count }
            } else if let index = numbered[reg] {
                result[index].append(f)
                continue
            } else {
                let sd = f.date("startDate")
                key = reg + "@" + (sd.map { "\($0.year)-\($0.month ?? 0)" } ?? "?")
            }
            if let index = position[key] {
                result[index].append(f)
            } else {
                position[key] = result.count
                result.append([f])
            }
        }
        let numbers = result.flatMap { $0 }.compactMap { Py.truthy($0["lineNumber"]) ? Py.float($0["lineNumber"]) : nil }
        return (max(result.count, Int(numbers.max() ?? 0)), result)
    }

    struct KeyLine {
        var line: String
        var regimen: String
        var full: Set<String>
        var principal: Set<String>
    }

    static func keyLines(_ key: AnswerKey) -> [KeyLine] {
        key["lines_of_therapy"].items.map { item in
            let ln = item.dict
            var full = Set<String>()
            let drugs = ln["drugs"]
            for d in (drugs?.isList == true ? drugs.items : [drugs ?? .null]) { full.formUnion(drugsInText(d)) }
            full.formUnion(drugsInText(ln["regimen"]))
            let principal = drugsInText(principalText(Py.str(ln["regimen"])))
            return KeyLine(line: Py.str(ln["line"]), regimen: Py.str(ln["regimen"]), full: full, principal: principal.isEmpty ? full : principal)
        }
    }

    /// Drugs named as conditioning, GVHD prophylaxis or ongoing current therapy in the key.
    static func neutralDrugs(_ key: AnswerKey) -> Set<String> {
        var text: [String] = []
        for t in key["transplants"].items {
            text += [Py.orEmpty(t.dict["conditioning"]), Py.orEmpty(t.dict["gvhd"])]
        }
        if let cur = key["current_therapy"], Py.truthy(cur) {
            text.append(cur.isDict ? Py.str(cur.dict["value"]) : Py.str(cur))
        }
        return drugsInText(text.joined(separator: " ; "))
    }

    static func lines(_ key: AnswerKey, _ facts: [ScoredFact], _ kb: RecordsRegimens) -> (score: GroupScore, count: Int) {
        var s = GroupScore()
        let klines = keyLines(key)
        let neutral = neutralDrugs(key)
        let (count, groups) = productCountLines(facts, kb)
        let kcount = key["prior_systemic_lines_count"]
        let accept: Set<Int> = (kcount == nil || kcount == .null) ? [] :
            Set(Rx.all(#"(?<![\w.])(\d+)(?![\w.])"#, Py.str(kcount)).compactMap { $0[1].flatMap { Int($0) } })
        if !accept.isEmpty {
            if accept.contains(count) {
                s.add("TP", "prior-line count \(count)")
            } else {
                s.add("FN", "prior-line count: key \(Py.str(kcount))")
                if count != 0 {
                    let shown = groups.map { String(Set($0.map(\.text)).sorted().joined(separator: " / ").prefix(60)) }.joined(separator: "; ")
                    s.add("FP", "prior-line count \(count) by the product's own counting rule (\(shown))")
                }
            }
        }
        var found = Set<Int>()
        let allFull = klines.reduce(into: neutral) { $0.formUnion($1.full) }
        func judge(_ ds: Set<String>, _ label: String, _ where_: String) {
            for (i, k) in klines.enumerated() where !ds.isEmpty && (ds == k.principal || ds == k.full || (k.principal.isSubset(of: ds) && ds.isSubset(of: k.full))) {
                found.insert(i)
                s.add("NEUTRAL", "line claim \(label) = key line \(k.line) (\(k.regimen.prefix(40)))")
                return
            }
            for k in klines where !ds.isEmpty && ds.isStrictSubset(of: k.full) {
                s.add("NEUTRAL", "line claim \(label): part of key line \(k.line) (\(k.regimen.prefix(40)))")
                return
            }
            if !ds.isEmpty && ds.isSubset(of: allFull) {
                s.add("NEUTRAL", "line claim \(label): conditioning / current therapy / components named in the key")
                return
            }
            s.add("FP", "line claim \(label) matches no key line (key: \(klines.map { String($0.regimen.prefix(30)) }.joined(separator: "; "))) [\(where_)]")
        }
        for g in groups {
            let ds = g.reduce(into: Set<String>()) { $0.formUnion(kb.drugSet($1.v)) }
            judge(ds, String(Set(g.map(\.text)).sorted().joined(separator: " / ").prefix(90)), g[0].where_)
        }
        struct Seen: Hashable { var drugs: Set<String>; var tag: String }
        var seen = Set<Seen>()
        for f in facts where f.field == "treatment-line" {
            let ds = kb.drugSet(f.v)
            if f.neg {
                guard seen.insert(Seen(drugs: ds, tag: "\u{0}negated")).inserted else { continue }
                if klines.contains(where: { !ds.isEmpty && ($0.principal.isSubset(of: ds) || ds == $0.full) }) {
                    s.add("FP", "negates a line the patient received: \(f.text) [\(f.where_)]")
                } else {
                    s.add("NEUTRAL", "negated \(f.text)")
                }
            } else if !f.isSystemic {
                s.add("NEUTRAL", "non-systemic treatment \(f.text)")
            } else if let intent = f.intent, excludedIntents.contains(intent) {
                guard seen.insert(Seen(drugs: ds, tag: intent)).inserted else { continue }
                if intent == "bridging" {
                    if !ds.isEmpty && ds.isSubset(of: neutral) {
                        s.add("NEUTRAL", "bridging \(f.text) (current therapy in key)")
                    } else {
                        s.add("FP", "bridging therapy not in the key: \(f.text) [\(f.where_)]")
                    }
                } else {
                    judge(ds, f.text, f.where_)
                }
            }
        }
        for (i, k) in klines.enumerated() {
            s.add(found.contains(i) ? "TP" : "FN", "line \(k.line): \(k.regimen.prefix(60))" + (found.contains(i) ? "" : ": not found"))
        }
        return (s, count)
    }
}

/// The product's regimen and drug names from the knowledge base's YAML (only to replicate
/// its line counting); without the files the scorer's own regimen table stands in.
public struct RecordsRegimens: Sendable {
    var regimens: [String: Set<String>] = [:]
    var regimenTerms: [String: [String]] = [:]
    var drugTerms: [String: [String]] = [:]

    public init(knowledgeDirectory: URL) {
        let drugsDir = knowledgeDirectory.appendingPathComponent("drugs")
        if let root = try? RecordsYAML.load(drugsDir.appendingPathComponent("regimens.yaml")), case .array(let list)? = root["regimens"] {
            for item in list {
                let r = item.dict
                let id = Py.str(r["id"])
                regimens[id] = Set(r["drugs"].items.map { Py.str($0) })
                for term in [r["acronym"], r["id"], r["name"]] + r["synonyms"].items.map({ Optional($0) }) where Py.truthy(term) {
                    Self.add(id, to: &regimenTerms, ScorerText.compact(term))
                }
            }
        } else {
            for (k, v) in RecordsScoring.myRegimens {
                regimens[k] = v
                regimenTerms[k] = [k]
            }
        }
        if let root = try? RecordsYAML.load(drugsDir.appendingPathComponent("drugs.yaml")), case .array(let list)? = root["drugs"] {
            for item in list {
                let d = item.dict
                let id = Py.str(d["id"])
                let terms = [d["generic"], d["id"]] + d["brands"].items.map { Optional($0) } + d["synonyms"].items.map { Optional($0) }
                for term in terms where Py.truthy(term) { Self.add(id, to: &drugTerms, ScorerText.compact(term)) }
            }
        }
    }

    private static func add(_ id: String, to table: inout [String: [String]], _ term: String) {
        if !(table[term]?.contains(id) ?? false) { table[term, default: []].append(id) }
    }

    func regimen(_ coded: JSONValue?) -> String? {
        guard Py.truthy(coded) else { return nil }
        let c = coded.dict
        if case .string(let id)? = c["conceptID"], regimens[id] != nil { return id }
        let ids = regimenTerms[ScorerText.compact(c["text"])] ?? []
        return ids.count == 1 ? ids[0] : nil
    }

    func drug(_ coded: JSONValue) -> String? {
        let c = coded.dict
        if Py.truthy(c["conceptID"]) { return Py.str(c["conceptID"]) }
        let ids = drugTerms[ScorerText.compact(c["text"])] ?? []
        return ids.count == 1 ? ids[0] : nil
    }

    /// CaseReading.regimenKey.
    func regimenKey(_ v: [String: JSONValue]) -> String {
        var drugs = Set<String>()
        if let rid = regimen(v["regimen"]) { drugs.formUnion(regimens[rid] ?? []) }
        for coded in v["drugs"].items { drugs.insert(drug(coded) ?? Py.str(coded.dict["text"]).lowercased()) }
        if drugs.isEmpty, let reg = v["regimen"], Py.truthy(reg) {
            let c = reg.dict
            drugs.insert(Py.truthy(c["conceptID"]) ? Py.str(c["conceptID"]) : Py.str(c["text"]).lowercased())
        }
        return drugs.sorted().joined(separator: "+")
    }

    func drugSet(_ v: [String: JSONValue]) -> Set<String> {
        var ds = Set<String>()
        if let rid = regimen(v["regimen"]) {
            ds.formUnion(regimens[rid] ?? [])
        } else if let reg = v["regimen"], Py.truthy(reg) {
            let found = RecordsScoring.drugsInText(reg.dict["text"])
            ds.formUnion(found.isEmpty ? [ScorerText.compact(reg.dict["text"])] : found)
        }
        for coded in v["drugs"].items {
            let d = drug(coded) ?? ScorerText.compact(coded.dict["text"])
            ds.insert(RecordsScoring.drugAliasMap[d] ?? d)
        }
        return Set(ds.map { RecordsScoring.drugAliasMap[$0] ?? $0 })
    }
}
