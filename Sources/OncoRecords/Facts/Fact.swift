import Foundation

/// A value of the patient profile together with where it came from and how far it can
/// be trusted. Nothing enters a `PatientProfile` without one: the navigator must always
/// be able to click from a field to the document span or FHIR resource behind it.
public struct Fact<Value: ProfileValue>: Codable, Sendable, Hashable, Identifiable {
    public var id: UUID
    public var value: Value
    public var provenance: Provenance
    /// 0…1. Rule-based text extraction sets this from the strength of the pattern; FHIR
    /// imports are 0.95 (structured, but still a copy of someone else's record).
    public var confidence: Double
    public var status: FactStatus
    /// The source says the finding is absent ("no evidence of CNS involvement", "ALK negative"
    /// is *not* negated — it is a negative result; negation is about the finding itself).
    public var isNegated: Bool
    /// The source hedges ("possible", "cannot be excluded", "suspicious for").
    public var isUncertain: Bool

    public init(
        id: UUID = UUID(),
        value: Value,
        provenance: Provenance,
        confidence: Double,
        status: FactStatus = .pendingConfirmation,
        isNegated: Bool = false,
        isUncertain: Bool = false
    ) {
        self.id = id
        self.value = value
        self.provenance = provenance
        self.confidence = min(max(confidence, 0), 1)
        self.status = status
        self.isNegated = isNegated
        self.isUncertain = isUncertain
    }

    /// Rejected facts stay in the record (nothing lost) but no longer count.
    public var isActive: Bool {
        if case .rejected = status { return false }
        return true
    }

    /// A person confirmed the fact.
    public func confirmed(by person: String, at date: Date = Date()) -> Fact {
        var copy = self
        copy.status = .confirmed(by: person, at: date)
        return copy
    }

    /// A person rejected the fact (it was wrong, or belongs to another patient).
    public func rejected(by person: String, reason: String? = nil, at date: Date = Date()) -> Fact {
        var copy = self
        copy.status = .rejected(by: person, at: date, reason: reason)
        return copy
    }

    /// A person corrected the value; the previous value is kept, described, in the status.
    public func edited(to newValue: Value, by person: String, at date: Date = Date()) -> Fact {
        var copy = self
        copy.status = .edited(by: person, at: date, previousValue: value.displayText)
        copy.value = newValue
        return copy
    }
}

/// The review state of a fact. Everything extracted by software starts as
/// `pendingConfirmation`; matching may use it but must show it as unconfirmed.
public enum FactStatus: Codable, Sendable, Hashable {
    case pendingConfirmation
    case confirmed(by: String, at: Date)
    case rejected(by: String, at: Date, reason: String?)
    case edited(by: String, at: Date, previousValue: String)

    /// Confirmed or edited by a person.
    public var isHumanReviewed: Bool {
        switch self {
        case .confirmed, .edited: true
        case .pendingConfirmation, .rejected: false
        }
    }

    public var label: String {
        switch self {
        case .pendingConfirmation: "pending confirmation"
        case .confirmed(let by, _): "confirmed by \(by)"
        case .rejected(let by, _, _): "rejected by \(by)"
        case .edited(let by, _, _): "edited by \(by)"
        }
    }
}

/// How a fact was obtained.
public enum ExtractionMethod: String, Codable, Sendable, Hashable {
    /// Rule-based clinical text extraction from a document's text layer.
    case textRules = "text-rules"
    /// Rule-based extraction from OCR text (scans, photos): lower trust.
    case ocrTextRules = "ocr-text-rules"
    /// Imported from a structured FHIR resource.
    case fhirImport = "fhir-import"
    /// Entered by a person.
    case manualEntry = "manual-entry"
}

/// Where a fact came from: a span of a document's extracted text, a FHIR resource, or a person.
public struct Provenance: Codable, Sendable, Hashable {
    public enum Source: Codable, Sendable, Hashable {
        /// `span` offsets index the extracted text of `documentID`.
        case document(documentID: String, span: TextSpan)
        /// `reference` is "ResourceType/id" (or the Bundle fullUrl when there is no id);
        /// `element` the FHIRPath-like element the value was read from.
        case fhirResource(documentID: String?, reference: String, element: String?)
        case manual(enteredBy: String)
    }

    public var source: Source
    public var method: ExtractionMethod

    public init(source: Source, method: ExtractionMethod) {
        self.source = source
        self.method = method
    }

    /// The quoted text, when the fact came from a document.
    public var quote: String? {
        if case .document(_, let span) = source { return span.text }
        return nil
    }

    public var documentID: String? {
        switch source {
        case .document(let id, _): id
        case .fhirResource(let id, _, _): id
        case .manual: nil
        }
    }

    /// One line for a reviewer: `doc-1 [120..145] "CD19 positive"` or `Observation/abc`.
    public var citation: String {
        switch source {
        case .document(let id, let span): "\(id) [\(span.start)..<\(span.end)] \"\(span.text)\""
        case .fhirResource(_, let reference, let element):
            element.map { "\(reference) (\($0))" } ?? reference
        case .manual(let who): "entered by \(who)"
        }
    }
}

/// A quoted span of extracted text. Offsets are UTF-16 code units (the unit of
/// `NSRange` and of JavaScript strings, so a web page can highlight the span directly).
public struct TextSpan: Codable, Sendable, Hashable {
    public var start: Int
    public var end: Int
    public var text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }

    /// The span of `range` within `source`.
    public init(_ range: Range<String.Index>, in source: String) {
        let nsRange = NSRange(range, in: source)
        self.init(start: nsRange.location, end: nsRange.location + nsRange.length, text: String(source[range]))
    }
}
