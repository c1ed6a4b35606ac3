import Foundation

extension ProfileExtractor {
    static let agePattern = Pattern(#"\b(\d{1,3})[- ]?(?:(?:year|yr)s?[- ]old|yo\b|y/o|y\.o\.)(?:\s+(?:[A-Za-z-]+\s+){0,2}?(man|male|gentleman|woman|female|lady|boy|girl)\b)?|\b(?:age|aged)[: ]\s*(\d{1,3})\b(?!\s*(?:years ago|at))"#)
    static let sexPattern = Pattern(#"\b(?:sex|gender|geschlecht|geslacht)\s*[:=]\s*(male|female|m|f|männlich|weiblich|man|vrouw|w|v)\b"#)
    /// "Patient: …, female, date of birth …", "Name … DOB … M": a sex word on an identification line.
    static let identificationSex = Pattern(#"(?m)^[^\n]*\b(?:patient|pt|name|DOB|D\.O\.B\.|date of birth|born)\b[^\n]*?[,;]\s*(male|female)\b|\b\d{1,3}\s*(?:yo|y/o|y\.o\.|yrs?|years?|Y)\s*[,/]?\s*(M|F)\b"#)
    static let birthPattern = Pattern(#"\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?|geb\.|geboren(?: am)?|geboortedatum|geb\.datum)\s*[:\-]?\s*"#)
    static let followingPattern = Pattern(#"^\s*(transformed|arising)\b"#)
    static let precedingTransformation = Pattern(#"\b(transformed|transformation|arising|evolved) (from|in|out of)\s+(an? |a prior |prior |previous |underlying )?$"#)
    static let diagnosedDate = Pattern(#"\b(diagnosed|diagnosis)\b"#)

    /// "Age / Sex : 14 Y / M", "Age: 71 yrs": an identification field.
    static let ageField = Pattern(#"\bAge(?:\s*/\s*(?:Sex|Gender))?\s*[:=]\s*(\d{1,3})\s*(?:Y|yrs?|years?|J|jaar|Jahre)?\b"#)
    /// "diagnosed at 68", "at age 9", "aged 45 at diagnosis": an age at an earlier event, not today's.
    static let ageAtEvent = Pattern(#"\b(?:at|when)\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?$|\bdiagnos\w*\s+(?:at\s+)?(?:age\s+)?$|^\s*(?:years?\s+)?(?:at|when|on)\s+(?:diagnosis|presentation|the time)"#)

    /// The patient's age: computed from the birth date and the document's date when both are
    /// written (a stated age must agree with it), otherwise the age the text states about the
    /// patient today — never a relative's age or an age at an earlier event.
    func extractDemographics(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var birth: (date: ClinicalDate, range: Range<String.Index>)?
        for label in Self.birthPattern.matches(in: text) {
            if let found = document.allDates.first(where: { $0.range.lowerBound >= label.range.upperBound
                && text.distance(from: label.range.upperBound, to: $0.range.lowerBound) <= 3 }) {
                birth = (found.date, label.range.lowerBound..<found.range.upperBound)
                facts.append(.birthDate(document.fact(found.date, span: birth!.range, confidence: 0.9)))
                break
            }
        }
        let computed: Int? = {
            guard let birth, let on = document.documentDate, birth.date.day != nil, on.day != nil else { return nil }
            return ClinicalDate.wholeYears(from: birth.date, to: on)
        }()
        var statedAges: [(Int, Pattern.Match)] = []
        for match in Self.agePattern.matches(in: text) + Self.ageField.matches(in: text) {
            guard let years = Int(match.group(1, in: text) ?? match.group(3, in: text) ?? ""), (0...120).contains(years) else { continue }
            let assertion = document.assess(match.range)
            if assertion.isAboutFamily || assertion.isHypothetical || assertion.isHistorical { continue }
            let lineStart = text[..<match.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let before = text.index(match.range.lowerBound, offsetBy: -30, limitedBy: lineStart) ?? lineStart
            let afterEnd = text.index(match.range.upperBound, offsetBy: 30, limitedBy: text.endIndex) ?? text.endIndex
            if Self.ageAtEvent.firstMatch(in: text, range: before..<match.range.lowerBound) != nil
                || Self.ageAtEvent.firstMatch(in: text, range: match.range.upperBound..<afterEnd) != nil { continue }
            statedAges.append((years, match))
        }
        if let computed {
            if let stated = statedAges.first(where: { $0.0 == computed }) {
                facts.append(.age(document.fact(Years(computed), span: stated.1.range, confidence: 0.9)))
            } else if let birth {
                facts.append(.age(document.fact(Years(computed), span: birth.range, confidence: 0.85)))
            }
        } else if let stated = statedAges.first {
            facts.append(.age(document.fact(Years(stated.0), span: stated.1.range, confidence: 0.8)))
        }
        for (_, match) in statedAges.prefix(1) {
            if let word = match.group(2, in: text)?.lowercased() {
                let sex: AdministrativeSex = ["man", "male", "gentleman", "boy"].contains(word) ? .male : .female
                facts.append(.sex(document.fact(sex, span: match.range, confidence: 0.8)))
            }
        }
        if facts.allSatisfy({ $0.field != .sex }),
           let match = Self.sexPattern.firstMatch(in: text) ?? Self.identificationSex.firstMatch(in: text),
           let word = (match.group(1, in: text) ?? match.group(2, in: text))?.lowercased() {
            facts.append(.sex(document.fact(word.hasPrefix("m") ? AdministrativeSex.male : .female, span: match.range, confidence: 0.85)))
        }
        return facts
    }

    /// Primary cancer (first assertion of each concept), histology, with the diagnosis date
    /// when the sentence says "diagnosed … <date>". A cancer the text says another one
    /// "transformed from" is history, not the primary, and is skipped.
    func extractDiagnoses(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var seenConcepts: Set<String> = []
        let cancers = document.lexicon.matches(in: text, kinds: [.cancer])
        // "Lymphoma clinic" in a letter about mantle cell lymphoma names the broader group, not a second cancer.
        let broader = Set(cancers.filter { !document.assess($0.range).isNegated }.flatMap { $0.entry.broaderConceptIDs ?? [] })
        for match in cancers where !broader.contains(match.entry.conceptID) {
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            let lineStart = text[..<match.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            if Self.precedingTransformation.firstMatch(in: text, range: lineStart..<match.range.lowerBound) != nil { continue }
            let key = match.entry.conceptID + (assertion.isNegated ? "-no" : "")
            guard seenConcepts.insert(key).inserted else { continue }
            let date = diagnosisDate(for: match, in: document)
            let diagnosis = Diagnosis(cancer: CodedText(conceptID: match.entry.conceptID, text: String(text[match.range])), diagnosisDate: date)
            facts.append(.primaryCancer(document.fact(diagnosis, span: match.range, confidence: 0.75, assertion: assertion)))
        }
        var seenHistology: Set<String> = []
        for match in document.lexicon.matches(in: text, kinds: [.histology]) where seenHistology.insert(match.entry.conceptID).inserted {
            let assertion = document.assess(match.range)
            if !assertion.isAboutThePatientsRecord { continue }
            facts.append(.histology(document.fact(
                CodedText(conceptID: match.entry.conceptID, text: String(text[match.range])),
                span: match.range, confidence: 0.7, assertion: assertion)))
        }
        return facts
    }

    /// The date in "diagnosed … <date>", from the mention's sentence or one of the next two
    /// sentences when they name no other cancer ("He was diagnosed in March 2023.").
    private func diagnosisDate(for match: ClinicalLexicon.Match, in document: ClinicalDocument) -> ClinicalDate? {
        let text = document.text
        guard let index = document.sentences.firstIndex(where: { $0.contains(match.range.lowerBound) }) else { return nil }
        for sentence in document.sentences[index..<min(index + 3, document.sentences.count)] {
            let others = document.lexicon.matches(in: String(text[sentence]), kinds: [.cancer])
                .filter { $0.entry.conceptID != match.entry.conceptID }
            if sentence != document.sentences[index], !others.isEmpty { return nil }
            guard let cue = Self.diagnosedDate.firstMatch(in: text, range: sentence) else { continue }
            if let found = document.allDates.first(where: { sentence.contains($0.range.lowerBound) && $0.range.lowerBound > cue.range.lowerBound }) {
                return found.date
            }
        }
        return nil
    }

    static let namedStage = Pattern(#"\b(Ann[- ]Arbor|R-?ISS|revised ISS|ISS|FIGO|AJCC)\s*(?:stage\s*)?[:\-]?\s*(IV|I{1,3}|[0-4])([A-Da-d]?[ABESX]{0,2})\b"#)
    /// "- 02/2016 progression", "• 04/2019: relapse": the opening of a list item that starts with its date.
    static let datedItem = Pattern(#"^[ \t]*[-*•·][ \t]+"#)
    static let nonAnatomicSystem = Pattern(#"\b(?:Rai|Binet|Durie[- ]Salmon|modified Rai|Lugano-Deauville|RANO|RECIST|iwCLL|IMWG|Deauville)\s*(?:\(?modified\)?\s*)?$"#)
    static let plainStage = Pattern(#"\bstage\s*[:\-]?\s*(IV|I{1,3}|[0-4])([A-Ca-c]?[0-9]?[ABESX]{0,2})\b"#)
    static let tnm = Pattern(#"\b([cpy]{0,2}T(?:is|[0-4X])[a-d]?(?:\([a-z]+\))?)\s*,?\s*([cp]?N[0-3X][a-c]?(?:\([a-z+]+\))?)\s*,?\s*([cp]?M[01X][a-c]?(?:\([a-z]+\))?)"#, caseInsensitive: false)

    /// Ann Arbor / R-ISS / ISS / FIGO / AJCC stage groups and TNM categories. A bare
    /// "stage III" counts as Ann Arbor when the text is about lymphoma, else as a TNM group.
    func extractStages(_ document: ClinicalDocument) -> [ProfileFact] {
        let text = document.text
        var facts: [ProfileFact] = []
        var covered: [Range<String.Index>] = []
        let isLymphoma = document.lexicon.matches(in: text, kinds: [.cancer]).contains {
            $0.entry.displayName.lowercased().contains("lymphoma")
        } || text.range(of: "lymphoma", options: .caseInsensitive) != nil
        let isMyeloma = text.range(of: "myeloma", options: .caseInsensitive) != nil

        for match in Self.namedStage.matches(in: text) {
            guard let name = match.group(1, in: text)?.lowercased(), let numeral = match.group(2, in: text) else { continue }
            let system: Stage.System = name.hasPrefix("ann") ? .annArbor
                : (name.hasPrefix("r") || name.hasPrefix("revised")) ? .riss
                : name == "iss" ? .iss : name == "figo" ? .figo : .tnm
            var group = StageText.ajccGroup(numeral) + (match.group(3, in: text) ?? "").uppercased()
            if system == .riss || system == .iss { group = StageText.ajccGroup(numeral) }
            covered.append(match.range)
            facts.append(contentsOf: [stageFact(document, Stage(system: system, group: group, date: document.dates(near: match.range).first?.date,
                                                   text: String(text[match.range])), span: match.range)].compactMap { $0 })
        }
        for match in Self.plainStage.matches(in: text) where !covered.contains(where: { $0.overlaps(match.range) }) {
            guard let numeral = match.group(1, in: text) else { continue }
            // "Rai stage IV", "Binet stage C", "Durie-Salmon stage III": clinical systems that are not anatomic stages.
            let lineStart = text[..<match.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            if Self.nonAnatomicSystem.firstMatch(in: text, range: lineStart..<match.range.lowerBound) != nil { continue }
            let suffix = (match.group(2, in: text) ?? "").uppercased()
            let system: Stage.System = isLymphoma ? .annArbor : isMyeloma ? .other : .tnm
            facts.append(contentsOf: [stageFact(document, Stage(system: system, group: StageText.ajccGroup(numeral) + suffix,
                                                   date: document.dates(near: match.range).first?.date,
                                                   text: String(text[match.range])), span: match.range)].compactMap { $0 })
        }
        for match in Self.tnm.matches(in: text) {
            let t = match.group(1, in: text), n = match.group(2, in: text), m = match.group(3, in: text)
            let basis = t?.first.flatMap { "cp".contains($0) ? String($0) : nil }
            facts.append(contentsOf: [stageFact(document, Stage(system: .tnm, t: t, n: n, m: m, basis: basis,
                                                   date: document.dates(near: match.range).first?.date,
                                                   text: String(text[match.range])), span: match.range)].compactMap { $0 })
        }
        return facts
    }

    /// A stage as written. A stage "at diagnosis" is dated by the diagnosis the document dates;
    /// an undated historical stage, or one only planned or about someone else, is not listed.
    private func stageFact(_ document: ClinicalDocument, _ stage: Stage, span: Range<String.Index>) -> ProfileFact? {
        let assertion = document.assess(span)
        if !assertion.isAboutThePatientsRecord { return nil }
        var stage = stage
        if assertion.isHistorical, stage.date == nil {
            guard let diagnosed = document.diagnosisDate else { return nil }
            stage.date = diagnosed
        }
        return .stage(document.fact(stage, span: span, confidence: 0.75, assertion: assertion))
    }
}
