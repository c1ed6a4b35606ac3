import Foundation

extension ProfileExtractor {
    static let alterationAfter = Pattern(#"^[\s:]*(?:gene\s+)?(?:c\.[\w>+*-]+\s*\(?)?(exon\s*\d+\s*(?:deletion|del|insertion|ins|skipping|mutation)s?|p\.\(?[A-Za-z0-9_*>]+\)?|[A-Z]\d{2,4}(?:[A-Z]|\*|fs)(?![a-z])|amplification|amplified|fusion|rearrangement|rearranged|translocation|mutation|mutated|overexpression|copy number gain|deletion|deleted|fusions?|rearrangements?)"#, caseInsensitive: false)
    static let positiveWord = Pattern(#"\b(positive|pos|detected|present|expressed|expressing|mutated|mutant|pathogenic|amplified|rearranged|overexpressed|retained|dim|bright|high)\b|^\s*\+|\+(?=\s|,|;|\.|$)"#)
    static let negativeWord = Pattern(#"\b(negative|neg|not detected|undetected|absent|not expressed|no expression|wild[- ]?type|wt|unmutated|non-?mutated|not mutated|no (?:pathogenic |reportable |clinically significant |actionable )?(?:variants?|mutations?|alterations?)|not amplified|not rearranged|not deleted|no (?:deletion|rearrangement|amplification|fusion|gain|loss|translocation)|not translocated|loss of (?:[a-z]+ ){0,2}(?:expression|staining)|(?:was |is )?lost|low)\b|^\s*[-−](?!\d|\w)"#, wrapping: true)
    static let indeterminateWord = Pattern(#"\b(equivocal|indeterminate|borderline|inconclusive)\b"#)
    static let unknownWord = Pattern(#"^[^.;]{0,20}\b(unknown|pending|not (tested|done|performed|assessed|available)|to be (tested|determined)|requested|ordered|status\?)"#, wrapping: true)
    static let thresholdWord = Pattern(#"\b(cut-?\s?off|threshold|limit of detection|LoD)\b"#)
    /// "HER2 (4B5) IHC 2+", "HER2   4B5   SCORE 1+": the IHC score anywhere in the marker's cell or clause.
    static let her2Score = Pattern(#"(?:^|[\s:(])(?:IHC\s*|score\s*)?([0-3])\s?\+(?![\d+])"#)
    /// "MSI-High", "TMB-Low": the level is part of the marker's name; the result is read after it.
    static let levelSuffix = Pattern(#"^-(?:H|High|L|Low|I|Intermediate)\b"#, caseInsensitive: false)
    /// A percentage in the marker's clause ("PD-L1 (22C3): tumour proportion score (TPS) 30%",
    /// "BCL2 is expressed in approximately 70% of cells"), not a dose or a count.
    static let percentValue = Pattern(#"^[^%;\d]{0,55}?(?:\(\w{1,8}\)[^%;\d]{0,40}?)?([<>≤≥]\s?)?(?<![\w.])(\d{1,3}(?:\.\d)?)\s*%"#)
    /// "4 mut/Mb", "12.5 mutations/megabase": tumour mutational burden.
    static let mutationalBurden = Pattern(#"^[^;\d]{0,40}?(\d{1,3}(?:\.\d{1,2})?)\s*(?:mut(?:ation)?s?\s*/\s*(?:Mb|megabase))"#)
    /// Microsatellite / mismatch-repair status written as one word.
    static let microsatellite = Pattern(#"\b(MSS|MSI-?L(?:ow)?|microsatellite[- ]stable|pMMR|MMR[- ]proficient|mismatch repair proficient)\b|\b(MSI-?H(?:igh)?|microsatellite instability[- ]high|dMMR|MMR[- ]deficient|mismatch repair deficient)\b"#)
    /// "IGH" in "CCND1::IGH": the partner of a fusion written in HGVS style.
    static let fusionPartner = Pattern(#"^::[A-Z0-9-]+"#, caseInsensitive: false)
    /// "CD34+ 4.1 x10^6/kg": a cell dose, not an immunophenotype.
    static let cellDose = Pattern(#"^\s*\+?\s*(?:cells?\s*)?[\d.]+\s*(?:x|×)\s*10"#)
    /// "EGFR-mutant lung adenocarcinoma (exon 19 deletion)": the alteration in brackets later in the clause.
    static let bracketedAlteration = Pattern(#"^[^.;()]{0,45}\((exon\s*\d+\s*(?:deletion|del|insertion|ins|skipping|mutation)|[A-Z]\d{2,4}[A-Z])\)"#, caseInsensitive: false)
    static let listHead = Pattern(#"\b(positive for|negative for|expresses|express|expressing|lacks?|stain(?:s|ing|ed)? (?:positively |negatively )?for|no (?:expression|mutations?) (?:of|in)|mutations? in|harbou?rs?)\b"#, wrapping: true)
    static let targetingContext = Pattern(#"^[\s-]*(directed|targeted|targeting|CAR|specific|bispecific|antibod)"#)
    /// "CD138-enriched fraction", "CD19-selected", "no CD19-negative blast subpopulation": the marker
    /// names cells or a sample preparation, not a result for the patient's disease.
    static let populationContext = Pattern(#"^-?(?:enriched|selected|sorted|purified|gated|depleted|(?:negative|positive|dim|bright)\s+(?:blasts?|cells?|(?:sub)?populations?|clones?|fractions?))\b|^\s+(?:blast\s+)?(?:sub)?populations?\b"#)
    static let antiBefore = Pattern(#"anti-?\s*$"#)
    static let testContext = Pattern(#"\b(mutation|mutated|variant|alteration|expression|expressed|status|receptor|amplification|fusion|rearrangement|translocation|stain|IHC|FISH|NGS|sequencing|PCR|detected|identified)"#)
    static let markerConnector = Pattern(#"^\s*(?:/|,|and|&)\s*$"#)
    static let foreignGap = Pattern(#"\b(and|or|for|but|with)\b|,"#)
    static let hla = Pattern(#"\bHLA-(A|B|C|DRB1|DQB1|DPB1)\s*(\*\s*\d{2}(?::\d{2,3}){0,3}|\d{1,2}\b)"#, caseInsensitive: false)
    static let cytogenetic = Pattern(#"\b(t\(\d{1,2};\s?\d{1,2}\)|del\(\d{1,2}[pq]\d*\)|del ?17p|gain\(1q\)|1q (?:gain|amplification)|\+1q|monosomy \d{1,2}|trisomy \d{1,2})"#)

    func extractBiomarkers(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seen: Set<String> = []
        func append(_ result: BiomarkerResult, span: Range<String.Index>, assertion: Assertion, confidence: Double) {
            guard seen.insert("\(result.marker)|\(result.alteration ?? "")|\(result.comparisonValue)").inserted else { return }
            facts.append(.biomarker(document.fact(result, span: span, confidence: confidence, assertion: assertion, applyNegation: false)))
        }

        let known = document.lexicon.matches(in: text, kinds: [.biomarker]).filter { !$0.entry.displayName.hasPrefix("HLA") }
        let mentions = (known + Self.geneMentions(in: text, excluding: known)).sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (index, mention) in mentions.enumerated() {
            let sentence = document.sentence(containing: mention.range)
            // "anti-CD20", "CD19-directed CAR-T": a drug's target, not a test result.
            if Self.antiBefore.firstMatch(in: text, range: sentence.lowerBound..<mention.range.lowerBound) != nil { continue }
            if Self.targetingContext.firstMatch(in: text, range: mention.range.upperBound..<sentence.upperBound) != nil { continue }
            if Self.populationContext.firstMatch(in: text, range: mention.range.upperBound..<sentence.upperBound) != nil { continue }


            // "ER/PR positive", "CD19, CD20 negative": markers joined only by "/", "," or "and"
            // share the result written after the last of them.
            var last = index
            while last + 1 < mentions.count, sentence.contains(mentions[last + 1].range.lowerBound),
                  mentions[last + 1].range.lowerBound >= mentions[last].range.upperBound,
                  Self.markerConnector.firstMatch(in: text, range: mentions[last].range.upperBound..<mentions[last + 1].range.lowerBound) != nil {
                last += 1
            }
            var anchor = mentions[last].range
            // "CCND1::IGH rearrangement": the fusion partner is part of the name.
            if let partner = Self.fusionPartner.firstMatch(in: text, range: anchor.upperBound..<sentence.upperBound) {
                anchor = anchor.lowerBound..<partner.range.upperBound
            }
            // "MSI-High … NOT DETECTED", "TMB-Low": the level belongs to the name; a result word after it decides.
            var level: BiomarkerResult.Interpretation?
            if let suffix = Self.levelSuffix.firstMatch(in: text, range: anchor.upperBound..<sentence.upperBound) {
                level = text[suffix.range].lowercased().hasPrefix("-h") ? .positive : text[suffix.range].lowercased().hasPrefix("-l") ? .negative : .indeterminate
                anchor = anchor.lowerBound..<suffix.range.upperBound
            }
            // The window after the (last) mention ends at the next marker, the clause end, or 50 characters;
            // in a table row (cells apart by wide gaps or dotted leaders) the row's result cell is read to the line end.
            var windowEnd = text.index(anchor.upperBound, offsetBy: 50, limitedBy: sentence.upperBound) ?? sentence.upperBound
            if windowEnd > sentence.upperBound { windowEnd = sentence.upperBound }
            let lineEnd = text[anchor.upperBound...].firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) ?? text.endIndex
            if text[anchor.upperBound..<lineEnd].contains("   ") { windowEnd = max(windowEnd, min(lineEnd, sentence.upperBound)) }
            if last + 1 < mentions.count, mentions[last + 1].range.lowerBound < windowEnd, mentions[last + 1].range.lowerBound >= anchor.upperBound {
                windowEnd = mentions[last + 1].range.lowerBound
            }
            if let terminator = AssertionDetector.terminators.firstMatch(in: text, range: anchor.upperBound..<windowEnd) {
                windowEnd = terminator.range.lowerBound
            }
            let window = anchor.upperBound..<windowEnd
            if Self.unknownWord.firstMatch(in: text, range: window) != nil || Self.cellDose.firstMatch(in: text, range: window) != nil { continue }

            let marker = mention.entry.displayName
            var result = BiomarkerResult(marker: marker, conceptID: mention.entry.conceptID, interpretation: .positive,
                                         date: document.dates(near: mention.range).first?.date)
            var evidenceEnd = anchor.upperBound
            var decided = false

            if let alteration = Self.alterationAfter.firstMatch(in: text, range: window), let altRange = alteration.groups.first ?? nil,
               last == index || Self.alterationTypes.contains(Self.normalizedAlteration(String(text[altRange]))) {
                let word = Self.normalizedAlteration(String(text[altRange]))
                // Bare "mutated"/"amplified"/"rearranged" are positive results; keep named alterations.
                if ["mutated", "amplified", "rearranged"].contains(word) {
                    decided = true
                } else {
                    result.alteration = word
                }
                evidenceEnd = altRange.upperBound
            }
            let afterAlteration = evidenceEnd..<windowEnd
            if marker == "HER2", let score = Self.her2Score.firstMatch(in: text, range: window), let digit = score.group(1, in: text).flatMap(Int.init) {
                result.interpretation = digit == 3 ? .positive : digit == 2 ? .indeterminate : .negative
                result.value = "IHC \(digit)+"
                evidenceEnd = score.range.upperBound
                decided = true
            }
            if marker == "TMB", let burden = Self.mutationalBurden.firstMatch(in: text, range: window), let number = burden.group(1, in: text) {
                result.value = "\(number) mut/Mb"
                result.interpretation = .value
                evidenceEnd = burden.range.upperBound
                decided = true
            }
            if !decided, result.alteration == nil, let percent = Self.percentValue.firstMatch(in: text, range: afterAlteration),
               let number = percent.group(2, in: text),
               // "MYC ≥40%", "cut-off 8%": a threshold, not the result.
               !(percent.group(1, in: text).map { ["≥", "≤", ">=", "<="].contains($0.trimmingCharacters(in: .whitespaces)) } ?? false),
               Self.thresholdWord.firstMatch(in: text, range: afterAlteration.lowerBound..<percent.range.lowerBound) == nil,
               Self.negativeWord.firstMatch(in: text, range: afterAlteration.lowerBound..<percent.range.lowerBound) == nil {
                result.value = (percent.group(1, in: text)?.trimmingCharacters(in: .whitespaces) ?? "") + "\(number)%"
                result.interpretation = .value
                evidenceEnd = percent.range.upperBound
            }
            if !decided {
                let positive = Self.positiveWord.firstMatch(in: text, range: afterAlteration)
                let negative = Self.negativeWord.firstMatch(in: text, range: afterAlteration)
                let indeterminate = Self.indeterminateWord.firstMatch(in: text, range: afterAlteration)
                let first = [(positive, BiomarkerResult.Interpretation.positive), (negative, .negative), (indeterminate, .indeterminate)]
                    .compactMap { match, kind in match.map { ($0, kind) } }
                    .min { $0.0.range.lowerBound < $1.0.range.lowerBound }
                // The result must belong to this marker: "CD20 and BCL2 and negative for CD5" — the
                // "negative" is the next clause's, so a result behind "and", "or", "," or "for" is not ours.
                // With a percentage read, a result word of the same cell still decides ("Negative (2%)").
                let searchFrom = result.value != nil ? afterAlteration.lowerBound : evidenceEnd
                if let (match, kind) = first, match.range.lowerBound >= (kind == .positive ? evidenceEnd : searchFrom),
                   !Self.hasForeignGap(text[min(searchFrom, match.range.lowerBound)..<match.range.lowerBound]),
                   !text[match.range.upperBound...].hasPrefix(" for") {
                    result.interpretation = kind
                    evidenceEnd = max(evidenceEnd, match.range.upperBound)
                    decided = true
                }
            }
            if !decided, let level {
                result.interpretation = level
                decided = true
            }
            var spanStart = mention.range.lowerBound
            if !decided, let head = Self.listHead.matches(in: text, range: sentence.lowerBound..<mention.range.lowerBound).last {
                let phrase = text[head.range].lowercased()
                let negativeHead = phrase.hasPrefix("negative") || phrase.hasPrefix("lack") || phrase.hasPrefix("no ")
                    || phrase.contains("negatively")
                result.interpretation = negativeHead ? .negative : (result.value != nil ? .value : .positive)
                if negativeHead || result.value == nil { decided = true }
                spanStart = head.range.lowerBound
            }
            let assertion = document.assess(mention.range)
            if !assertion.isAboutThePatientsRecord { continue }
            // A result without its own date is the specimen's; an earlier one ("at diagnosis",
            // "previously") is dated by the diagnosis or not listed as a current result.
            if result.date == nil { result.date = document.itemDate(for: mention.range) }
            if result.date == nil {
                if assertion.isHistorical {
                    guard let diagnosed = document.diagnosisDate else { continue }
                    result.date = diagnosed
                } else {
                    result.date = document.clinicalDate
                }
            }
            if !decided && result.value == nil {
                // A negation before the marker ("no EGFR mutation"), or after it within the row or clause
                // ("BTK (C481) … NOT DETECTED"), reads as a negative result.
                if assertion.isNegated, let trigger = assertion.triggerRange,
                   trigger.upperBound <= mention.range.lowerBound || trigger.lowerBound < windowEnd,
                   Self.testContext.firstMatch(in: text, range: sentence) != nil || trigger.lowerBound >= anchor.upperBound
                    || result.alteration != nil {  // "the absence of BRAF V600E": a named variant is a test result
                    result.interpretation = .negative  // "no EGFR mutation"; not "no history … presents to the ER"
                } else if result.alteration == nil {
                    continue  // a bare mention ("CD19 testing") says nothing about the result
                }
            }
            if result.interpretation == .value, result.value == nil { continue }
            if result.alteration == nil, result.interpretation == .positive,
               let bracket = Self.bracketedAlteration.firstMatch(in: text, range: anchor.upperBound..<sentence.upperBound),
               let alteration = bracket.group(1, in: text) {
                result.alteration = Self.normalizedAlteration(alteration)
            }
            if decided, result.interpretation == .positive, assertion.isNegated, let trigger = assertion.triggerRange,
               trigger.upperBound <= mention.range.lowerBound, sentence.contains(trigger.lowerBound) {
                result.interpretation = .negative  // "no BTK or PLCG2 mutation detected"
                spanStart = min(spanStart, trigger.lowerBound)
            }
            append(result, span: spanStart..<evidenceEnd, assertion: decided ? Assertion(isUncertain: assertion.isUncertain, triggerRange: assertion.isUncertain ? assertion.triggerRange : nil) : assertion,
                   confidence: decided ? 0.8 : 0.65)
        }

        for match in Self.microsatellite.matches(in: text) {
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            let entry = document.lexicon.lookup("MSI", kinds: [.biomarker])
            let stable = match.group(1, in: text) != nil
            append(BiomarkerResult(marker: entry?.displayName ?? "MSI", conceptID: entry?.conceptID ?? "msi-h",
                                   interpretation: stable != assertion.isNegated ? .negative : .positive,
                                   date: document.dates(near: match.range).first?.date),
                   span: match.range, assertion: Assertion(isUncertain: assertion.isUncertain), confidence: 0.8)
        }

        for match in Self.hla.matches(in: text) {
            guard let locus = match.group(1, in: text), var allele = match.group(2, in: text)?.replacingOccurrences(of: " ", with: "") else { continue }
            if !allele.hasPrefix("*") { allele = "*" + (allele.count == 1 ? "0" + allele : allele) }
            let assertion = document.assess(match.range)
            let sentence = document.sentence(containing: match.range)
            let negative = Self.negativeWord.firstMatch(in: text, range: match.range.upperBound..<min(sentence.upperBound, text.index(match.range.upperBound, offsetBy: 20, limitedBy: text.endIndex) ?? text.endIndex))
            let interpretation: BiomarkerResult.Interpretation = (assertion.isNegated || negative != nil) ? .negative : .positive
            // The knowledge base may name allele groups ("HLA-A*02:01" → "hla-a02"); else the locus.
            let conceptID = document.lexicon.lookup("HLA-\(locus)\(allele)", kinds: [.biomarker])?.conceptID
                ?? document.lexicon.lookup("HLA-\(locus)\(allele.prefix(3))", kinds: [.biomarker])?.conceptID
                ?? "hla-\(locus.lowercased())"
            append(BiomarkerResult(marker: "HLA-\(locus)", conceptID: conceptID, alteration: allele, interpretation: interpretation),
                   span: match.range, assertion: Assertion(isUncertain: assertion.isUncertain), confidence: 0.85)
        }

        for match in Self.cytogenetic.matches(in: text) {
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            if !assertion.isAboutThePatientsRecord { continue }
            var date = document.dates(near: match.range).first?.date ?? document.itemDate(for: match.range)
            if date == nil, assertion.isHistorical {
                guard let diagnosed = document.diagnosisDate else { continue }
                date = diagnosed
            }
            let abnormality = String(text[match.range]).replacingOccurrences(of: "; ", with: ";")
            append(BiomarkerResult(marker: "cytogenetics", alteration: abnormality, interpretation: assertion.isNegated ? .negative : .positive,
                                   date: date ?? document.clinicalDate),
                   span: match.range, assertion: assertion, confidence: 0.75)
        }
        return facts
    }

    /// Approved symbols of human protein-coding genes (`Resources/Genes`).
    static let geneSymbols: Set<String> = {
        guard let url = Bundle.module.url(forResource: "Resources/Genes/protein-coding-symbols", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("Resources/Genes/protein-coding-symbols.txt is missing")
        }
        return Set(text.split(whereSeparator: \.isNewline).map(String.init))
    }()

    /// A gene symbol opening a result-table row ("BIRC3 ...... NOT DETECTED", "PAX5   positive") or
    /// followed by an HGVS variant ("NT5C2 c.1100G>A"), that the lexicon does not name.
    static let geneRow = Pattern(#"(?m)^[ \t]*(?:[-•*][ \t]+)?([A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,4})?)(?=[ \t]{2,}|[ \t]*\(|[ \t]*:)|\b([A-Z][A-Z0-9]{1,9})(?=\s+c\.[\d*-])"#, caseInsensitive: false)

    static func geneMentions(in text: String, excluding known: [ClinicalLexicon.Match]) -> [ClinicalLexicon.Match] {
        geneRow.matches(in: text).compactMap { match in
            guard let range = match.groups.compactMap({ $0 }).first else { return nil }
            let symbol = String(text[range])
            guard geneSymbols.contains(symbol), !known.contains(where: { $0.range.overlaps(range) }) else { return nil }
            return ClinicalLexicon.Match(entry: .init(term: symbol, conceptID: symbol.lowercased(), kind: .biomarker, displayName: symbol),
                                         range: range)
        }
    }

    /// Alteration types a list of markers shares ("ALK / ROS1 / RET fusions not detected").
    static let alterationTypes: Set<String> = ["mutated", "amplified", "rearranged", "fusion", "rearrangement", "deletion",
                                               "amplification", "mutation", "translocation"]

    /// "fusions" → "fusion", "deleted" → "deletion", "exon 19 del" → "exon 19 deletion".
    static func normalizedAlteration(_ text: String) -> String {
        var word = text.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        for (from, to) in [("fusions", "fusion"), ("rearrangements", "rearrangement"), ("deleted", "deletion"), ("mutations", "mutation")]
        where word.lowercased() == from {
            word = to
        }
        if word.hasPrefix("p.") { word = oneLetterProtein(word) }
        if let range = word.range(of: #"^exon (\d+) del$"#, options: [.regularExpression, .caseInsensitive]) {
            word = String(word[range]) + "etion"
        }
        if let range = word.range(of: #"^exon (\d+) ins$"#, options: [.regularExpression, .caseInsensitive]) {
            word = String(word[range]) + "ertion"
        }
        return word
    }

    /// IUPAC-IUBMB three-letter amino-acid codes (HGVS protein nomenclature) to one letter.
    static let aminoAcids: [String: String] = [
        "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G", "His": "H",
        "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W",
        "Tyr": "Y", "Val": "V", "Ter": "*", "Sec": "U", "Pyl": "O",
    ]

    /// "p.(Arg273His)" → "p.R273H", "p.Gly12Asp" → "p.G12D", "p.(Arg5021Ter)" → "p.R5021*"; a one-letter
    /// "p.V600E" stays. Predicted consequences lose their brackets.
    static func oneLetterProtein(_ text: String) -> String {
        var body = String(text.dropFirst(2)).trimmingCharacters(in: CharacterSet(charactersIn: "()"))
        for (three, one) in aminoAcids { body = body.replacingOccurrences(of: three, with: one) }
        return "p." + body
    }

    /// Whether a result word after `gap` belongs to another item: "and", "or", "for",
    /// "with" or a comma between, outside brackets ("BCR::ABL1 (p190 and p210) RT-PCR: negative").
    static func hasForeignGap(_ gap: Substring) -> Bool {
        let outside = String(gap).replacingOccurrences(of: #"\([^()]*\)"#, with: " ", options: .regularExpression)
        return foreignGap.firstMatch(in: outside) != nil
    }
}
