import Foundation

/// What kind of clinical document a text is.
public enum DocumentCategory: String, Codable, Sendable, Hashable, CaseIterable {
    case pathology
    case boneMarrow = "bone-marrow"
    case molecular
    case imaging
    case laboratory
    case clinicLetter = "clinic-letter"
    case treatmentSummary = "treatment-summary"
    case other

    public var displayName: String {
        switch self {
        case .pathology: "Pathology report"
        case .boneMarrow: "Bone marrow report"
        case .molecular: "Molecular / NGS report"
        case .imaging: "Imaging report"
        case .laboratory: "Laboratory results"
        case .clinicLetter: "Clinic letter / discharge summary"
        case .treatmentSummary: "Treatment summary"
        case .other: "Other document"
        }
    }
}

/// The date a document speaks for (report date, visit date), with where it was found.
public struct DocumentDate: Codable, Sendable, Hashable {
    public var date: ClinicalDate
    public var span: TextSpan
    /// The label in front of it ("Date of report"), when there was one.
    public var label: String?
}

public struct DocumentClassification: Codable, Sendable, Hashable {
    public var category: DocumentCategory
    /// 0…1: how clearly the winning category beat the others.
    public var confidence: Double
    /// The cue phrases that decided it, for the reviewer.
    public var cues: [String]
    public var documentDate: DocumentDate?
}

/// Classifies extracted text by weighted cue phrases (titles count double) and finds the
/// document date. Rule-based on purpose: explainable, no model to ship, and the navigator
/// can correct the category.
public struct DocumentClassifier: Sendable {
    public var dateParser: ClinicalDateParser

    public init(dateParser: ClinicalDateParser = ClinicalDateParser()) {
        self.dateParser = dateParser
    }

    struct Cue {
        let category: DocumentCategory
        let pattern: NSRegularExpression
        let weight: Double
        init(_ category: DocumentCategory, _ pattern: String, _ weight: Double) {
            self.category = category
            self.pattern = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            self.weight = weight
        }
    }

    static let cues: [Cue] = [
        Cue(.pathology, #"\b(surgical )?pathology report\b"#, 4), Cue(.pathology, #"\bhistopatholog"#, 3),
        Cue(.pathology, #"\bimmunohistochemistry\b|\bIHC\b"#, 2), Cue(.pathology, #"\bgross description\b"#, 3),
        Cue(.pathology, #"\bmicroscopic description\b"#, 3), Cue(.pathology, #"\bspecimen\b"#, 1),
        Cue(.pathology, #"\b(core|excisional|incisional) biopsy\b"#, 2), Cue(.pathology, #"\bfinal (pathologic )?diagnosis\b"#, 2),
        Cue(.boneMarrow, #"\bbone marrow (aspirate|biopsy|trephine|report|examination)\b"#, 5), Cue(.boneMarrow, #"\btrephine\b"#, 3),
        Cue(.boneMarrow, #"\bcellularity\b"#, 2), Cue(.boneMarrow, #"\bplasma cells?\b.{0,20}%"#, 2), Cue(.boneMarrow, #"\bmyeloid:?erythroid\b|\bM:E ratio\b"#, 3),
        Cue(.molecular, #"\bnext[- ]generation sequencing\b|\bNGS\b"#, 4), Cue(.molecular, #"\bvariant allele fraction\b|\bVAF\b"#, 4),
        Cue(.molecular, #"\bgenomic (profiling|report)\b|\bFoundationOne\b|\bGuardant\b"#, 4), Cue(.molecular, #"\btumou?r mutational burden\b"#, 3),
        Cue(.molecular, #"\bmolecular (pathology|report|testing)\b"#, 3), Cue(.molecular, #"\bFISH\b|\bcytogenetics\b|\bkaryotype\b"#, 2),
        Cue(.molecular, #"\bp\.[A-Z][a-z]{0,2}\d+"#, 2), Cue(.molecular, #"\bc\.\d+"#, 2),
        Cue(.imaging, #"\b(PET[/-]CT|CT (scan|chest|abdomen)|MRI|ultrasound|echocardiogra(m|phy)|x-ray|mammogra)"#, 3),
        Cue(.imaging, #"\bimpression:"#, 2), Cue(.imaging, #"\bfindings:"#, 1), Cue(.imaging, #"\bSUV ?max\b|\bDeauville\b"#, 3),
        Cue(.imaging, #"\bradiolog(y|ist)\b"#, 3), Cue(.imaging, #"\bcontrast\b"#, 1), Cue(.imaging, #"\btechnique:"#, 2),
        Cue(.laboratory, #"\blaboratory (results|report)\b|\blab results\b"#, 4), Cue(.laboratory, #"\breference (range|interval)\b"#, 3),
        Cue(.laboratory, #"\b(complete blood count|CBC|comprehensive metabolic panel|CMP)\b"#, 3),
        Cue(.laboratory, #"\b(creatinine|bilirubin|platelets|hemoglobin|haemoglobin|ALT|AST|LDH)\b"#, 1),
        Cue(.laboratory, #"\b(mg/dL|µmol/L|umol/L|g/dL|x ?10\^?9/L|U/L)\b"#, 1),
        Cue(.clinicLetter, #"\bdear (dr|doctor|colleague)"#, 4), Cue(.clinicLetter, #"\bdischarge summary\b"#, 5),
        Cue(.clinicLetter, #"\b(clinic letter|progress note|consultation note|history of present illness)\b"#, 4),
        Cue(.clinicLetter, #"\b(yours sincerely|kind regards|thank you for (referring|seeing))\b"#, 3),
        Cue(.clinicLetter, #"\b(assessment and plan|plan:|social history|physical exam(ination)?)\b"#, 2),
        Cue(.clinicLetter, #"\b(admitted|admission|discharged)\b"#, 1),
        Cue(.treatmentSummary, #"\btreatment (summary|history)\b"#, 5), Cue(.treatmentSummary, #"\blines? of (therapy|treatment)\b"#, 3),
        Cue(.treatmentSummary, #"\b(first|second|third|1st|2nd|3rd)[- ]line\b"#, 2), Cue(.treatmentSummary, #"\bcycles? of\b"#, 1),
        Cue(.treatmentSummary, #"\bbest response\b"#, 2), Cue(.treatmentSummary, #"\bchemotherapy summary\b|\bsurvivorship care plan\b"#, 4),
    ]

    public func classify(text: String) -> DocumentClassification {
        let head = String(text.prefix(400))
        var scores: [DocumentCategory: Double] = [:]
        var cueTexts: [DocumentCategory: [String]] = [:]
        for cue in Self.cues {
            let matches = cue.pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
            guard !matches.isEmpty else { continue }
            // Repetition adds a little; a cue in the title area counts double.
            var score = cue.weight * (1 + 0.25 * Double(min(matches.count - 1, 4)))
            if cue.pattern.firstMatch(in: head, range: NSRange(head.startIndex..., in: head)) != nil { score += cue.weight }
            scores[cue.category, default: 0] += score
            if let first = matches.first, let range = Range(first.range, in: text) {
                cueTexts[cue.category, default: []].append(String(text[range]))
            }
        }
        let ranked = scores.sorted { $0.value > $1.value }
        let documentDate = findDocumentDate(in: text)
        guard let best = ranked.first, best.value >= 3 else {
            return DocumentClassification(category: .other, confidence: 0.3, cues: [], documentDate: documentDate)
        }
        let runnerUp = ranked.dropFirst().first?.value ?? 0
        let confidence = min(0.95, 0.5 + 0.5 * (best.value - runnerUp) / best.value)
        return DocumentClassification(category: best.key, confidence: confidence, cues: cueTexts[best.key] ?? [], documentDate: documentDate)
    }

    private static let dateLabel = try! NSRegularExpression(
        pattern: #"\b(date of (report|service|visit|exam(ination)?|procedure|collection|discharge|letter|study)|report(ed)? (date|on)|collected( on)?|signed( out)?( on)?|dictated( on)?|date of admission|visit date|exam date|letter date|date|dated|drawn( on)?|issued( on)?|authori[sz]ed( on)?|performed( on)?|seen( in [a-z ]{0,30}clinic)?( on)?)\s*[:\-]?\s*"#,
        options: [.caseInsensitive])
    private static let birthLabel = try! NSRegularExpression(pattern: #"\b(DOB|date of birth|born|birth ?date)\b"#, options: [.caseInsensitive])

    /// A labelled date ("Date of report: …") wins; else the first full date in the first
    /// lines that is not a birth date; else nil.
    public func findDocumentDate(in text: String) -> DocumentDate? {
        let found = dateParser.inferringNumericOrder(from: text).dates(in: text)
        for candidate in found {
            let lineStart = text[..<candidate.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let prefix = String(text[lineStart..<candidate.range.lowerBound])
            if Self.birthLabel.firstMatch(in: prefix, range: NSRange(prefix.startIndex..., in: prefix)) != nil { continue }
            let labels = Self.dateLabel.matches(in: prefix, range: NSRange(prefix.startIndex..., in: prefix))
            if let last = labels.last, let labelRange = Range(last.range, in: prefix), labelRange.upperBound == prefix.endIndex {
                let label = prefix[labelRange].trimmingCharacters(in: CharacterSet(charactersIn: ": -").union(.whitespaces))
                return DocumentDate(date: candidate.date, span: TextSpan(candidate.range, in: text), label: label)
            }
        }
        let headEnd = text.index(text.startIndex, offsetBy: min(text.count, 600))
        for candidate in found where candidate.range.lowerBound < headEnd && candidate.date.day != nil {
            let lineStart = text[..<candidate.range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let prefix = String(text[lineStart..<candidate.range.lowerBound])
            if Self.birthLabel.firstMatch(in: prefix, range: NSRange(prefix.startIndex..., in: prefix)) != nil { continue }
            return DocumentDate(date: candidate.date, span: TextSpan(candidate.range, in: text), label: nil)
        }
        return nil
    }
}
