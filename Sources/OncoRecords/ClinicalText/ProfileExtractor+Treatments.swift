import Foundation

extension ProfileExtractor {
    static let lineNumber = Pattern(#"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|[1-5]L)[- ]?(?:line)?\b(?=[- ]?(?:line|therapy|treatment|:))|\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)[- ]line\b|\bline\s*(\d)\b|\b([1-5])L\b"#)
    static let intent = Pattern(#"\b(induction|bridging|bridge|maintenance|consolidation|consolidative|salvage|conditioning|lymphodepletion|lymphodepleting|palliative|adjuvant|neoadjuvant|neo-adjuvant)\b"#)
    static let response = Pattern(#"\b(stringent\s+complete\s+response|complete\s+(?:metabolic\s+)?(?:response|remission)|partial\s+(?:metabolic\s+)?(?:response|remission)|very\s+good\s+partial\s+response|stable\s+disease|progressive\s+disease|no\s+response)\b|(?:best\s+response|response|achieved|attained|with(?:\s+an?)?|→|->)\s*(?:of|was|:|=)?\s*\b(sCR|CR|CMR|PR|PMR|VGPR|SD|PD)\b|\((sCR|CR|CMR|PR|PMR|VGPR|SD|PD)\)"#)
    static let refractory = Pattern(#"\b(refractory|primary\s+progression|progressed\s+(?:on|during|through)|progression\s+(?:on|during)|no\s+response|did\s+not\s+respond|non-?responsive)\b"#)
    static let relapse = Pattern(#"\b(relapsed?|recurrence|recurred|progressed|progression)\b"#)
    static let notReceived = Pattern(#"\b(not (?:receive|given|started|administered)|declined|refused|ineligible for|not (?:a )?candidate for|not eligible for)\b"#, wrapping: true)
    static let futureCue = Pattern(#"\b(referr?(?:ed|al)? (?:for|to)|candidate for|evaluat(?:e|ion) for|eligib(?:le|ility) for|consider(?:ing|ed|ation of)?|plan(?:ned|s)?\b|scheduled|will (?:receive|proceed|undergo|be)|to discuss|discussed|option|opinion on|versus|such as|alternatives?|proposed|recommend(?:ed)?|apheresis|collection)\b"#)
    /// Words saying a therapy was given. Strong cues outweigh a future cue in the same
    /// sentence ("received R-CHOP; now referred for CAR-T"); weak ones ("after", "prior")
    /// do not ("bridging prior to axi-cel infusion planned for July").
    static let strongPastCue = Pattern(#"\b(received|treated with|previously|previous|s/p|status post|infused (?:on|in)|was infused|underwent|was given|relapsed (?:after|post|following)|progressed (?:after|on|post|following)|day \+\d+|history of|h/o|completed)\b"#)
    static let pastCue = Pattern(#"\b(received|treated with|prior(?! to)|previous(?:ly)?|after|post|following|s/p|status post|infused|infusion (?:on|in|of)|underwent|was given|relapsed after|progressed after|day \+\d+|history of|h/o|completed)\b"#)
    static let naive = Pattern(#"^[\s-]*(na[iï]ve)\b"#)
    static let genericCART = Pattern(#"\b(CAR[- ]?T(?:[- ]cells?)?(?: therapy| cell therapy)?|chimeric antigen receptor(?: T[- ]cells?)?(?: therapy)?)"#)
    static let cartTarget = Pattern(#"\b(CD19|BCMA|CD22|GPRC5D|CD30|CD7)\b"#, caseInsensitive: false)
    static let transplant = Pattern(#"\b(autologous|allogeneic|allogenic|auto|allo)(?:[- ]?(?:logous|geneic))?(?:[- ]|\s+)?(?:(?:haematopoietic|hematopoietic|peripheral blood|HDT/)\s*)?(?:stem[-\s]cell\s+transplant(?:ation)?|SCT|HSCT|HCT|BMT|transplant(?:ation)?|bone marrow transplant(?:ation)?|PBSCT)|\b(ASCT|ASCT|alloSCT|allo-SCT|alloHSCT|allo-HSCT|allo-HCT|auto-HCT|auto-SCT|autoSCT|HDT/ASCT)\b|\b(stem[-\s]cell transplant(?:ation)?|bone marrow transplant(?:ation)?|HSCT)\b"#)

    func extractTreatments(_ document: ClinicalDocument) -> [ProfileFact] {
        extractTreatmentLines(document) + extractTransplants(document) + extractCellTherapies(document)
    }

    /// The dates of a sentence that can date a line: not the diagnosis's ("diagnosed 03/2020 (BR x6 …)"),
    /// and not an alternative written in brackets after a date ("from 15/03/2024 (the PET report gives 22/03/2024)").
    static func lineDates(in sentence: Range<String.Index>, document: ClinicalDocument) -> [ClinicalDateParser.Found] {
        datesAndAlternatives(in: sentence, document: document).kept
    }

    /// The line dates of a sentence, and the alternatives it names in brackets after a stated date.
    static func datesAndAlternatives(in sentence: Range<String.Index>, document: ClinicalDocument)
        -> (kept: [ClinicalDateParser.Found], alternatives: [ClinicalDateParser.Found]) {
        let text = document.text
        var kept: [ClinicalDateParser.Found] = []
        var alternatives: [ClinicalDateParser.Found] = []
        let cancers = document.cancerMentions.filter { sentence.contains($0.range.lowerBound) }
        for found in document.allDates where sentence.contains(found.range.lowerBound) {
            let before = text[sentence.lowerBound..<found.range.lowerBound]
            let near = before.index(before.endIndex, offsetBy: -min(before.count, 25))..<found.range.lowerBound
            if diagnosisCue.firstMatch(in: text, range: near) != nil { continue }
            // "multiple myeloma since 02/2019, …": the disease's date, not a treatment's.
            if let cancer = cancers.last(where: { $0.range.upperBound <= found.range.lowerBound }),
               text.distance(from: cancer.range.upperBound, to: found.range.lowerBound) <= 12,
               sinceCue.firstMatch(in: text, range: cancer.range.upperBound..<found.range.lowerBound) != nil {
                continue
            }
            let open = before.lastIndex(of: "("), close = before.lastIndex(of: ")")
            if let open, close.map({ $0 < open }) ?? true,
               kept.contains(where: { $0.range.upperBound <= open }) {
                alternatives.append(found)
                continue  // an alternative date in brackets after a stated one
            }
            kept.append(found)
        }
        return (kept, alternatives)
    }
    /// The "( … )" around `range` within its sentence, if any.
    static func enclosingBracket(of range: Range<String.Index>, in sentence: Range<String.Index>, text: String) -> Range<String.Index>? {
        let before = text[sentence.lowerBound..<range.lowerBound]
        guard let open = before.lastIndex(of: "("), !before[open...].contains(")") else { return nil }
        let after = text[range.upperBound..<sentence.upperBound]
        guard let close = after.firstIndex(of: ")") else { return nil }
        // "(BR)": an abbreviation in brackets names the line outside them.
        let inside = text[text.index(after: open)..<close]
        if inside.trimmingCharacters(in: .whitespaces) == text[range] { return nil }
        return open..<close
    }

    /// "LVEF 66% in 04/2025 before doxorubicin": a date joined to a treatment by "before" or
    /// "prior to" dates what came before it, never the treatment's start.
    static let beforeCue = Pattern(#"^[\s,]*(?:just |shortly |immediately |the day |the week )?(?:before|prior to|pre-?)\s+(?:starting |the start of |commencing |beginning )?$"#, wrapping: true)
    static func datesSomethingBefore(_ found: ClinicalDateParser.Found, mention: Range<String.Index>, in text: String) -> Bool {
        found.range.upperBound <= mention.lowerBound && beforeCue.firstMatch(in: text, range: found.range.upperBound..<mention.lowerBound) != nil
    }

    static let institution = Pattern(#"\b(Klinik|Klinikum|Department|Dept\.?|Division|Service|Unit|Centre|Center|Programme|Program|Institute|Abteilung|Hospital|Clinic|Faculty|Medizinische)\b"#)
    static let sinceCue = Pattern(#"^\s*,?\s*(?:since|from|in|of|dx|diagnosed)?\s*$"#)
    static let diagnosisCue = Pattern(#"\b(diagnosed|diagnosis|presented|presentation)\b[^.;()]*$"#)

    /// What may stand between two drugs of one regimen: separators, optionally after the first
    /// drug's dose as prescriptions write it ("doxorubicin 75 mg/m2 + ifosfamide 10 g/m2",
    /// "ibrutinib 420 mg once daily and venetoclax") — a dose belongs to the drug before it.
    static let connector = Pattern(#"^\s*(?:\d+(?:[.,]\d+)?\s*(?:mg|g|mcg|µg|μg|ug|IU|units?)(?:\s*/\s*(?:m2|m²|kg|day|d|week))?(?:\s+(?:IV|PO|SC|once|twice|daily|bid|qd|od|weekly|q\d+w|orally|intravenously|subcutaneously))*)?\s*(?:,|/|\+|&|and|plus|with|-)?\s*(?:,|/|\+|&|and|plus|with)?\s*$"#)
    static let endDateCue = Pattern(#"(until|to|through|till|stopped|stopped on|discontinued|ceased|ended|completed|finished|off since|[-–])\s*(?:on\s+|in\s+)?$"#)

    /// Treatment lines, sentence by sentence. Regimens and drugs joined only by "+", "/",
    /// "and", "with" or commas form one line ("nivolumab/ipilimumab"); "then" or other words
    /// between them start a new one. Each line reads its attributes from its own segment of
    /// the sentence (up to the neighbouring treatment, transplant or CAR-T mention), and a
    /// date belongs to the nearest mention before it, so "VRd, then ASCT 08/2020,
    /// lenalidomide maintenance until progression 03/2023" dates the transplant, not VRd.
    private func extractTreatmentLines(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        let regimens = document.lexicon.matches(in: text, kinds: [.regimen])
        let drugs = document.lexicon.matches(in: text, kinds: [.drug]).filter { drug in
            !regimens.contains { $0.range.overlaps(drug.range) }
        }
        let otherAnchors = Self.transplant.matches(in: text).map(\.range)
            + document.lexicon.matches(in: text, kinds: [.cellTherapyProduct]).map(\.range)
            + Self.genericCART.matches(in: text).map(\.range)
        var seen: Set<String> = []
        var lines: [LineCandidate] = []
        let transplantAnchors = Self.transplant.matches(in: text).map(\.range)
        for (sentenceIndex, sentence) in document.sentences.enumerated() {
            let mentions = (regimens + drugs).filter { sentence.contains($0.range.lowerBound) }
                .sorted { $0.range.lowerBound < $1.range.lowerBound }
                .filter { !isNotALine($0, regimens: regimens, transplants: transplantAnchors, in: text) }
            if mentions.isEmpty { continue }
            let isPlan = isInPlanParagraph(sentence, in: text)
            var groups: [[ClinicalLexicon.Match]] = []
            for mention in mentions {
                if let previous = groups.last?.last, previous.range.upperBound <= mention.range.lowerBound,
                   !(previous.entry.kind == .regimen && mention.entry.kind == .regimen),
                   Self.connector.firstMatch(in: text, range: previous.range.upperBound..<mention.range.lowerBound) != nil {
                    groups[groups.count - 1].append(mention)
                } else {
                    groups.append([mention])
                }
            }
            let groupRanges = groups.map { $0.first!.range.lowerBound..<$0.last!.range.upperBound }
            let anchors = (groupRanges + otherAnchors.filter { sentence.contains($0.lowerBound) })
                .sorted { $0.lowerBound < $1.lowerBound }
            let (sentenceDates, alternativeDates) = Self.datesAndAlternatives(in: sentence, document: document)
            func owner(_ date: ClinicalDateParser.Found) -> Range<String.Index>? {
                anchors.last { $0.lowerBound <= date.range.lowerBound } ?? anchors.first
            }
            // "Bridging cytoreduction since … with prednisolone and weekly vincristine": an intent
            // that heads the sentence applies to every treatment in it.
            let headIntent = anchors.first.flatMap { first in
                Self.intent.matches(in: text, range: sentence.lowerBound..<first.lowerBound).last
            }
            for (group, range) in zip(groups, groupRanges) {
                let assertion = document.assess(range)
                if !assertion.isAboutThePatientsRecord { continue }
                let index = anchors.firstIndex(of: range) ?? 0
                let segmentStart = min(index > 0 ? anchors[index - 1].upperBound : sentence.lowerBound, range.lowerBound)
                let segmentEnd = max(index + 1 < anchors.count ? anchors[index + 1].lowerBound : sentence.upperBound, range.upperBound)
                let segment = segmentStart..<segmentEnd
                // "Plan: R-ICE followed by ASCT", "bridging with X considered" are plans, not lines given.
                if isPlan || Self.futureCue.firstMatch(in: text, range: sentence.lowerBound..<range.lowerBound) != nil
                    || Self.futureAfter.firstMatch(in: text, range: range.upperBound..<sentence.upperBound) != nil,
                   Self.strongPastCue.firstMatch(in: text, range: sentence) == nil { continue }
                let regimen = group.first { $0.entry.kind == .regimen }
                var drugList: [CodedText] = []
                for drug in group where drug.entry.kind == .drug && !drugList.contains(where: { $0.conceptID == drug.entry.conceptID }) {
                    drugList.append(CodedText(conceptID: drug.entry.conceptID, text: String(text[drug.range])))
                }
                var line = TreatmentLine(kind: .systemic,
                                         regimen: regimen.map { CodedText(conceptID: $0.entry.conceptID, text: String(text[$0.range])) },
                                         drugs: drugList)
                // A mention inside brackets ("(63% in 11/2021 before carfilzomib)") takes only the brackets' dates.
                let bracket = Self.enclosingBracket(of: range, in: sentence, text: text)
                readLineAttributes(&line, segment: segment, mention: range, isFirstInSentence: index == 0,
                                   dates: sentenceDates.filter { owner($0) == range || (bracket?.contains($0.range.lowerBound) ?? false) }
                                       .filter { found in bracket.map { $0.contains(found.range.lowerBound) } ?? true }
                                       .filter { !Self.datesSomethingBefore($0, mention: range, in: text) }, document: document)
                if line.startDate != nil, alternativeDates.contains(where: { segment.contains($0.range.lowerBound) }) {
                    line.datesWeighed = true
                }
                if line.intent == nil, let headIntent {
                    var head = TreatmentLine()
                    readLineAttributes(&head, segment: headIntent.range, mention: headIntent.range, dates: [], document: document)
                    line.intent = head.intent
                }
                // Steroids alone (a symptom course, oedema) support treatment; they are not a line.
                if regimen == nil, line.lineNumber == nil, !group.isEmpty,
                   group.allSatisfy({ !Set($0.entry.classes ?? ["?"]).isDisjoint(with: Self.supportiveClasses) }) { continue }
                guard seen.insert(line.displayText.lowercased()).inserted else { continue }
                var adjusted = assertion
                adjusted.isNegated = assertion.isNegated || Self.notReceived.firstMatch(in: text, range: segment) != nil
                lines.append(LineCandidate(line: line, range: range, assertion: adjusted,
                                           confidence: regimen != nil ? 0.75 : 0.6, sentenceIndex: sentenceIndex))
            }
        }
        completeFromContext(&lines, document: document)
        return lines.map {
            .treatmentLine(document.fact($0.line, span: $0.range, confidence: $0.confidence, assertion: $0.assertion))
        }
    }

    /// Line number, intent, dates, best response and refractoriness from `segment`;
    /// `dates` are the dates that belong to this line. Line number and intent are taken
    /// nearest to the mention ("Second-line R-ICE", "lenalidomide maintenance"); response
    /// and refractoriness from after it ("R-ICE, refractory"), or from before it only when no
    /// other treatment precedes in the sentence — "…, best response CR, second-line R-ICE"
    /// must not give R-ICE the CR.
    func readLineAttributes(_ line: inout TreatmentLine, segment: Range<String.Index>, mention: Range<String.Index>? = nil,
                            isFirstInSentence: Bool = true, dates: [ClinicalDateParser.Found], document: ClinicalDocument) {
        let text = document.text
        let mention = mention ?? segment
        func nearest(_ pattern: Pattern) -> Pattern.Match? {
            pattern.matches(in: text, range: segment).min { lhs, rhs in
                distance(lhs.range, mention, in: text) < distance(rhs.range, mention, in: text)
            }
        }
        let after = mention.upperBound..<max(mention.upperBound, segment.upperBound)
        func following(_ pattern: Pattern) -> Pattern.Match? {
            pattern.firstMatch(in: text, range: after)
                ?? (isFirstInSentence ? pattern.matches(in: text, range: segment.lowerBound..<mention.lowerBound).last : nil)
        }
        if let match = nearest(Self.lineNumber) {
            let word = (match.group(1, in: text) ?? match.group(2, in: text) ?? match.group(3, in: text) ?? match.group(4, in: text) ?? "").lowercased()
            let numbers = ["first": 1, "1st": 1, "1l": 1, "1": 1, "second": 2, "2nd": 2, "2l": 2, "2": 2, "third": 3, "3rd": 3, "3l": 3, "3": 3,
                           "fourth": 4, "4th": 4, "4l": 4, "4": 4, "fifth": 5, "5th": 5, "5l": 5, "5": 5]
            line.lineNumber = numbers[word]
        }
        if let word = nearest(Self.intent).map({ String(text[$0.range]).lowercased() }) {
            line.intent = switch word {
            case "bridge": .bridging
            case "lymphodepletion", "lymphodepleting": .conditioning
            case "consolidative": .consolidation
            case "neo-adjuvant": .neoadjuvant
            default: TreatmentIntent(rawValue: word)
            }
        }
        let relapseCue = Self.relapse.firstMatch(in: text, range: segment)
        for found in dates {
            if let relapseCue, found.range.lowerBound > relapseCue.range.lowerBound, line.relapseDate == nil {
                line.relapseDate = found.date
            } else if Self.endDateCue.firstMatch(in: text, range: segment.lowerBound..<found.range.lowerBound) != nil, line.endDate == nil {
                line.endDate = found.date
            } else if line.startDate == nil {
                line.startDate = found.date
            } else if line.endDate == nil {
                line.endDate = found.date
            }
        }
        if let match = following(Self.response) {
            let phrase = (match.group(1, in: text) ?? match.group(2, in: text) ?? match.group(3, in: text) ?? "").lowercased()
            line.bestResponse = switch phrase {
            case _ where phrase.hasPrefix("complete") || phrase.hasPrefix("stringent") || ["cr", "scr", "cmr"].contains(phrase): .completeResponse
            case _ where phrase.hasPrefix("very good") || phrase == "vgpr": .veryGoodPartialResponse
            case _ where phrase.hasPrefix("partial") || phrase == "pr" || phrase == "pmr": .partialResponse
            case _ where phrase.hasPrefix("stable") || phrase == "sd": .stableDisease
            case _ where phrase.hasPrefix("progressive") || phrase == "pd" || phrase == "no response": .progressiveDisease
            default: nil
            }
        }
        if following(Self.refractory) != nil || Self.refractoryTo.firstMatch(in: text, range: segment.lowerBound..<mention.lowerBound) != nil {
            line.refractory = true
        }
    }

    static let refractoryTo = Pattern(#"\b(refractory to|progressed on|progression on|progressed during|resistant to)\s+(?:\S+\s+){0,2}$"#)

    /// Characters between two ranges (0 when they touch or overlap).
    private func distance(_ a: Range<String.Index>, _ b: Range<String.Index>, in text: String) -> Int {
        if a.upperBound <= b.lowerBound { return text.distance(from: a.upperBound, to: b.lowerBound) }
        if b.upperBound <= a.lowerBound { return text.distance(from: b.upperBound, to: a.lowerBound) }
        return 0
    }

    private func extractTransplants(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seen: Set<String> = []
        for match in Self.transplant.matches(in: text) {
            let phrase = text[match.range].lowercased()
            let kind: Transplant.Kind = phrase.hasPrefix("auto") || phrase.contains("asct") ? .autologous
                : phrase.hasPrefix("allo") ? .allogeneic : .unspecified
            let sentence = document.sentence(containing: match.range)
            var assertion = document.assess(match.range)
            if assertion.isAboutFamily || (assertion.isHypothetical && !assertion.isNegated) { continue }  // "not a candidate for ASCT": none
            let before = sentence.lowerBound..<match.range.lowerBound
            // "transplant-ineligible", "not a transplant candidate", "referred for allo-SCT": not a transplant received.
            let after = match.range.upperBound..<sentence.upperBound
            if Self.notReceived.firstMatch(in: text, range: before) != nil
                || Pattern(#"^[\s-]*(ineligible|not eligible)"#).firstMatch(in: text, range: after) != nil {
                assertion.isNegated = true
            } else if Self.futureCue.firstMatch(in: text, range: before) != nil, Self.strongPastCue.firstMatch(in: text, range: sentence) == nil {
                continue
            }
            // "Haematology, Oncology and Stem Cell Transplantation" in a letterhead: a department's name.
            let mentionText = String(text[match.range])
            let lineStart = text[..<match.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let lineEnd = text[match.range.upperBound...].firstIndex(of: "\n") ?? text.endIndex
            if mentionText.split(separator: " ").allSatisfy({ $0.first?.isUppercase ?? false }), mentionText.contains(" "),
               Self.institution.firstMatch(in: text, range: lineStart..<lineEnd) != nil { continue }
            // "transplant unit", "transplant coordinator": a service, not a procedure.
            if Self.transplantService.firstMatch(in: text, range: after) != nil { continue }
            let transplant = Transplant(kind: kind, date: transplantDate(match.range, in: document))
            guard seen.insert("\(transplant.displayText)|\(assertion.isNegated)").inserted else { continue }
            facts.append(.transplant(document.fact(transplant, span: match.range, confidence: 0.75, assertion: assertion)))
        }
        return facts
    }

    static let transplantService = Pattern(#"^[\s-]*(?:unit|ward|program(?:me)?|team|cent(?:re|er)|coordinator|clinic|service|physician|nurse|list|workup|work-up|assessment|evaluation|candidate|eligib)"#)
    static let bracketAfter = Pattern(#"^\s*\([^()]{0,60}\)"#)
    static let dayZero = Pattern(#"\bday\s*(?:0|zero)\b|\b(?:stem cells?|graft|CD34\+?(?: cells)?)\b[^.]{0,40}\b(?:infused|reinfused|returned)\b"#)

    /// The date of a transplant: in its sentence, the first date after it before another
    /// therapy, else the last one before it after another therapy ("R-ICE from 02/2024 …,
    /// followed by ASCT on 18/06/2024"); else the day-0 date elsewhere in the document
    /// ("stem cells infused on 18 June 2024 (day 0)").
    private func transplantDate(_ range: Range<String.Index>, in document: ClinicalDocument) -> ClinicalDate? {
        let text = document.text
        let sentence = document.sentence(containing: range)
        let anchors = (document.lexicon.matches(in: text, kinds: [.regimen, .drug, .cellTherapyProduct]).map(\.range)
            + Self.transplant.matches(in: text).map(\.range)).filter { sentence.contains($0.lowerBound) && !$0.overlaps(range) }
        // "autologous SCT (melphalan 200 mg/m2) in 11/2019": the conditioning in brackets is part of the transplant.
        var afterTransplant = range.upperBound
        if let bracket = Self.bracketAfter.firstMatch(in: text, range: range.upperBound..<sentence.upperBound) {
            afterTransplant = bracket.range.upperBound
        }
        let nextAnchor = anchors.filter { $0.lowerBound >= afterTransplant }.map(\.lowerBound).min() ?? sentence.upperBound
        let previousAnchor = anchors.filter { $0.upperBound <= range.lowerBound }.map(\.upperBound).max() ?? sentence.lowerBound
        let dates = document.dates(near: range)
        if let after = dates.first(where: { $0.range.lowerBound >= range.upperBound && $0.range.lowerBound < nextAnchor }) { return after.date }
        if let before = dates.last(where: { $0.range.upperBound <= range.lowerBound && $0.range.lowerBound >= previousAnchor }) { return before.date }
        for cue in Self.dayZero.matches(in: text) {
            if let found = document.dates(near: cue.range).first { return found.date }
        }
        return nil
    }

    /// A named product or a generic "CAR-T" counts as *prior* therapy only when the sentence
    /// says it was given (received, after, s/p, infused …) and not merely planned or referred for.
    private func extractCellTherapies(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var covered: [Range<String.Index>] = []
        var seen: Set<String> = []
        let products = document.lexicon.matches(in: text, kinds: [.cellTherapyProduct])
        let generic = Self.genericCART.matches(in: text).filter { match in !products.contains { $0.range.overlaps(match.range) } }
        let mentions: [(Range<String.Index>, ClinicalLexicon.Entry?)] = products.map { ($0.range, $0.entry) } + generic.map { ($0.range, nil) }
        for (range, entry) in mentions.sorted(by: { $0.0.lowerBound < $1.0.lowerBound }) {
            if covered.contains(where: { $0.overlaps(range) }) { continue }
            let sentence = document.sentence(containing: range)
            var assertion = document.assess(range)
            let isNaive = Self.naive.firstMatch(in: text, range: range.upperBound..<sentence.upperBound) != nil
            let past = Self.pastCue.firstMatch(in: text, range: sentence) != nil
            let future = Self.futureCue.firstMatch(in: text, range: sentence) != nil
            if isNaive {
                assertion.isNegated = true  // "CAR-T naive": no prior CAR-T
            } else if assertion.isNegated {
                // "has not received CAR-T", "no prior CAR-T": a stated absence is worth keeping.
            } else {
                guard past, !future || Self.strongPastCue.firstMatch(in: text, range: sentence) != nil else { continue }
            }
            if assertion.isAboutFamily || (assertion.isHypothetical && !assertion.isNegated) { continue }
            let target = entry?.target ?? Self.cartTarget.firstMatch(in: text, range: sentence).map { String(text[$0.range]) }
            let therapy = PriorCellTherapy(
                product: entry.map { CodedText(conceptID: $0.conceptID, text: String(text[range])) },
                target: target, date: document.dates(near: range).first?.date)
            var line = TreatmentLine()
            readLineAttributes(&line, segment: sentence, mention: range, dates: [], document: document)
            var withResponse = therapy
            withResponse.bestResponse = line.bestResponse
            guard seen.insert(withResponse.product?.conceptID ?? "generic-\(target ?? "")").inserted else { continue }
            covered.append(range)
            facts.append(.priorCellTherapy(document.fact(withResponse, span: range, confidence: entry != nil ? 0.8 : 0.65, assertion: assertion)))
        }
        return facts
    }
}
