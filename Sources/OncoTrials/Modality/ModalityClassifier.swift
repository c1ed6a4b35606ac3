import Foundation
import OncoKnowledge

/// Tells which therapy modalities a study tests, from its interventions (names, other
/// names, descriptions, types) and the registry's intervention MeSH terms.
///
/// Rules are patterns over the intervention text, written to avoid the classic false
/// positives: "CAR" must be a capitalised token (not "cartilage", "carboplatin", "care"),
/// "TIL" likewise, and vaccines against infections are not cancer vaccines. Product names
/// come from the lexicon (`ConceptLexicon.Entry.modality`). The title is deliberately not
/// read: "after CAR-T failure" in a bispecific trial's title must not make it a CAR-T trial.
public struct ModalityClassifier: Sendable {
    public var lexicon: ConceptLexicon

    public init(lexicon: ConceptLexicon = .oncologyDefault) {
        self.lexicon = lexicon
    }

    /// One classified modality with the text that triggered it.
    public struct Evidence: Sendable, Hashable {
        public var modality: TherapyModality
        public var matchedText: String
    }

    public func classify(_ study: Study) -> Set<TherapyModality> {
        Set(evidence(interventions: study.interventions, meshTerms: study.interventionMeshTerms.compactMap(\.term)).map(\.modality))
    }

    public func classify(interventions: [Study.Intervention], meshTerms: [String] = []) -> Set<TherapyModality> {
        Set(evidence(interventions: interventions, meshTerms: meshTerms).map(\.modality))
    }

    /// The modalities with the matched text, one entry per modality.
    public func evidence(interventions: [Study.Intervention], meshTerms: [String] = []) -> [Evidence] {
        var found: [TherapyModality: String] = [:]
        // Names, other names and MeSH terms say what is given; descriptions also say what is
        // measured ("NK-cell counts"), so NK cells count only when named.
        var names = interventions.map { ([$0.name] + ($0.otherNames ?? []).map(Optional.some)).compactMap { $0 }.joined(separator: " ; ") }
        names.append(contentsOf: meshTerms)
        let descriptions = interventions.compactMap(\.description)
        for (text, isDescription) in names.map({ ($0, false) }) + descriptions.map({ ($0, true) }) {
            for (modality, matched) in classifyText(text) where found[modality] == nil {
                if isDescription, modality == .nkCell { continue }
                found[modality] = matched
            }
        }
        if found.isEmpty, !interventions.isEmpty { found[.other] = interventions.first?.name ?? "" }
        return found.map { Evidence(modality: $0.key, matchedText: $0.value) }
            .sorted { $0.modality.rawValue < $1.modality.rawValue }
    }

    /// Modalities named in one intervention's text.
    func classifyText(_ text: String) -> [TherapyModality: String] {
        var result: [TherapyModality: String] = [:]
        let range = NSRange(text.startIndex..., in: text)
        func first(_ pattern: NSRegularExpression) -> String? {
            guard let match = pattern.firstMatch(in: text, range: range), let r = Range(match.range, in: text) else { return nil }
            return String(text[r])
        }
        let rules = Self.rules
        let nk = first(rules.nk)
        if let car = first(rules.car) {
            if let nk { result[.nkCell] = "\(car) … \(nk)" } else { result[.carT] = car }
        } else if let nk {
            result[.nkCell] = nk
        }
        if let tcr = first(rules.tcr), first(rules.tcrExclude) == nil { result[.tcrT] = tcr }
        if let til = first(rules.til) { result[.til] = til }
        if let virus = first(rules.oncolytic) { result[.oncolyticVirus] = virus }
        if let edit = first(rules.editing) { result[.crisprEdited] = edit }
        if let vaccine = first(rules.vaccine), first(rules.infectionVaccine) == nil { result[.vaccine] = vaccine }
        if let bispecific = first(rules.bispecific) { result[.bispecific] = bispecific }
        if let transplant = first(rules.transplant) { result[.transplant] = transplant }
        if let checkpoint = first(rules.checkpoint) { result[.checkpointInhibitor] = checkpoint }
        if let targeted = first(rules.targeted) { result[.targetedTherapy] = targeted }
        let engineeredCell = result[.carT] != nil || result[.tcrT] != nil || result[.nkCell] != nil || result[.til] != nil
        // A CAR-T product is also "gene modified"; gene transfer means the gene is the drug.
        if !engineeredCell, let gene = first(rules.geneTransfer) { result[.geneTransfer] = gene }
        for match in lexicon.matches(in: text, kinds: [.drug]) {
            if let modality = match.entry.modality, result[modality] == nil { result[modality] = String(text[match.range]) }
        }
        return result
    }

    /// One compiled alternation per rule group: a text is scanned once per group instead
    /// of once per pattern (the patterns' case rules are kept with inline flags).
    struct Rules: @unchecked Sendable {
        var car, nk, tcr, tcrExclude, til, oncolytic, editing, vaccine, infectionVaccine, bispecific,
            transplant, checkpoint, targeted, geneTransfer: NSRegularExpression
    }

    static let rules: Rules = {
        func re(_ patterns: [String], caseSensitive: Bool = false) -> [String] {
            patterns.map { caseSensitive ? "(?:\($0))" : "(?i:\($0))" }
        }
        func compiled(_ parts: [String]) -> NSRegularExpression {
            try! NSRegularExpression(pattern: parts.joined(separator: "|"))
        }
        return Rules(
            car: compiled(re([#"chimeric antigen receptor"#, #"[a-z]+cabtagene\b"#])
                + re([#"(?<![A-Za-z])U?CAR(?:Ts?)?(?![A-Za-z])"#, #"(?<![A-Za-z])CAR-?T(?:-|\s)?cells?"#], caseSensitive: true)),
            nk: compiled(re([#"natural[- ]killer"#, #"\bCAR[- ]?NK\b"#, #"\bNK[- ]?(?:cells?|92)\b"#, #"\bt?-?haNK\b"#])),
            tcr: compiled(re([#"\bTCR[- ]?T\b"#, #"\bTCR[- ]?(?:engineered|transduced|modified|redirected|gene|Lentinvivo)"#,
                     #"engineered T[- ]cell receptor"#, #"T[- ]cell receptor[- ](?:engineered|transduced|modified|gene)"#,
                     #"[a-z]+tresgene\b"#, #"\bIMA20[0-9]\b"#, #"ACTengine"#])),
            tcrExclude: compiled(re([#"bispecific"#, #"tebentafusp"#, #"ImmTAC"#])),
            til: compiled(re([#"(?<![A-Za-z])TILs?(?![A-Za-z])"#], caseSensitive: true)
                + re([#"tumou?r[- ]infiltrating lymphocytes?"#, #"lifileucel"#, #"\bLN-14[45]\b"#])),
            oncolytic: compiled(re([#"oncolytic"#, #"[a-z]+(?:repvec|turev)\b"#, #"pelareorep"#, #"reolysin"#, #"pexastimogene"#,
                           #"\bpexa-vec\b"#, #"\bt-vec\b"#, #"imlygic"#, #"delytact"#, #"cretostimogene"#, #"\bCG0070\b"#,
                           #"\bDNX-2401\b"#, #"olvimulogene"#, #"\bH101\b"#, #"vaccinia virus"#, #"vesicular stomatitis virus"#,
                           #"\bVSV\b"#, #"\breovirus\b"#, #"measles virus"#, #"newcastle disease virus"#, #"coxsackievirus"#,
                           #"\bOH2\b"#, #"herpes simplex virus"#, #"\bHSV-?[12]\b"#])),
            editing: compiled(re([#"\bcrispr\b"#, #"\bcas9\b"#, #"base[- ]edit"#, #"gene[- ]edit"#, #"\bTALEN\b"#, #"zinc[- ]finger nuclease"#,
                         #"\bBE[- ]?CAR"#, #"knock[- ]?out"#])),
            vaccine: compiled(re([#"\bvaccin(?:e|es|ation)\b"#, #"neo-?antigen"#, #"dendritic cell"#, #"sipuleucel"#, #"mrna-4157"#,
                         #"autogene cevumeran"#, #"intismeran"#])),
            infectionVaccine: compiled(re([#"influenza"#, #"\bflu\b"#, #"covid"#, #"sars-cov"#, #"pneumococc"#, #"zoster"#, #"shingrix"#,
                                  #"hepatitis"#, #"tetanus"#, #"\bBCG\b"#, #"bacill"#])),
            bispecific: compiled(re([#"bi-?specific"#, #"T[- ]cell engager"#, #"[a-z]{4,}tamig\b"#, #"[a-z]{4,}stomig\b"#,
                            #"blinatumomab"#, #"mosunetuzumab"#, #"teclistamab"#, #"talquetamab"#, #"elranatamab"#, #"linvoseltamab"#,
                            #"glofitamab"#, #"epcoritamab"#, #"odronextamab"#, #"tarlatamab"#, #"zanidatamab"#, #"amivantamab"#, #"tebentafusp"#, #"catumaxomab"#, #"ivonescimab"#,
                            #"cadonilimab"#, #"\bAK10[4]\b"#, #"\bAK112\b"#])
                + re([#"\bBiTE\b"#], caseSensitive: true)),
            transplant: compiled(re([#"stem[- ]cell transplant"#, #"h(?:a)?ematopoietic (?:stem )?(?:cell )?transplant"#,
                            #"(?:bone )?marrow transplant"#, #"\bHSCT\b"#, #"\ballo-?HC?T\b"#, #"\bauto-?HCT\b"#, #"\bASCT\b"#,
                            #"cord blood transplant"#, #"donor lymphocyte infusion"#, #"allogeneic transplant"#,
                            #"autologous transplant"#])),
            checkpoint: compiled(re([#"[a-z]{3,}limab\b"#, #"[a-z]{3,}limumab\b"#, #"pembrolizumab"#, #"nivolumab"#, #"atezolizumab"#,
                            #"durvalumab"#, #"avelumab"#, #"tislelizumab"#, #"camrelizumab"#, #"spartalizumab"#,
                            #"\bkeytruda\b"#, #"\bopdivo\b"#, #"\btecentriq\b"#, #"\bimfinzi\b"#, #"\byervoy\b"#,
                            #"anti-PD-?L?1\b"#, #"\bPD-?L?1 (?:inhibitor|blockade|antibody)"#, #"anti-CTLA-?4"#,
                            #"checkpoint (?:inhibitor|blockade)"#])),
            targeted: compiled(re([#"[a-z]{3,}(?:tinib|rafenib|parib|ciclib|lisib|degib|sidenib|rasib|zomib)\b"#,
                          #"trastuzumab"#, #"pertuzumab"#, #"cetuximab"#, #"panitumumab"#, #"bevacizumab"#, #"ramucirumab"#,
                          #"rituximab"#, #"daratumumab"#, #"obinutuzumab"#, #"venetoclax"#,
                          #"[a-z]+ (?:deruxtecan|vedotin|govitecan|emtansine|mafodotin|duocarmazine|ozogamicin)\b"#])),
            geneTransfer: compiled(re([#"gene therapy"#, #"gene transfer"#, #"[a-z]+(?:adenovec|firadenovec)\b"#, #"nadofaragene"#,
                              #"adstiladrin"#, #"gendicine"#, #"\b(?:r?Ad)-p53\b"#, #"adenoviral vector"#, #"adeno-associated"#,
                              #"\bAAV\d*\b"#, #"\bplasmid\b"#, #"Lentinvivo"#, #"retroviral replicating vector"#]))
        )
    }()
}
