import Foundation

/// Treatment histories are written as lists and paragraphs, not single sentences:
///
///     1. First-line R-CHOP x 6 cycles, 23/03/2023 to 06/07/2023. Best response: complete
///     metabolic response. Relapse documented in January 2024.
///     Line 1 (2019-2020): VRd induction …, then autologous SCT (melphalan 200 mg/m2),
///     followed by lenalidomide maintenance until progression in 03/2022.
///
/// The sentence pass finds the lines; this pass completes them from their context: the
/// sentences that continue a line's item (response, relapse, refractoriness), the item's
/// heading ("Line 1", "2L:") for every line in it (maintenance belongs to its line), a later
/// mention of the same therapy ("progressed on ibrutinib in 09/2024"), and the numbering of
/// an unnumbered first line when the next one is numbered two.
extension ProfileExtractor {
    struct LineCandidate {
        var line: TreatmentLine
        var range: Range<String.Index>
        var assertion: Assertion
        var confidence: Double
        var sentenceIndex: Int
    }

    /// "bridging with X considered", "R-ICE is planned": a plan written after the drug.
    static let futureAfter = Pattern(#"^[^.;]{0,25}?\b(considered|is planned|was planned|planned|proposed|to be discussed|recommended|will be|scheduled|to start|to begin)\b"#)
    /// A paragraph that is a plan ("Plan: …", "Recommendations: …").
    static let planHeading = Pattern(#"^\s*(?:plan|plans|recommendations?|next steps|proposed management|proposal)\b\s*[:\-]"#)
    /// Conditioning for a transplant, not a line: "BEAM-conditioned", "conditioning with", "high-dose melphalan".
    static let conditioningAfter = Pattern(#"^[\s-]*(?:conditioned|conditioning)\b"#)
    static let conditioningBefore = Pattern(#"\b(?:conditioning(?: regimen)?(?: with| of)?|high[- ]dose)\s*$"#)
    static let attributionAfter = Pattern(#"^-(?:associated|induced|related)\b"#)
    static let intrathecalBefore = Pattern(#"\b(?:intrathecal|IT)\s*$"#)
    /// "IPI 3", "ISS 2": an all-capitals abbreviation used as a score, not a drug.
    static let scoreAfter = Pattern(#"^\s*(?:score\b|index\b|risk\b|[-:=]?\s*\(?\d|\(?(?:low|high|intermediate|poor|good|standard)\b)"#)
    static let therapyCue = Pattern(#"\b(cycles?|courses?|mg|mg/m2|x\s?\d|×\s?\d|doses?|regimen|therapy|treatment|treated|received|given|started|stopped|maintenance|induction|consolidation|salvage|bridging|then|followed by|plus|chemo(?:therapy)?|infusion|weekly|daily)\b|\+"#)
    /// "CLL-IPI", "R-IPI", "NCCN-IPI": a prognostic index named with a prefix.
    static let scorePrefix = Pattern(#"[A-Za-z]-$"#)
    /// Drug classes that support a treatment rather than treat the cancer on their own: a
    /// line made only of these ("a 5-day course of prednisolone", "dexamethasone for oedema")
    /// is not a line of therapy.
    static let supportiveClasses: Set<String> = ["corticosteroid", "il6-receptor-antagonist"]
    /// A list item that starts a line of therapy: "1.", "-", "•", "Line 2", "2L:", "Second-line:".
    static let itemStart = Pattern(#"(?m)^[ \t]*(?:\d{1,2}[.)]\s|[-*•·]\s|line\s*\d|[1-5]L\b|(?:first|second|third|fourth|fifth)[- ]line\b)"#)
    static let numberedItem = Pattern(#"^[ \t]*(\d{1,2})[.)]\s"#)
    static let treatmentHeading = Pattern(#"\b(treatment|therapy|therapies|lines?|regimens?|systemic|oncolog\w*) (history|to date|so far|received|given|summary)\b|^\s*(prior|previous|past) (treatment|therapy|therapies|lines?|regimens)\b|^\s*(treatment|therapy) history\b|^\s*(lines of therapy|systemic therapy|treatment summary)\b"#)
    /// A labelled paragraph that is about something else ("Current status:", "Examination:").
    static let otherLabel = Pattern(#"^\s*[A-Z][A-Za-z /-]{2,30}:"#, caseInsensitive: false)
    static let responseLabel = Pattern(#"^\s*(?:best )?(?:response|relapse|progression|outcome|restaging|end[- ]of[- ]\w+)"#)

    /// Drug mentions that are not a line of therapy: conditioning for a transplant, the
    /// drugs of a regimen spelled out in brackets after it, and scores written like drugs.
    func isNotALine(_ mention: ClinicalLexicon.Match, regimens: [ClinicalLexicon.Match], transplants: [Range<String.Index>],
                    in text: String) -> Bool {
        let range = mention.range
        let before = text[..<range.lowerBound].suffix(40)
        let beforeRange = before.startIndex..<range.lowerBound
        let afterEnd = text.index(range.upperBound, offsetBy: 30, limitedBy: text.endIndex) ?? text.endIndex
        if Self.conditioningAfter.firstMatch(in: text, range: range.upperBound..<afterEnd) != nil
            || Self.conditioningBefore.firstMatch(in: text, range: beforeRange) != nil { return true }
        // "pegaspargase-associated hypofibrinogenaemia", "intrathecal methotrexate": an adverse
        // event's cause or CNS prophylaxis within a line, not a line of its own.
        if Self.attributionAfter.firstMatch(in: text, range: range.upperBound..<afterEnd) != nil
            || Self.intrathecalBefore.firstMatch(in: text, range: beforeRange) != nil { return true }
        let term = String(text[range])
        // "LV hypertrophy", "AC joint": a two- or three-letter drug abbreviation needs treatment words around it.
        if mention.entry.kind == .drug, term.count <= 3, term == term.uppercased() {
            let lineStart = text[..<range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let lineEnd = text[range.upperBound...].firstIndex(of: "\n") ?? text.endIndex
            if Self.therapyCue.firstMatch(in: text, range: lineStart..<lineEnd) == nil { return true }
        }
        if term.count <= 4, term == term.uppercased(), Self.scoreAfter.firstMatch(in: text, range: range.upperBound..<afterEnd) != nil
            || Self.scorePrefix.firstMatch(in: text, range: beforeRange) != nil && term.count <= 4 && term == term.uppercased() {
            return true
        }
        // Inside "( … )" opened right after a regimen or a transplant: its components or its conditioning.
        // The brackets may hold a whole schedule ("AC-T (doxorubicin/cyclophosphamide x 4, then weekly paclitaxel x 12)").
        let bracketWindow = text[..<range.lowerBound].suffix(200)
        if mention.entry.kind == .drug, let open = bracketWindow.lastIndex(of: "("), !bracketWindow[open...].contains(")") {
            let head = text[..<open].reversed().drop { $0 == " " }
            let headEnd = head.startIndex.base
            return regimens.contains { $0.range.upperBound == headEnd } || transplants.contains { $0.upperBound == headEnd }
        }
        return false
    }

    /// Whether `sentence` belongs to a paragraph headed "Plan:" (or is that heading's own line).
    func isInPlanParagraph(_ sentence: Range<String.Index>, in text: String) -> Bool {
        let before = text[..<sentence.lowerBound]
        let paragraphStart = before.range(of: "\n\n", options: .backwards)?.upperBound
            ?? before.range(of: "\n \n", options: .backwards)?.upperBound ?? text.startIndex
        return Self.planHeading.firstMatch(in: text, range: paragraphStart..<sentence.upperBound) != nil
    }

    func completeFromContext(_ lines: inout [LineCandidate], document: ClinicalDocument) {
        guard !lines.isEmpty else { return }
        let text = document.text
        let anchors = (document.lexicon.matches(in: text, kinds: [.regimen, .drug, .cellTherapyProduct]).map(\.range)
            + Self.transplant.matches(in: text).map(\.range) + Self.genericCART.matches(in: text).map(\.range))
        // 1. Sentences continuing a line's item give its response, relapse and refractoriness.
        for index in lines.indices where !lines.indices.contains(where: { lines[$0].sentenceIndex == lines[index].sentenceIndex && $0 > index }) {
            var previous = document.sentences[lines[index].sentenceIndex]
            for next in document.sentences.dropFirst(lines[index].sentenceIndex + 1).prefix(3) {
                guard isContinuation(next, after: previous, anchors: anchors, in: text) else { break }
                var context = TreatmentLine()
                readLineAttributes(&context, segment: next, mention: next.lowerBound..<next.lowerBound, dates: [], document: document)
                lines[index].line.bestResponse = lines[index].line.bestResponse ?? context.bestResponse
                lines[index].line.refractory = lines[index].line.refractory ?? context.refractory
                if lines[index].line.relapseDate == nil, let cue = Self.relapse.firstMatch(in: text, range: next),
                   let found = document.allDates.first(where: { next.contains($0.range.lowerBound) && $0.range.lowerBound > cue.range.lowerBound }) {
                    lines[index].line.relapseDate = found.date
                }
                previous = next
            }
        }
        // 2. An item's heading numbers every line in it.
        let items = Self.itemStart.matches(in: text).map(\.range.lowerBound)
        for index in lines.indices where lines[index].line.lineNumber == nil {
            guard let start = items.last(where: { $0 <= lines[index].range.lowerBound }) else { continue }
            let itemEnd = items.first { $0 > start } ?? text.endIndex
            guard lines[index].range.lowerBound < itemEnd, !text[start..<lines[index].range.lowerBound].contains("\n\n") else { continue }
            let headEnd = text.index(start, offsetBy: 30, limitedBy: itemEnd) ?? itemEnd
            var heading = TreatmentLine()
            readLineAttributes(&heading, segment: start..<headEnd, mention: start..<start, dates: [], document: document)
            lines[index].line.lineNumber = heading.lineNumber
        }
        // 2b. A numbered list under a treatment heading ("Treatment history / 1. BR x 6 … 2. Ibrutinib …"):
        // the item number is the line number.
        for index in lines.indices where lines[index].line.lineNumber == nil {
            guard let start = items.last(where: { $0 <= lines[index].range.lowerBound }),
                  let number = Self.numberedItem.firstMatch(in: text, range: start..<lines[index].range.lowerBound)?.group(1, in: text).flatMap(Int.init),
                  !text[start..<lines[index].range.lowerBound].contains("\n\n") else { continue }
            let before = text[..<start]
            let paragraphStart = before.range(of: "\n\n", options: .backwards)?.upperBound ?? text.startIndex
            let headingEnd = text[paragraphStart...].firstIndex(of: "\n") ?? text.endIndex
            guard headingEnd <= start, Self.treatmentHeading.firstMatch(in: text, range: paragraphStart..<headingEnd) != nil else { continue }
            lines[index].line.lineNumber = number
        }
        // 3. A later mention of the same therapy completes the first, unless numbered differently.
        var kept: [LineCandidate] = []
        for candidate in lines {
            if let first = kept.firstIndex(where: { Self.sameTherapy($0.line, candidate.line) && $0.assertion.isNegated == candidate.assertion.isNegated
                && (candidate.line.lineNumber == nil || $0.line.lineNumber == nil || $0.line.lineNumber == candidate.line.lineNumber) }) {
                kept[first].line.merge(candidate.line)
            } else {
                kept.append(candidate)
            }
        }
        lines = kept
        // 4. Maintenance and consolidation belong to the numbered line before them.
        for index in lines.indices where lines[index].line.lineNumber == nil
            && [.maintenance, .consolidation].contains(lines[index].line.intent) {
            lines[index].line.lineNumber = lines[..<index].last { $0.line.lineNumber != nil }?.line.lineNumber
        }
        // 5. "Induction …" followed by "Second line: …": the unnumbered first line is line one.
        if let second = lines.firstIndex(where: { $0.line.lineNumber == 2 }), !lines.contains(where: { $0.line.lineNumber == 1 }),
           let first = lines[..<second].firstIndex(where: { $0.line.lineNumber == nil && $0.line.intent != .maintenance && !$0.assertion.isNegated }) {
            lines[first].line.lineNumber = 1
            for index in lines.indices.dropFirst(first + 1) where index < second && lines[index].line.lineNumber == nil
                && [.maintenance, .consolidation].contains(lines[index].line.intent) {
                lines[index].line.lineNumber = 1
            }
        }
    }

    /// A sentence that goes on about the previous line: same paragraph, no other therapy,
    /// not a new list item, not a paragraph labelled as something else.
    private func isContinuation(_ sentence: Range<String.Index>, after previous: Range<String.Index>,
                                anchors: [Range<String.Index>], in text: String) -> Bool {
        let gap = text[previous.upperBound..<sentence.lowerBound]
        if gap.filter({ $0 == "\n" }).count > 1 { return false }
        if anchors.contains(where: { sentence.contains($0.lowerBound) }) { return false }
        let lineStart = text[..<sentence.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        if lineStart == sentence.lowerBound || text[lineStart..<sentence.lowerBound].allSatisfy(\.isWhitespace) {
            if Self.itemStart.firstMatch(in: text, range: lineStart..<sentence.upperBound).map({ $0.range.lowerBound == lineStart }) == true {
                return false
            }
        }
        if Self.otherLabel.firstMatch(in: text, range: sentence) != nil, Self.responseLabel.firstMatch(in: text, range: sentence) == nil {
            return false
        }
        return true
    }

    /// The same regimen, or the same drugs.
    static func sameTherapy(_ a: TreatmentLine, _ b: TreatmentLine) -> Bool {
        if let ra = a.regimen?.conceptID ?? a.regimen?.text.lowercased(), let rb = b.regimen?.conceptID ?? b.regimen?.text.lowercased() {
            return ra == rb
        }
        guard a.regimen == nil, b.regimen == nil, !a.drugs.isEmpty else { return false }
        return Set(a.drugs.map { $0.conceptID ?? $0.text.lowercased() }) == Set(b.drugs.map { $0.conceptID ?? $0.text.lowercased() })
    }
}

extension TreatmentLine {
    /// Fills what this line does not know from another mention of the same line.
    mutating func merge(_ other: TreatmentLine) {
        lineNumber = lineNumber ?? other.lineNumber
        intent = intent ?? other.intent
        startDate = startDate ?? other.startDate
        endDate = endDate ?? other.endDate
        bestResponse = bestResponse ?? other.bestResponse
        refractory = refractory ?? other.refractory
        relapseDate = relapseDate ?? other.relapseDate
        datesWeighed = datesWeighed ?? other.datesWeighed
    }
}
