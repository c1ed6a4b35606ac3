import Foundation

/// Rule-based clinical text extraction: finds diagnosis, histology, stage, biomarkers,
/// treatment lines, transplant, prior CAR-T, ECOG / Karnofsky, labs, LVEF, CNS
/// involvement, infections, pregnancy and demographics in a document's text, each as a
/// `ProfileFact` pending confirmation with the quoted span (UTF-16 offsets into `text`).
///
/// Negation ("no evidence of CNS involvement", "negative for", "denies") and uncertainty
/// ("possible", "cannot be excluded", "suspicious for") are detected NegEx-style within the
/// sentence and set `isNegated` / `isUncertain`; for biomarkers a stated negative result is
/// a *negative result*, not a negated fact. Mentions about relatives are dropped.
///
/// Dates: a value takes a date written in its own sentence; labs, ECOG and LVEF without
/// one take `documentDate` (the date of the report they appear in) when the caller passes
/// it; otherwise the date stays unknown.
public struct ProfileExtractor: Sendable {
    public var lexicon: ClinicalLexicon
    public var dateParser: ClinicalDateParser
    /// The assertion lexicon (negated, possible, hypothetical, historical, family).
    public var context: ConText

    public init(lexicon: ClinicalLexicon = .builtIn, dateParser: ClinicalDateParser = ClinicalDateParser(),
                context: ConText = .standard) {
        self.lexicon = lexicon
        self.dateParser = dateParser
        self.context = context
    }

    /// Extracts facts from `text` with the given lexicon (the spec'd entry point).
    public static func extract(text: String, documentID: String, lexicon: ClinicalLexicon = .builtIn) -> [ProfileFact] {
        ProfileExtractor(lexicon: lexicon).extract(text: text, documentID: documentID)
    }

    /// Extracts facts. `method` should be `.ocrTextRules` for OCR text (see
    /// `ExtractedText.factMethod`), which lowers confidence.
    public func extract(text: String, documentID: String, method: ExtractionMethod = .textRules,
                        documentDate: ClinicalDate? = nil) -> [ProfileFact] {
        let document = ClinicalDocument(text: text, documentID: documentID, method: method,
                                        documentDate: documentDate, lexicon: lexicon, dateParser: dateParser, context: context)
        var facts: [ProfileFact] = []
        facts += extractDemographics(document)
        facts += extractDiagnoses(document)
        facts += extractStages(document)
        facts += extractBiomarkers(document)
        facts += extractTreatments(document)
        facts += extractPerformanceStatus(document)
        facts += extractLabs(document)
        facts += extractFindings(document)
        return facts
    }
}

/// The text being read, its sentences, and how facts from it are made.
struct ClinicalDocument {
    /// The text the rules read: `originalText` after `TextRepair` (same offsets).
    let text: String
    /// The text as extracted, for quotes.
    let originalText: String
    let documentID: String
    let method: ExtractionMethod
    let documentDate: ClinicalDate?
    let lexicon: ClinicalLexicon
    let dateParser: ClinicalDateParser
    let sentences: [Range<String.Index>]
    /// Every date in the text, found once.
    let allDates: [ClinicalDateParser.Found]
    /// ConText modifiers of each sentence (same order as `sentences`).
    let modifiers: [[ConText.Modifier]]
    /// Sections whose heading gives their content a category ("Family history:", "Plan:").
    let sections: [(range: Range<String.Index>, category: ConText.Category)]
    /// When the specimen was taken or the measurement made, when the document says so
    /// ("Collected: 23/04/2026"); else the document's date.
    let clinicalDate: ClinicalDate?
    /// Every cancer named in the text, found once.
    let cancerMentions: [ClinicalLexicon.Match]

    init(text: String, documentID: String, method: ExtractionMethod, documentDate: ClinicalDate?,
         lexicon: ClinicalLexicon, dateParser: ClinicalDateParser, context: ConText = .standard) {
        self.originalText = text
        let text = TextRepair.repair(text)
        self.text = text
        self.documentID = documentID
        self.method = method
        self.documentDate = documentDate
        self.lexicon = lexicon
        let dateParser = dateParser.inferringNumericOrder(from: text).relative(to: documentDate)
        self.dateParser = dateParser
        let sentences = SentenceSplitter.sentences(in: text)
        self.sentences = sentences
        let allDates = dateParser.dates(in: text)
        self.allDates = allDates
        self.modifiers = sentences.map { context.modifiers(in: text, sentence: $0) }
        self.sections = context.sectionSpans(in: text)
        self.clinicalDate = Self.specimenDate(in: text, dates: allDates) ?? documentDate
        self.cancerMentions = lexicon.matches(in: text, kinds: [.cancer])
    }

    /// "Collected: 23/04/2026", "Sample … collected 23/04/2026", "Date of sample: …",
    /// "Specimen date …": the first such date in the document's header.
    static let specimenCue = Pattern(#"\b(?:collected|collection date|date collected|date of collection|sample date|date of sample|specimen date|date of specimen|sampled|sample taken|drawn|date of procedure|procedure date|date of biopsy|biopsy date|date of (?:scan|study|examination|exam))\b\s*(?:on|:|-)?\s*$"#)

    static func specimenDate(in text: String, dates: [ClinicalDateParser.Found]) -> ClinicalDate? {
        for found in dates {
            let lineStart = text[..<found.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let from = text.index(found.range.lowerBound, offsetBy: -40, limitedBy: lineStart) ?? lineStart
            if specimenCue.firstMatch(in: text, range: max(from, lineStart)..<found.range.lowerBound) != nil { return found.date }
        }
        return nil
    }

    /// The sentence containing `range` (or the whole text).
    func sentence(containing range: Range<String.Index>) -> Range<String.Index> {
        sentences.first { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
            ?? sentences.first { $0.overlaps(range) }
            ?? text.startIndex..<text.endIndex
    }

    /// The date a paragraph's title line gives its results ("Recent results (14/05/2026)",
    /// "Bloods 02/04/2026:"): a short first line of the paragraph with one date.
    func headingDate(for range: Range<String.Index>) -> ClinicalDate? {
        let before = text[..<range.lowerBound]
        let paragraphStart = before.range(of: "\n\n", options: .backwards)?.upperBound ?? text.startIndex
        let firstLineEnd = text[paragraphStart...].firstIndex(of: "\n") ?? text.endIndex
        guard firstLineEnd < range.lowerBound, text.distance(from: paragraphStart, to: firstLineEnd) <= 60 else { return nil }
        let found = allDates.filter { $0.range.lowerBound >= paragraphStart && $0.range.upperBound <= firstLineEnd }
        return found.count == 1 ? found[0].date : nil
    }

    /// The date of the initial diagnosis the document states ("diagnosed 03/2020", "diagnosis
    /// in March 2020"): the first date within a sentence after a diagnosis cue.
    var diagnosisDate: ClinicalDate? {
        for sentence in sentences {
            guard let cue = ProfileExtractor.diagnosedDate.firstMatch(in: text, range: sentence) else { continue }
            if let found = allDates.first(where: { sentence.contains($0.range.lowerBound) && $0.range.lowerBound > cue.range.lowerBound }) {
                return found.date
            }
        }
        return nil
    }

    /// The span of `range` with the original (unrepaired) words.
    func quote(_ range: Range<String.Index>) -> TextSpan {
        var span = TextSpan(range, in: text)
        let utf16 = originalText.utf16
        if let lower = utf16.index(utf16.startIndex, offsetBy: span.start, limitedBy: utf16.endIndex),
           let upper = utf16.index(utf16.startIndex, offsetBy: span.end, limitedBy: utf16.endIndex),
           let start = lower.samePosition(in: originalText), let end = upper.samePosition(in: originalText) {
            span.text = String(originalText[start..<end])
        }
        return span
    }

    func assess(_ range: Range<String.Index>) -> Assertion {
        let touched = sentences.indices.filter { sentences[$0].overlaps(range) || sentences[$0].contains(range.lowerBound) }
        let nearby = touched.isEmpty ? [] : touched.flatMap { modifiers[$0] }
        return AssertionDetector.assess(range, in: text, modifiers: nearby, sections: sections)
    }

    /// The date written right by a measurement ("Echo 16/10/2024: EF 55%", "LVEF 62% (October
    /// 2024)"): the nearest date of its sentence within 40 characters; a date further away
    /// usually belongs to another finding of the sentence.
    func closeDate(to range: Range<String.Index>) -> ClinicalDate? {
        dates(near: range).map { found -> (Int, ClinicalDate) in
            let gap = found.range.lowerBound >= range.upperBound
                ? text.distance(from: range.upperBound, to: found.range.lowerBound)
                : text.distance(from: found.range.upperBound, to: range.lowerBound)
            return (max(gap, 0), found.date)
        }.filter { $0.0 <= 40 }.min { $0.0 < $1.0 }?.1
    }

    /// The date a list item or a line opens with ("Labs 29.09.2026: Hb 9,6 g/dl; …",
    /// "- Echocardiography 24.09.2026: LVEF 52%"): a date followed by a colon between the start
    /// of the line and the measurement, when the measurement's own sentence has none.
    func itemDate(for range: Range<String.Index>) -> ClinicalDate? {
        let lineStart = text[..<range.lowerBound].lastIndex(where: { $0 == "\n" || $0 == "\u{0C}" }).map { text.index(after: $0) } ?? text.startIndex
        // A list item runs on over indented lines: go back to the line that opens it.
        var itemStart = lineStart
        var probe = lineStart
        for _ in 0..<4 {
            guard probe > text.startIndex, text[probe...].first == " " else { break }
            let previousEnd = text.index(before: probe)
            let previousStart = text[..<previousEnd].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            itemStart = previousStart
            probe = previousStart
        }
        // "- 02/2016 progression (Rai III). FISH del(13q); del(17p) not detected.": an item opening with a date.
        if let bullet = ProfileExtractor.datedItem.firstMatch(in: text, range: itemStart..<range.lowerBound),
           let opening = allDates.first(where: { $0.range.lowerBound == bullet.range.upperBound }) {
            return opening.date
        }
        return allDates.last { found in
            found.range.lowerBound >= itemStart && found.range.upperBound <= range.lowerBound
                && text[found.range.upperBound...].prefix(2).contains(":")
        }?.date
    }

    /// Dates written in the sentence of `range`, in order.
    func dates(near range: Range<String.Index>) -> [ClinicalDateParser.Found] {
        let sentence = sentence(containing: range)
        return allDates.filter { sentence.contains($0.range.lowerBound) }
    }

    /// Builds a fact whose quoted span covers the mention and, when it changed the
    /// assertion, its trigger phrase ("no evidence of … CNS involvement").
    func fact<V: ProfileValue>(_ value: V, span: Range<String.Index>, confidence: Double,
                               assertion: Assertion = Assertion(), applyNegation: Bool = true) -> Fact<V> {
        var quoted = span
        if let trigger = assertion.triggerRange, assertion.isNegated || assertion.isUncertain {
            quoted = min(trigger.lowerBound, span.lowerBound)..<max(trigger.upperBound, span.upperBound)
        }
        let adjusted = method == .ocrTextRules ? confidence * 0.85 : confidence
        return Fact(value: value,
                    provenance: Provenance(source: .document(documentID: documentID, span: quote(quoted)), method: method),
                    confidence: assertion.isUncertain ? adjusted * 0.7 : adjusted,
                    isNegated: applyNegation && assertion.isNegated,
                    isUncertain: assertion.isUncertain)
    }
}
