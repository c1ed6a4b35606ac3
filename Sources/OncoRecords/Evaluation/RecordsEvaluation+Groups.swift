import Foundation

// Field groups of the records scorer (score_records.py): demographics, diagnosis, stage,
// transplant and cell therapy, ECOG, LVEF, CNS and infections. Biomarkers, treatment
// lines, labs and must_not traps have files of their own.

typealias AnswerKey = [String: JSONValue]

enum RecordsScoring {
    // MARK: demographics

    static func demographics(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let dem = key["demographics"].dict
        let kdob = PartialDate.parse(dem["date_of_birth"].dict["value"])
        let kage = dem["age"].dict["value"]
        let ksex = ScorerText.norm(dem["sex"].dict["value"])
        var dobs = OrderedGroups<PartialDate?, ScoredFact>()
        var ages = OrderedGroups<JSONValue, ScoredFact>()
        var sexes = OrderedGroups<String, ScoredFact>()
        for f in facts where !f.neg {
            switch f.field {
            case "birth-date": dobs.append(f, to: f.date("_"))
            case "age": ages.append(f, to: f["value"] ?? .null)
            case "sex": sexes.append(f, to: ScorerText.norm(f["_"]))
            default: break
            }
        }
        let sexmap = ["m": "male", "f": "female", "man": "male", "woman": "female"]
        if let kdob {
            var hit = false
            for (c, fs) in dobs.entries {
                if let c, PartialDate.matches(c, kdob), c.day != nil { hit = true } else {
                    s.add("FP", "date of birth: product says \(PartialDate.text(c)) (key \(PartialDate.text(kdob))) [\(fs[0].where_)]")
                }
            }
            s.add(hit ? "TP" : "FN", hit ? "date of birth \(PartialDate.text(kdob))" : "date of birth: key \(PartialDate.text(kdob)), not found")
        }
        if let kage, kage != .null {
            var hit = false
            for (c, fs) in ages.entries {
                if Py.equal(c, kage) { hit = true } else {
                    s.add("FP", "age: product says \(Py.str(c)) (key \(Py.str(kage))) [\(fs[0].where_)]")
                }
            }
            s.add(hit ? "TP" : "FN", hit ? "age \(Py.str(kage))" : "age: key \(Py.str(kage)), not found")
        }
        var hit = false
        for (c, fs) in sexes.entries {
            if (sexmap[c] ?? c) == (sexmap[ksex] ?? ksex) { hit = true } else {
                s.add("FP", "sex: product says \(c) (key \(ksex)) [\(fs[0].where_)]")
            }
        }
        s.add(hit ? "TP" : "FN", hit ? "sex \(ksex)" : "sex: key \(ksex), not found")
        return s
    }

    // MARK: diagnosis

    struct Disease {
        var key: String
        var ids: Set<String>
        var text: String
        var broader: Set<String>
    }

    static let diseases: [Disease] = [
        Disease(key: "diffuse large b", ids: ["dlbcl-nos", "dlbcl", "large-b-cell-lymphoma", "dlbcl-gcb"], text: #"\bdlbcl\b|diffuse large b"#,
                broader: ["lymphoma", "b-cell-lymphoma", "non-hodgkin-lymphoma", "nhl", "aggressive-b-cell-lymphoma"]),
        Disease(key: "follicular lymphoma", ids: ["follicular-lymphoma"], text: "follicular lymphoma|^fl$",
                broader: ["lymphoma", "b-cell-lymphoma", "non-hodgkin-lymphoma", "nhl", "indolent-lymphoma"]),
        Disease(key: "lymphoblastic", ids: ["b-all", "b-lymphoblastic-leukaemia", "b-lymphoblastic-leukemia"],
                text: #"\bb all\b|b cell acute lymphoblastic|b lymphoblastic"#,
                broader: ["all", "acute-lymphoblastic-leukaemia", "acute-lymphoblastic-leukemia", "leukaemia", "leukemia", "acute-leukaemia"]),
        Disease(key: "myeloma", ids: ["multiple-myeloma", "myeloma"], text: "myeloma", broader: ["plasma-cell-neoplasm", "plasma-cell-dyscrasia"]),
        Disease(key: "lung cancer.*adenocarcinoma|lung adenocarcinoma", ids: ["lung-adenocarcinoma"],
                text: "lung adenocarcinoma|adenocarcinoma of the lung|nsclc adenocarcinoma",
                broader: ["nsclc", "lung-cancer", "adenocarcinoma", "non-small-cell-lung-cancer"]),
        Disease(key: "melanoma", ids: ["melanoma", "cutaneous-melanoma"], text: "melanoma(?! in situ)", broader: ["skin-cancer"]),
        Disease(key: "mantle cell", ids: ["mantle-cell-lymphoma"], text: #"mantle cell|\bmcl\b"#,
                broader: ["lymphoma", "b-cell-lymphoma", "non-hodgkin-lymphoma", "nhl", "cancer", "haematologic-malignancy"]),
        Disease(key: "chronic lymphocytic|small lymphocytic", ids: ["cll-sll", "cll", "chronic-lymphocytic-leukaemia", "chronic-lymphocytic-leukemia"],
                text: #"chronic lymphocytic|\bcll\b|small lymphocytic"#,
                broader: ["lymphoma", "b-cell-lymphoma", "non-hodgkin-lymphoma", "nhl", "leukaemia", "leukemia", "cancer", "haematologic-malignancy"]),
        Disease(key: "breast", ids: ["breast-cancer", "hr-positive-breast-cancer"], text: "breast (cancer|carcinoma)|carcinoma of the breast|breast primary",
                broader: ["cancer", "solid-tumour", "carcinoma", "adenocarcinoma"]),
        Disease(key: #"colorectal|\bcolon\b|rectal"#, ids: ["colorectal-cancer", "colon-cancer", "rectal-cancer"],
                text: #"colorectal|\bcolon\b|rectal|colonic"#, broader: ["cancer", "solid-tumour", "adenocarcinoma", "carcinoma"]),
        Disease(key: "synovial sarcoma", ids: ["synovial-sarcoma"], text: "synovial sarcoma", broader: ["soft-tissue-sarcoma", "sarcoma", "cancer", "solid-tumour"]),
        Disease(key: "glioblastoma", ids: ["glioblastoma"], text: #"glioblastoma|\bgbm\b"#, broader: ["glioma", "brain-tumour", "astrocytoma", "cancer", "solid-tumour"]),
    ]

    /// The key's primary cancer, its accepted concept ids / text pattern and broader ids.
    static func disease(for key: AnswerKey) -> (value: String, ids: Set<String>, text: String, broader: Set<String>) {
        let value = ScorerText.norm(key["diagnosis"].dict["primary"].dict["value"])
        for d in diseases where Rx.test(d.key, value) { return (value, d.ids, d.text, d.broader) }
        return (value, [], "^$", [])
    }

    /// `cancer_id`: the lower-cased concept id and normalised text of a cancer fact.
    static func cancerID(_ f: ScoredFact) -> (id: String, text: String) {
        let c = f.v["cancer"].map { $0.dict } ?? f.v
        return (Py.orEmpty(c["conceptID"]).lowercased(), ScorerText.norm(c["text"]))
    }

    struct DiagnosisClaim: Hashable { var id: String; var neg: Bool; var field: String }

    static func diagnosis(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let (value, ids, tre, broader) = disease(for: key)
        var claims = OrderedGroups<DiagnosisClaim, ScoredFact>()
        for f in facts where f.field == "primary-cancer" || f.field == "secondary-cancer" {
            let (cid, text) = cancerID(f)
            claims.append(f, to: DiagnosisClaim(id: cid.isEmpty ? text : cid, neg: f.neg, field: f.field))
        }
        var hit = false
        for (claim, fs) in claims.entries {
            let cid = claim.id
            let text = cancerID(fs[0]).text
            let same = ids.contains(cid) || Rx.test(tre, text)
            if claim.neg {
                if same && claim.field == "primary-cancer" {
                    s.add("FP", "negates the patient's own disease: NOT \(text) [\(fs[0].where_)]")
                } else {
                    s.add("NEUTRAL", "negated \(text)")
                }
                continue
            }
            if same && claim.field == "primary-cancer" {
                hit = true
                s.add("NEUTRAL", "matching claim \(text) (\(cid))")
            } else if broader.contains(cid) {
                s.add("NEUTRAL", "broader concept \(text) (\(cid))")
            } else {
                let unc = fs.allSatisfy(\.unc) ? " (uncertain)" : ""
                s.add("FP", "\(claim.field) \(text) (\(cid))\(unc), key: \(value) [\(fs[0].where_)]")
            }
        }
        s.add(hit ? "TP" : "FN", hit ? "primary cancer \(value)" : "primary cancer \(value): not found")
        return s
    }

    // MARK: stage

    static func stageSystems(_ system: JSONValue?) -> Set<String>? {
        let k = ScorerText.norm(system)
        if k.contains("lugano") || k.contains("ann arbor") { return ["Ann Arbor", "other"] }
        if k.contains("ajcc") || k.contains("tnm") { return ["TNM"] }
        if k.contains("r iss") { return ["R-ISS"] }
        return nil
    }

    static func stageGroup(_ value: JSONValue?) -> String? {
        Rx.match(#"\s*(?:stage\s*)?([IV]+[ABC]?\d?)\b"#, Py.orEmpty(value), ci: true)?[1]?.uppercased()
    }

    struct StageEntry {
        var systems: Set<String>
        var group: String
        var date: PartialDate?
        var current: Bool
        var text: String
    }

    struct StageClaim: Hashable { var system: String?; var group: String; var tnm: String; var date: String }

    static func stage(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let keyStages = key["stage"].items
        var entries: [StageEntry] = []
        for item in keyStages {
            let e = item.dict
            if let systems = stageSystems(e["system"]), let group = stageGroup(e["value"]) {
                entries.append(StageEntry(systems: systems, group: group, date: PartialDate.parse(e["date"]),
                                          current: ScorerText.norm(e["context"]).contains("current"),
                                          text: "\(Py.str(e["system"])) \(Py.str(e["value"]))"))
            }
        }
        let currentIndices = entries.indices.filter { entries[$0].current }
        let curIndex: Int? = currentIndices.first ?? (entries.count == 1 ? 0 : nil)
        let cur = curIndex.map { entries[$0] }
        var claims = OrderedGroups<StageClaim, ScoredFact>()
        for f in facts where f.field == "stage" && !f.neg {
            let tnm = ["t", "n", "m"].compactMap { Py.truthy(f[$0]) ? Py.str(f[$0]) : nil }.joined(separator: " ")
            claims.append(f, to: StageClaim(system: f.string("system"), group: Py.orEmpty(f["group"]).uppercased(), tnm: tnm,
                                            date: PartialDate.text(f.date())))
        }
        var hit = false
        for (claim, fs) in claims.entries {
            let system = claim.system
            let grp = claim.group
            let tnm = claim.tnm
            let shown = "\(system ?? "None") \(grp.isEmpty ? tnm : grp) (\(claim.date))"
            let systemText = ScorerText.norm(fs[0]["text"])
            func okSys(_ e: StageEntry) -> Bool {
                guard let system, e.systems.contains(system) else { return false }
                return system != "other" || systemText.contains("lugano")
            }
            if let cur, okSys(cur), grp == cur.group {
                hit = true
                s.add("NEUTRAL", "stage claim \(shown) = current")
                continue
            }
            if let cur, okSys(cur), !grp.isEmpty, cur.group.hasPrefix(grp) {
                s.add("NEUTRAL", "less specific stage \(shown) (key \(cur.text))")
                continue
            }
            if grp.isEmpty, !tnm.isEmpty, let cur, system == "TNM",
               tnm.lowercased().split(separator: " ").allSatisfy({ ScorerText.norm(cur.text).replacingOccurrences(of: " ", with: "").contains($0) }) {
                s.add("NEUTRAL", "TNM categories \(shown) consistent with key")
                continue
            }
            if grp.isEmpty, !tnm.isEmpty, let cur, let cdate = cur.date, system == "TNM",
               fs.allSatisfy({ PartialDate.before($0.date(), cdate) }) {
                s.add("NEUTRAL", "historical TNM categories \(shown), dated before the current stage")
                continue
            }
            let other = keyStages.map(\.dict).filter { e in
                !grp.isEmpty && !ScorerText.compact(e["system"]).isEmpty
                    && ScorerText.compact(e["system"]) == ScorerText.compact(system ?? "")
                    && stageSystems(e["system"]) == nil && stageGroup(e["value"]) == grp
            }
            if let first = other.first {
                s.add("NEUTRAL", "stage claim \(shown) matches the key's \(Py.str(first["system"])) entry (not an anatomic stage item)")
                continue
            }
            let hist = entries.indices.filter { $0 != curIndex && okSys(entries[$0]) && grp == entries[$0].group }
            if !hist.isEmpty {
                if let cur, let cdate = cur.date, fs.allSatisfy({ PartialDate.before($0.date(), cdate) }) {
                    s.add("NEUTRAL", "historical stage \(shown), dated before the current one")
                } else if cur == nil {
                    s.add("NEUTRAL", "stage \(shown) matches a key entry")
                } else {
                    s.add("FP", "historical stage \(shown) not marked historical (undated or not before \(PartialDate.text(cur?.date))) [\(fs[0].where_)]")
                }
                continue
            }
            s.add("FP", "stage \(shown), key current \(cur?.text ?? "none (no anatomic stage)") [\(fs[0].where_)]")
        }
        if let cur {
            s.add(hit ? "TP" : "FN", "current stage \(cur.text)" + (hit ? "" : ": not found"))
        }
        return s
    }

    // MARK: transplant and prior cell therapy

    struct TransplantClaim: Hashable { var kind: String?; var date: String; var neg: Bool }

    static func transplant(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        struct KeyTransplant { var type: String; var date: PartialDate?; var conflict: PartialDate? }
        let kts = key["transplants"].items.map { item -> KeyTransplant in
            let t = item.dict
            return KeyTransplant(type: Py.str(t["type"]).lowercased(), date: PartialDate.parse(t["date"]),
                                 conflict: PartialDate.parse(t["conflict"].dict["value"]))
        }
        var claims = OrderedGroups<TransplantClaim, ScoredFact>()
        for f in facts where f.field == "transplant" {
            claims.append(f, to: TransplantClaim(kind: f.string("kind"), date: PartialDate.text(f.date()), neg: f.neg))
        }
        var typeHit = Set<Int>(), dateHit = Set<Int>()
        var noAlloHit = false
        for (claim, fs) in claims.entries {
            let kind = claim.kind
            let kindText = kind ?? "None"
            let cd = fs[0].date()
            if claim.neg {
                if (kind == "allogeneic" && !kts.contains { $0.type == "allogeneic" }) || (kind == "unspecified" && kts.isEmpty) {
                    noAlloHit = true
                    s.add("NEUTRAL", "negated \(kindText) transplant")
                } else if kts.contains(where: { $0.type == kind || kind == "unspecified" }) {
                    s.add("FP", "negates the patient's transplant: NOT \(kindText) [\(fs[0].where_)]")
                } else {
                    s.add("NEUTRAL", "negated \(kindText) transplant")
                }
                continue
            }
            let idx = kts.indices.filter { kts[$0].type == kind || kind == "unspecified" }
            if idx.isEmpty {
                let has = kts.isEmpty ? "none" : kts.map(\.type).joined(separator: ", ")
                s.add("FP", "\(kindText) transplant (\(claim.date)) but the key has \(has) [\(fs[0].where_)]")
                continue
            }
            typeHit.formUnion(idx)
            if cd == nil {
                s.add("NEUTRAL", "\(kindText) transplant, undated")
            } else if idx.contains(where: { PartialDate.matches(cd, kts[$0].date) }) {
                dateHit.formUnion(idx.filter { PartialDate.matches(cd, kts[$0].date) })
                s.add("NEUTRAL", "\(kindText) transplant \(claim.date) = key")
            } else {
                let conf = idx.contains { kts[$0].conflict != nil && PartialDate.matches(cd, kts[$0].conflict) }
                s.add("FP", "\(kindText) transplant dated \(claim.date), key \(PartialDate.text(kts[idx[0]].date))"
                    + (conf ? " (the non-preferred conflicting date, not flagged)" : "") + " [\(fs[0].where_)]")
            }
        }
        for (i, t) in kts.enumerated() {
            s.add(typeHit.contains(i) ? "TP" : "FN", "transplant type \(t.type)" + (typeHit.contains(i) ? "" : ": not found"))
            s.add(dateHit.contains(i) ? "TP" : "FN", "\(t.type) transplant date \(PartialDate.text(t.date))" + (dateHit.contains(i) ? "" : ": not found"))
        }
        if let pa = key["prior_allogeneic_transplant"], pa.isDict, Py.str(pa.dict["value"]).lowercased() == "no", Py.truthy(pa.dict["evidence"]) {
            s.add(noAlloHit ? "TP" : "FN", "no prior allogeneic transplant" + (noAlloHit ? "" : ": not stated"))
        }
        let pcRaw = Py.truthy(key["prior_car_t"]) ? key["prior_car_t"]! : .object([:])
        let kval = (pcRaw.isDict ? Py.str(pcRaw.dict["value"]) : Py.str(pcRaw)).lowercased()
        let accept = pcRaw.isDict ? Set(pcRaw.dict["accept"].items.map { Py.str($0).lowercased() }) : []
        let yes = facts.filter { $0.field == "prior-cell-therapy" && !$0.neg }
        let no = facts.filter { $0.field == "prior-cell-therapy" && $0.neg }
        let wantYes = kval.hasPrefix("yes")
        let hit = wantYes ? !yes.isEmpty : !no.isEmpty
        for (label, fs, good) in [("yes", yes, wantYes), ("no", no, !wantYes)] where !fs.isEmpty && !good {
            s.add("FP", "prior cell therapy \(label): \(fs[0].text) [\(fs[0].where_)]")
        }
        if hit {
            s.add("TP", "prior cell therapy \(kval)")
        } else if !(accept.contains("not mentioned") && yes.isEmpty && no.isEmpty) {
            s.add("FN", "prior cell therapy \(kval): not stated")
        }
        return s
    }

    // MARK: ECOG, LVEF, CNS

    static func ecog(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let ecog = key["ecog"].items
        guard let first = ecog.first else { return s }
        let cur = first.dict
        let cval = cur["value"]
        let cdate = PartialDate.parse(cur["date"])
        let old = ecog.dropFirst().map { $0.dict["value"] }
        let fs = facts.filter { $0.field == "performance-status" && $0["scale"] == .string("ECOG") && !$0.neg }
        let lt = scorerLatest(fs) { $0.date() }
        var seen: [JSONValue?] = []
        for f in fs {
            let sc = f["score"]
            if Py.equal(sc, cval) || seen.contains(where: { Py.equal($0, sc) }) {
                seen.append(sc)
                continue
            }
            seen.append(sc)
            if old.contains(where: { Py.equal($0, sc) }), let lt, !Py.equal(lt["score"], sc), PartialDate.before(f.date(), cdate) {
                s.add("NEUTRAL", "superseded ECOG \(Py.str(sc)) dated \(PartialDate.text(f.date()))")
            } else {
                s.add("FP", "ECOG \(Py.str(sc)) (\(PartialDate.text(f.date()))), key current ECOG \(Py.str(cval)) [\(f.where_)]")
            }
        }
        let ok = lt != nil && Py.equal(lt?["score"], cval)
        s.add(ok ? "TP" : "FN", "latest ECOG \(Py.str(cval))" + (ok ? "" : ": product's latest is \(lt?.text ?? "none")"))
        return s
    }

    /// `in_value`: a number within the key's value or range ("60-65").
    static func inValue(_ value: JSONValue?, _ keyValue: JSONValue?) -> Bool {
        guard let v = Py.float(value) else { return false }
        let text = Py.str(keyValue)
        if let m = Rx.match(#"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$"#, text), let lo = Double(m[1] ?? ""), let hi = Double(m[2] ?? "") {
            return lo <= v && v <= hi
        }
        guard let k = Py.float(keyValue) else { return false }
        return abs(k - v) < 0.5
    }

    struct LVEFClaim: Hashable { var value: JSONValue; var date: String }

    static func lvef(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let lv = key["lvef"].dict
        guard let curValue = lv["current"], Py.truthy(curValue) else { return s }
        let cur = curValue.dict
        let hist = lv["historical"]
        let fs = facts.filter { $0.field == "lvef" && !$0.neg }
        let lt = scorerLatest(fs) { $0.date() }
        var seen = Set<LVEFClaim>()
        for f in fs {
            let val = f["value"]
            let claim = LVEFClaim(value: val ?? .null, date: PartialDate.text(f.date()))
            if seen.contains(claim) { continue }
            seen.insert(claim)
            if inValue(val, cur["value"]) { continue }
            if Py.truthy(hist), inValue(val, hist.dict["value"]), PartialDate.before(f.date(), PartialDate.parse(cur["date"])) {
                s.add("NEUTRAL", "baseline LVEF \(Py.str(val)) dated \(claim.date)")
            } else {
                s.add("FP", "LVEF \(Py.str(val)) (\(claim.date)), key current \(Py.str(cur["value"])) [\(f.where_)]")
            }
        }
        let ok = lt.map { inValue($0["value"], cur["value"]) } ?? false
        s.add(ok ? "TP" : "FN", "LVEF \(Py.str(cur["value"]))%" + (ok ? "" : ": product's latest is \(lt?.text ?? "none")"))
        return s
    }

    static let cnsSubfinding = #"leptomening|\bnew\b|parenchymal|cranial nerve"#

    static func cnsGeneralNegation(_ f: ScoredFact) -> Bool {
        f.field == "cns-involvement" && f.neg && !Rx.test(cnsSubfinding, Py.orEmpty(f["text"]).lowercased())
    }

    static func cns(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let c = key["cns_involvement"].dict
        let kval = Py.str(c["value"]).lowercased()
        let accept = Set([kval] + c["accept"].items.map { Py.str($0).lowercased() })
        let fs = facts.filter { $0.field == "cns-involvement" }
        let yes = fs.filter { !$0.neg }
        let no = fs.filter(cnsGeneralNegation)
        for f in fs where f.neg && !cnsGeneralNegation(f) { s.add("NEUTRAL", "negated sub-finding \(f.text)") }
        if let first = yes.first, !accept.contains("yes") {
            s.add("FP", "CNS involvement asserted: \(first.text)\(yes.allSatisfy(\.unc) ? " (uncertain)" : ""), key \(kval) [\(first.where_)]")
        }
        if let first = no.first, !accept.contains("no") {
            s.add("FP", "no CNS involvement asserted: \(first.text), key \(kval) [\(first.where_)]")
        }
        let pref = scorerPreferred(fs)
        let resolved: String? = pref.map { $0.neg ? "no" : "yes" }
        if kval == "unknown" {
            if let resolved, accept.contains(resolved) { s.add("TP", "CNS \(resolved) (accepted)") }
            return s
        }
        let ok = resolved.map(accept.contains) ?? false
        s.add(ok ? "TP" : "FN", "CNS involvement \(kval)" + (ok ? "" : ": product resolves to \(resolved ?? "nothing")\(pref.map { " (\($0.text))" } ?? "")"))
        return s
    }

    // MARK: infections

    struct InfectionItem: Hashable { var agent: String?; var test: String; var result: String? }

    /// `infection_tests`: a key infection_screen entry as (agent, test class, result) items.
    static func infectionTests(_ test: JSONValue?, _ result: JSONValue?) -> [InfectionItem] {
        let t = ScorerText.norm(test), r = ScorerText.norm(result)
        var parts: [(String, String)] = []
        if t.contains("hiv") { parts.append(("HIV", "hiv")) }
        if t.contains("hbsag") || t.contains("hepatitis b") { parts.append(("HBV", "hbsag")) }
        if t.contains("anti hbc") || t.contains("hbc") { parts.append(("HBV", "anti-hbc")) }
        if t.contains("hbv dna") { parts = parts.filter { $0.1 != "hbsag" } + [("HBV", "hbv dna")] }
        if t.contains("hcv") || t.contains("hepatitis c") { parts.append(("HCV", "hcv ab")) }
        let rs = Rx.split("/", r).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return parts.enumerated().map { i, part in
            let ri = rs.count == parts.count ? rs[i] : r
            let positive = Rx.test(#"\bpositive\b|\bdetected\b|reactive"#, ri) && !Rx.test("negative|not detected|nonreactive|non reactive", ri)
            return InfectionItem(agent: part.0, test: part.1, result: positive ? "positive" : "negative")
        }
    }

    /// `claim_test_class`.
    static func claimTestClass(_ f: ScoredFact) -> (agent: String?, test: String) {
        let agent = f.string("agent")
        let t = ScorerText.norm(f["test"])
        if agent == "HBV" {
            if t.contains("hbc") { return (agent, "anti-hbc") }
            if t.contains("dna") || t.contains("viral load") { return (agent, "hbv dna") }
            if t.contains("hbs") && t.contains("anti") { return (agent, "anti-hbs") }
            return (agent, "hbsag")
        }
        if agent == "HCV" { return (agent, t.contains("rna") ? "hcv rna" : "hcv ab") }
        return (agent, "hiv")
    }

    static func infections(_ key: AnswerKey, _ facts: [ScoredFact]) -> GroupScore {
        var s = GroupScore()
        let items = key["infection_screen"].items.flatMap { infectionTests($0.dict["test"], $0.dict["result"]) }.uniqued
        var claims = OrderedGroups<InfectionItem, ScoredFact>()
        for f in facts where f.field == "infection" && !f.neg {
            let (agent, test) = claimTestClass(f)
            claims.append(f, to: InfectionItem(agent: agent, test: test, result: f.string("result")))
        }
        var found = Set<Int>()
        for (claim, fs) in claims.entries {
            let hit = items.indices.filter { items[$0] == claim }
            if !hit.isEmpty {
                found.formUnion(hit)
            } else if let same = items.first(where: { $0.agent == claim.agent && $0.test == claim.test }) {
                s.add("FP", "\(fs[0].text), key: \(same.result ?? "None") [\(fs[0].where_)]")
            } else {
                s.add("UNSCORED", "\(fs[0].text) (test not in key)")
            }
        }
        for (i, item) in items.enumerated() {
            s.add(found.contains(i) ? "TP" : "FN", "\(item.test) \(item.result ?? "None")" + (found.contains(i) ? "" : ": not found"))
        }
        return s
    }
}
