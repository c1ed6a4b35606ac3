import Foundation
import OncoKnowledge
import OncoRecords

/// The text of one document of a case, as the records pipeline extracted it (pages joined
/// by form feeds), so spans quoted from it index the same text the viewer highlights.
public struct CaseDocumentText: Sendable, Hashable {
    public var documentID: String
    public var text: String

    public init(documentID: String, text: String) {
        self.documentID = documentID
        self.text = text
    }
}

/// What a referral summary states in words that the structured facts do not (yet) carry:
/// "second relapse", "primary refractory", a numbered list of prior treatments, "not
/// eligible for transplant", "Prior CAR-T: none", "metastatic castration-resistant",
/// "CD19-negative". Each statement keeps the quoted words (document and UTF-16 span) as
/// evidence. A statement in a negated clause ("no metastases", "not refractory") counts
/// as the opposite or is ignored; nothing here is guessed from silence.
struct StatedFacts: Sendable {
    struct Statement: Sendable {
        var value: Bool
        var evidence: FactSummary
    }

    struct Count: Sendable {
        var value: Int
        var evidence: FactSummary
    }

    /// The highest relapse ordinal stated ("third relapse" → 3).
    var relapseCount: Count?
    /// Relapsed, recurred or progressed (any non-negated mention).
    var relapsed: Statement?
    /// Refractory (or the opposite when the text says "not refractory").
    var refractory: Statement?
    /// Refractory to first-line therapy ("primary refractory", "progression at the end of first-line therapy").
    var primaryRefractory: Statement?
    /// A relapse after a stem cell transplant.
    var relapseAfterTransplant: Statement?
    /// Months from first-line therapy to the relapse ("late relapse 19 months after first-line therapy").
    var monthsFirstLineToRelapse: Count?
    /// Items of a numbered prior-treatment list (each item one line of therapy).
    var listedLines: [(text: String, evidence: FactSummary)] = []
    /// "3 prior lines", "after two lines".
    var statedLineCount: Count?
    /// True: not eligible for a transplant; false: a transplant candidate.
    var transplantIneligible: Statement?
    /// A "Prior CAR-T:" field saying none (value false) or naming one (value true), or a CAR-T product among the listed lines.
    var priorCellTherapy: Statement?
    /// Targets of the prior cell therapies named ("CD19").
    var priorCellTherapyTargets: Set<String> = []
    /// Disease states stated present (true) or absent (false).
    var diseaseStates: [RequiredDiseaseState: Statement] = [:]
    /// Drug and drug-class ids (KB) the listed treatments contain, with the item quoted.
    var receivedIDs: [String: [FactSummary]] = [:]
    /// Drug and class ids the text says the disease is refractory to ("lenalidomide-refractory").
    var refractoryToIDs: [String: [FactSummary]] = [:]
    /// Every document's text, lower-cased and padded for word search (markers, HLA, antigens).
    var documents: [CaseDocumentText] = []

    /// A numbered prior-treatment list was given: drugs missing from it were not received.
    var hasTreatmentList: Bool { !listedLines.isEmpty }

    init() {}

    init(texts: [CaseDocumentText], knowledge: KnowledgeBase, terms: DrugTerms) {
        documents = texts
        for document in texts { read(document, knowledge, terms) }
    }

    // MARK: Reading

    private static let ordinals: [String: Int] = [
        "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
    ]
    /// Words that report a treatment as given (past tense, "after", "prior", "lines").
    private static let givenCue = #"\b(had|has had|have had|ve had|received|was given|were given|treated with|after|following|progressed on|progressed after|failed|relapsed after|prior|previous|lines? of|lines \(|then)\b"#
    /// Words that make a clause about plans, options or questions rather than history.
    private static let plannedCue = #"\b(will|plan|planned|planning|consider|considering|recommend|recommended|discuss|discussed|offered|option|options|could|should|would|candidate|eligible|if)\b"#
    private static let numbers: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12,
    ]

    mutating func read(_ document: CaseDocumentText, _ knowledge: KnowledgeBase, _ terms: DrugTerms) {
        let text = document.text
        func summary(_ range: Range<String.Index>, _ field: ProfileField) -> FactSummary {
            Self.evidence(text, range, document.documentID, field)
        }
        // "Came back 8 months after R-CHOP" names the first line when it is the only
        // treatment the text mentions; decided after every clause is read.
        var monthsAfterOnlyTreatment: Count?
        for clause in Self.clauses(text) {
            let lower = clause.text.lowercased()
            let negated = Self.isNegated(lower)
            if !negated, monthsAfterOnlyTreatment == nil,
               let m = Self.matches(#"\b(\d{1,3}|one|two|three|four|five|six)\s+(months?|years?)\s+(?:after|from|following)\s+(?:finishing\s+|completing\s+|the end of\s+|stopping\s+)?([a-z0-9][a-z0-9-]*(?:\s+[a-z0-9-]+)?)"#, lower).first,
               Self.has(#"\b(relapse[sd]?|recurren(t|ce)|recurred|progress(ed|ion)|came back|returned)\b"#, lower),
               let count = Int(m[1]) ?? Self.numbers[m[1]], !terms.ids(in: m[3], knowledge).isEmpty {
                let months = m[2].hasPrefix("year") ? count * 12 : count
                monthsAfterOnlyTreatment = Count(value: months, evidence: summary(clause.range, .treatmentLine))
            }
            // Relapse ordinal: "second bone-marrow relapse", "3rd relapse", "second or later relapse".
            // "Second bone-marrow relapse", "3rd relapse", and "came back a second time".
            for match in Self.matches(#"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+(?:or\s+(?:later|greater)\s+)?(?:[a-z-]+\s+){0,2}relapse|(?:came back|relapsed|returned|recurred)\s+(?:for\s+)?(?:a|the)\s+(second|third|fourth|fifth)\s+time"#, lower) where !negated {
                if let n = Self.ordinals[match[1].isEmpty ? match[2] : match[1]], n > (relapseCount?.value ?? 0) {
                    relapseCount = Count(value: n, evidence: summary(clause.range, .treatmentLine))
                }
            }
            if !negated, Self.has(#"\b(relapse[sd]?|relapsing|recurren(t|ce)|recurred|progress(ed|ion|ive disease)|came back)\b"#, lower) {
                relapsed = relapsed ?? Statement(value: true, evidence: summary(clause.range, .treatmentLine))
            }
            if Self.has(#"\b(refractory|chemorefractory|did not respond|no response to|non-?responsive)\b"#, lower) {
                let value = !Self.has(#"\bnot\s+(?:\w+\s+){0,2}refractory\b"#, lower)
                if refractory == nil || value { refractory = Statement(value: value, evidence: summary(clause.range, .treatmentLine)) }
                if value, Self.has(#"\bprimary[- ]refractory\b|refractory to (?:the )?(first|1st)[- ]line|refractory to (?:frontline|initial)"#, lower) {
                    primaryRefractory = Statement(value: true, evidence: summary(clause.range, .treatmentLine))
                }
                if value {
                    for match in Self.matches(#"([a-z0-9][a-z0-9-]*)[- ]refractory\b|refractory to ([a-z0-9][a-z0-9 -]*)"#, lower) {
                        let name = match[1].isEmpty ? match[2] : match[1]
                        for id in terms.ids(in: name, knowledge) { refractoryToIDs[id, default: []].append(summary(clause.range, .treatmentLine)) }
                    }
                }
            }
            if !negated, Self.has(#"\bprogress(ion|ed|ive disease)\b[^.;]{0,40}\b(at the end of|during|on|after)\b[^.;]{0,30}\b(first[- ]line|frontline|initial|induction)"#, lower) {
                primaryRefractory = Statement(value: true, evidence: summary(clause.range, .treatmentLine))
            }
            if !negated, Self.has(#"\brelapse[sd]?\b[^.;]{0,80}\b(after|post|following)[- ](?:[a-z-]+\s+){0,4}(transplant|hsct|sct|transplantation)\b|\bpost[- ]transplant(ation)? relapse"#, lower) {
                relapseAfterTransplant = Statement(value: true, evidence: summary(clause.range, .treatmentLine))
            }
            // "19 months after first-line therapy", "7 months after I finished my first
            // chemo-immunotherapy", "a year after his initial treatment ended".
            if !negated, let m = Self.matches(#"\b(\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(months?|years?)\s+(?:after|from|following)\s+(?:(?:i|he|she|they|we)\s+(?:finished|completed|stopped|ended)\s+)?(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?:end\s+of\s+|completion\s+of\s+|completing\s+|finishing\s+)?(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?:first[- ]line|frontline|front-line|initial|1st[- ]line|first\s+(?:chemo|treatment|therapy|regimen|course|round))"#, lower).first,
               Self.has(#"\b(relapse[sd]?|recurren(t|ce)|recurred|progress(ed|ion)|came back|returned)\b"#, lower),
               let count = Int(m[1]) ?? (m[1] == "a" ? 1 : Self.numbers[m[1]]) {
                let months = m[2].hasPrefix("year") ? count * 12 : count
                monthsFirstLineToRelapse = Count(value: months, evidence: summary(clause.range, .treatmentLine))
                // A first-line treatment was given: at least one line, whatever else is named.
                if statedLineCount == nil { statedLineCount = Count(value: 1, evidence: summary(clause.range, .treatmentLine)) }
            }
            // Drugs named in a clause that reports treatment already given ("I've had
            // bendamustine-rituximab and then ibrutinib", "3 lines (bortezomib-based,
            // lenalidomide, then daratumumab)"); a clause about plans or options says nothing.
            if !negated, Self.has(Self.givenCue, lower), !Self.has(Self.plannedCue, lower) {
                for id in terms.ids(in: clause.text, knowledge) { receivedIDs[id, default: []].append(summary(clause.range, .treatmentLine)) }
            }
            // "3 prior lines", and the everyday "after 2 treatments", "two chemo regimens".
            for m in Self.matches(StatedLineCount.pattern, lower) {
                if let n = Int(m[1]) ?? Self.numbers[m[1]], n > (statedLineCount?.value ?? 0) {
                    statedLineCount = Count(value: n, evidence: summary(clause.range, .treatmentLine))
                }
            }
            if Self.has(#"\b(?:not |in)eligible for\b[^.;]{0,80}\btransplant|\bnot (?:a |an )?(?:suitable )?(?:transplant )?candidate for\b[^.;]{0,80}\btransplant|\btransplant[- ]ineligible\b|\bunfit for\b[^.;]{0,60}transplant|\bnot (?:\w+ )?(?:fit|well|strong) enough for\b[^.;]{0,40}transplant|\bnot fit for\b[^.;]{0,40}transplant|\btoo (?:frail|old|weak|unwell|sick) for\b[^.;]{0,40}transplant|\b(?:can t|cannot|can not|couldn t|not able to|unable to) (?:have|get|receive|undergo) (?:a |an )?(?:stem[- ]cell |autologous |bone[- ]marrow )?transplant"#, lower) {
                transplantIneligible = Statement(value: true, evidence: summary(clause.range, .transplant))
            } else if !negated, Self.has(#"(?<!in)\btransplant[- ]eligible\b|\b(?<!not )eligible for\b[^.;]{0,40}\btransplant|\bcandidate for\b[^.;]{0,40}\btransplant"#, lower) {
                transplantIneligible = transplantIneligible ?? Statement(value: false, evidence: summary(clause.range, .transplant))
            }
            readDiseaseStates(lower, negated) { diseaseStates[$0] = diseaseStates[$0]?.value == true && !$1 ? diseaseStates[$0] : Statement(value: $1, evidence: summary(clause.range, .stage)) }
        }
        if monthsFirstLineToRelapse == nil, let candidate = monthsAfterOnlyTreatment, (statedLineCount?.value ?? 1) <= 1,
           !Self.has(#"\b(second|2nd|third|3rd)[- ]line\b|\bsalvage\b|\bthen\b|\b(two|three|four|2|3|4)\s+(?:prior\s+)?(lines|treatments|regimens)\b"#, text.lowercased()) {
            monthsFirstLineToRelapse = candidate
        }
        readLines(text) { line, range in
            let lower = line.lowercased()
            // "Prior CAR-T: none." / "Prior CAR-T: Kymriah (CD19-directed) 6 years ago".
            if let m = Self.matches(#"^\s*(?:prior|previous)\s+(?:car[- ]?t|cell therap(?:y|ies)|car[- ]?t[- ]cell therapy)\s*:\s*(.*)$"#, lower).first {
                let value = m[1].trimmingCharacters(in: .whitespaces)
                let none = Self.has(#"^(none|no|nil|never|not received|n/?a)\b"#, value)
                if none {
                    priorCellTherapy = priorCellTherapy ?? Statement(value: false, evidence: summary(range, .priorCellTherapy))
                } else if !value.isEmpty {
                    priorCellTherapy = Statement(value: true, evidence: summary(range, .priorCellTherapy))
                    priorCellTherapyTargets.formUnion(Self.targets(in: value, knowledge, terms))
                }
            }
        }
        readTreatmentList(text) { item, range in
            let evidence = summary(range, .treatmentLine)
            listedLines.append((item, evidence))
            for id in terms.ids(in: item, knowledge) { receivedIDs[id, default: []].append(evidence) }
            let products = terms.productIDs(in: item).compactMap { knowledge.product(id: $0) }.filter { $0.modality.isCellTherapy }
            if !products.isEmpty {
                priorCellTherapy = Statement(value: true, evidence: evidence)
                priorCellTherapyTargets.formUnion(products.compactMap(\.target).map { $0.uppercased() })
            }
        }
    }

    private func readDiseaseStates(_ lower: String, _ negated: Bool, _ set: (RequiredDiseaseState, Bool) -> Void) {
        let metastatic = Self.has(#"\bmetasta(tic|ses|sis|sized)\b|\bstage\s+(iv|4)\b|\bmcrpc\b|\bm1[abc]?\b"#, lower)
        let nonMetastatic = Self.has(#"\bnon[- ]?metastatic\b|\bno (?:evidence of )?(?:distant )?metasta|\bnmcrpc\b|\bm0\b"#, lower)
        if nonMetastatic { set(.metastatic, false) } else if metastatic && !negated { set(.metastatic, true) }
        let unresectable = Self.has(#"\bunresectable\b|\binoperable\b|\bnot (?:amenable to|suitable for) (?:surgical )?(?:resection|surgery)\b|\bcannot be (?:surgically )?(?:removed|resected)\b"#, lower)
        if (unresectable || metastatic) && !nonMetastatic && !(negated && !unresectable) { set(.unresectableOrMetastatic, true) }
        if unresectable || (metastatic && !nonMetastatic && !negated) || Self.has(#"\blocally advanced\b|\badvanced\b"#, lower) && !negated {
            set(.advanced, true)
        }
        if Self.has(#"\bcastrat(ion|e)[- ]resistant\b|\bhormone[- ](refractory|resistant)\b|\bm?crpc\b"#, lower) && !negated { set(.castrationResistant, true) }
        if Self.has(#"\bcastrat(ion|e)[- ]sensitive\b|\bhormone[- ]sensitive\b|\bm?hspc\b|\bcastration[- ]naive\b"#, lower) { set(.castrationResistant, false) }
        if Self.has(#"\bbcg[- ]unresponsive\b|\bunresponsive to (?:intravesical )?bcg\b|\bbcg[- ]refractory\b|\b(?:persistent|recurrent)\b[^.;]{0,40}\bafter (?:adequate )?(?:intravesical )?bcg\b"#, lower) && !negated {
            set(.bcgUnresponsive, true)
        }
        if Self.has(#"\bbcg[- ]na[iï]ve\b|\bno (?:prior )?(?:intravesical )?bcg\b"#, lower) { set(.bcgUnresponsive, false) }
        if Self.has(#"\basymptomatic\b|\bminimally symptomatic\b|\bmildly symptomatic\b|\bno (?:cancer[- ]related )?(?:symptoms|pain)\b|\bno (?:regular )?opioid"#, lower) {
            set(.minimallySymptomatic, true)
        } else if !negated, Self.has(#"\bsymptomatic\b|\b(?:opioids?|narcotics?) for (?:cancer[- ]related )?pain\b"#, lower) {
            set(.minimallySymptomatic, false)
        }
        if Self.has(#"\b(?:no|without|not|absence of|negative for)\s+(?:any\s+|associated\s+|concurrent\s+)?(?:carcinoma in situ|cis)\b|\bpapillary[- ]only\b|\bonly papillary\b|\bcis[- ]negative\b"#, lower) {
            set(.carcinomaInSitu, false)
        } else if Self.has(#"\bcarcinoma in situ\b|\bcis\b"#, lower) {
            set(.carcinomaInSitu, !negated)
        }
        // Lesions an injection can reach; a stated list of metastatic sites that are all internal organs says there are none.
        if Self.has(#"\b(?:cutaneous|subcutaneous|dermal|skin|in-transit|satellite|nodal|lymph[- ]node)\s+(?:lesions?|metasta\w*|nodules?|deposits?|disease|involvement)\b|\bin-transit\b"#, lower) && !negated {
            set(.injectableLesions, true)
        } else if let sites = Self.matches(#"\(([a-z ,/-]+?)\s+metastas[ie]s\)|metastas[ie]s (?:to|in) (?:the )?([a-z ,/-]+?)(?:[.;)]|$)"#, lower).first {
            let list = sites[1].isEmpty ? sites[2] : sites[1]
            let words = Set(list.split(whereSeparator: { !$0.isLetter }).map(String.init)).subtracting(["and", "or", "the", "both", "multiple", "only"])
            let organs: Set<String> = ["lung", "lungs", "pulmonary", "liver", "hepatic", "brain", "bone", "bones", "adrenal", "peritoneum", "peritoneal", "pleura", "pleural", "spleen", "kidney", "bowel", "visceral"]
            if !words.isEmpty, words.isSubset(of: organs) { set(.injectableLesions, false) }
        }
    }

    /// Lines of a "Prior treatment:" (or "Treatment history", "Prior lines of therapy") section written as a numbered list.
    private func readTreatmentList(_ text: String, _ item: (String, Range<String.Index>) -> Void) {
        var inList = false
        readLines(text) { line, range in
            let lower = line.lowercased()
            if Self.has(#"^\s*(prior|previous|past)\s+(treatments?|therap(y|ies)|lines?|systemic therap(y|ies)|regimens?)\b[^:]*:|^\s*(treatment|therapy) history\s*:|^\s*lines? of therapy\s*:"#, lower) {
                inList = true
                return
            }
            guard inList else { return }
            if let m = Self.matches(#"^\s*(?:\d{1,2}|[a-h])[.)]\s+(.+)$"#, line).first {
                // Radiotherapy or surgery alone is not a line of systemic therapy.
                if Self.has(#"^\s*(radiotherapy|radiation|surgery|resection|surgical)\b"#, m[1].lowercased()) && !Self.has(#"chemo|mab\b|inib\b|\+"#, m[1].lowercased()) { return }
                item(m[1], range)
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                inList = false
            }
        }
    }

    private func readLines(_ text: String, _ body: (String, Range<String.Index>) -> Void) {
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(where: { $0 == "\n" || $0 == "\u{0C}" }) ?? text.endIndex
            body(String(text[start..<end]), start..<end)
            start = end < text.endIndex ? text.index(after: end) : end
        }
    }

    private static func targets(in text: String, _ knowledge: KnowledgeBase, _ terms: DrugTerms) -> Set<String> {
        var found = Set(terms.productIDs(in: text).compactMap { knowledge.product(id: $0)?.target?.uppercased() })
        for m in matches(#"\b(cd19|cd22|cd20|bcma|gprc5d|cd30|cd7|claudin ?18\.2|cldn18\.2|mage-a4|gd2)[- ]?(?:directed|targeted|targeting|car)"#, text.lowercased()) {
            found.insert(m[1].uppercased())
        }
        return found
    }

    // MARK: Markers

    /// A stated result for a marker by any of `names`: "CD19+", "CD19-negative", "HER2−",
    /// "positive for MAGE-A4", "MAGE-A4 expression". With `presenceIsPositive` (a histology
    /// such as carcinoma in situ) a plain mention is a positive finding and a negated one a negative.
    func marker(names: [String], presenceIsPositive: Bool) -> Statement? {
        let escaped = names.filter { $0.count >= 2 }.map { NSRegularExpression.escapedPattern(for: $0.lowercased()) }
        guard !escaped.isEmpty else { return nil }
        let name = "(?:" + escaped.joined(separator: "|") + ")"
        let positive = #"(?<![a-z0-9])"# + name + #"(?:\s*\+|[- ]?(?:positive|pos\b|expressi(?:on|ng)|expressed|overexpress\w*|amplified|high)|\s+(?:ihc\s+)?[23]\+)|(?:positive for|expressing|expression of)\s+"# + name + #"(?![a-z0-9])"#
        let negative = #"(?<![a-z0-9])"# + name + #"(?:[- ]?(?:negative|neg\b|not expressed|loss)|\s*[−–](?![a-z0-9])|-(?=[\s,;.)/]|$))|negative for\s+"# + name + #"(?![a-z0-9])"#
        let mention = #"(?<![a-z0-9])"# + name + #"(?![a-z0-9])"#
        var found: Statement?
        for document in documents {
            for clause in Self.clauses(document.text) {
                let lower = clause.text.lowercased()
                guard Self.has(mention, lower) else { continue }
                let evidence = Self.evidence(document.text, clause.range, document.documentID, .biomarker)
                if Self.has(negative, lower) { found = Statement(value: false, evidence: evidence); continue }
                if Self.has(positive, lower) { found = found ?? Statement(value: true, evidence: evidence); continue }
                if presenceIsPositive { found = found ?? Statement(value: !Self.isNegated(lower), evidence: evidence) }
            }
        }
        return found
    }

    /// HLA alleles typed in the text ("HLA-A*02:01", "A*24:02"), with the clause; alleles
    /// written after "no", "not" or "without" are left out.
    func hlaTyping() -> (alleles: [String], evidence: FactSummary)? {
        var alleles: [String] = []
        var evidence: FactSummary?
        for document in documents {
            for clause in Self.clauses(document.text) where clause.text.contains("*") {
                let text = clause.text
                let regex = Regexes.shared.regex(#"\b(?:HLA-)?([ABC])\*(\d{2})(?::(\d{2,3}))?"#)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    guard let whole = Range(match.range, in: text), let locus = Range(match.range(at: 1), in: text), let group = Range(match.range(at: 2), in: text) else { continue }
                    let before = text[text.index(whole.lowerBound, offsetBy: -min(14, text.distance(from: text.startIndex, to: whole.lowerBound)))..<whole.lowerBound].lowercased()
                    if Self.has(#"\b(no|not|without|negative for|lacks?)\b[^,;]*$"#, before) { continue }
                    var allele = text[locus].uppercased() + "*" + text[group]
                    if let field = Range(match.range(at: 3), in: text) { allele += ":" + text[field] }
                    alleles.append(allele)
                    evidence = evidence ?? Self.evidence(document.text, clause.range, document.documentID, .biomarker)
                }
            }
        }
        guard let evidence, !alleles.isEmpty else { return nil }
        return (alleles, evidence)
    }

    /// Whether two document provenances quote overlapping text of the same document.
    static func overlaps(_ a: Provenance, _ b: Provenance) -> Bool {
        guard case let .document(idA, spanA) = a.source, case let .document(idB, spanB) = b.source, idA == idB else { return false }
        return spanA.start < spanB.end && spanB.start < spanA.end
    }

    // MARK: Text helpers

    /// Clauses: lines split at sentence ends and semicolons, with their ranges in `text`.
    static func clauses(_ text: String) -> [(text: String, range: Range<String.Index>)] {
        var result: [(String, Range<String.Index>)] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            let isBreak = c == "\n" || c == "\u{0C}" || c == ";" || (c == "." && (next == text.endIndex || text[next] == " " || text[next] == "\n"))
            if isBreak {
                if start < index { result.append((String(text[start..<index]), start..<index)) }
                start = next
            }
            index = next
        }
        if start < text.endIndex { result.append((String(text[start...]), start..<text.endIndex)) }
        return result
    }

    /// A clause that denies what it names: "no …", "not …", "without …", "none", "negative for".
    static func isNegated(_ lower: String) -> Bool {
        has(#"^\s*(?:[a-z /-]+:\s*)?(no|not|none|without|never|denies|negative for)\b"#, lower)
    }

    static func has(_ pattern: String, _ text: String) -> Bool {
        Regexes.shared.regex(pattern).firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Capture groups of every match ("" for a group that did not take part).
    static func matches(_ pattern: String, _ text: String) -> [[String]] {
        Regexes.shared.regex(pattern).matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (0..<match.numberOfRanges).map { i in Range(match.range(at: i), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    static func evidence(_ text: String, _ range: Range<String.Index>, _ documentID: String, _ field: ProfileField) -> FactSummary {
        var trimmed = range
        while trimmed.lowerBound < trimmed.upperBound, text[trimmed.lowerBound].isWhitespace { trimmed = text.index(after: trimmed.lowerBound)..<trimmed.upperBound }
        let quote = String(text[trimmed])
        let fact = Fact(value: CodedText(text: quote),
                        provenance: Provenance(source: .document(documentID: documentID, span: TextSpan(trimmed, in: text)), method: .textRules),
                        confidence: 0.6)
        return FactSummary(field: field, fact)
    }
}

extension RequiredDiseaseState {
    /// The state in plain words.
    var displayName: String {
        switch self {
        case .metastatic: "metastatic (spread to other parts of the body)"
        case .unresectableOrMetastatic: "cannot be removed by surgery, or has spread (unresectable or metastatic)"
        case .castrationResistant: "castration-resistant (no longer responds to hormone therapy)"
        case .bcgUnresponsive: "BCG-unresponsive"
        case .minimallySymptomatic: "no or only mild symptoms from the cancer"
        case .advanced: "advanced (locally advanced or metastatic)"
        case .carcinomaInSitu: "carcinoma in situ present"
        case .injectableLesions: "with skin, under-skin or lymph-node lesions"
        }
    }
}

extension TherapyModality {
    /// Products made of (engineered) cells: re-treatment after one of these is never a plain fit.
    var isCellTherapy: Bool { [.carT, .tcrT, .til].contains(self) }
}

/// Drug, regimen and product names of the knowledge base, normalised once for finding
/// mentions in free text ("R-CHOP x6" → r-chop → rituximab, cyclophosphamide …).
struct DrugTerms: Sendable {
    let entries: [(term: String, id: String, kind: ItemKind)]

    init(_ knowledge: KnowledgeBase) {
        entries = knowledge.drugLexicon.compactMap { entry in
            let term = Self.normalise(entry.term)
            return term.count >= 5 ? (term, entry.id, entry.kind) : nil  // " xyz " — at least three characters
        }
    }

    static func normalise(_ text: String) -> String {
        " " + text.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : " " }.joined()
            .split(separator: " ").joined(separator: " ") + " "
    }

    /// Drug ids, their class ids and regimen ids named in `text`.
    func ids(in text: String, _ knowledge: KnowledgeBase) -> Set<String> {
        let padded = Self.normalise(text)
        var ids: Set<String> = []
        for entry in entries where padded.contains(entry.term) {
            switch entry.kind {
            case .drug:
                if let drug = knowledge.drug(id: entry.id) { ids.insert(drug.id); ids.formUnion(drug.classes) }
            case .regimen:
                if let regimen = knowledge.regimen(id: entry.id) {
                    ids.insert(regimen.id)
                    for drug in knowledge.drugs(in: regimen) { ids.insert(drug.id); ids.formUnion(drug.classes) }
                }
            default: break
            }
        }
        return ids
    }

    /// Product ids named in `text`.
    func productIDs(in text: String) -> Set<String> {
        let padded = Self.normalise(text)
        return Set(entries.filter { $0.kind == .product && padded.contains($0.term) }.map(\.id))
    }
}

/// Compiled patterns, one instance per pattern and thread (shared `NSRegularExpression`
/// instances used from several threads at once are not safe on this Foundation).
final class Regexes: @unchecked Sendable {
    static let shared = Regexes()
    private let lock = NSLock()
    private var cache: [String: [ObjectIdentifier: NSRegularExpression]] = [:]

    func regex(_ pattern: String) -> NSRegularExpression {
        let thread = ObjectIdentifier(Thread.current)
        lock.lock()
        defer { lock.unlock() }
        if let found = cache[pattern]?[thread] { return found }
        // The patterns are literals in this module; a bad one is a programming error.
        let compiled = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        cache[pattern, default: [:]][thread] = compiled
        return compiled
    }
}

/// A stated number of earlier lines ("3 prior lines", "after 2 treatments", "two chemo
/// regimens"): one pattern for records, referral text and questions.
public enum StatedLineCount {
    public static let pattern = #"\b(\d|one|two|three|four|five|six|seven|eight)\s+(?:prior\s+|previous\s+|earlier\s+|different\s+)?(?:lines?|(?:(?:chemo|chemotherapy|systemic|kinds? of)\s+)?(?:treatments|regimens|therapies))\b"#

    /// Whether `text` states such a number.
    public static func isStated(in text: String) -> Bool {
        StatedFacts.has(pattern, text.lowercased())
    }
}
