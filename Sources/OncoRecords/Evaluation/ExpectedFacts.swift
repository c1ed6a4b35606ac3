import Foundation

/// What one evaluation document must yield: read from `<document>.expected.json` next to
/// its renderings (`.txt`, `.pdf`, `.scan.png` / `.scan.pdf`).
///
/// ```json
/// {"synthetic": true, "patient": "p01-dlbcl", "document": "clinic-letter",
///  "facts": [{"field": "lab", "value": "creatinine 97", "unit": "umol/L", "date": "2025-02-17"},
///            {"field": "cns-involvement", "value": "cns", "negated": true}],
///  "absent": [{"field": "primary-cancer", "value": "breast cancer"}]}
/// ```
///
/// `field` is a `ProfileField` raw value; `value` is written as a person would (a cancer,
/// regimen or drug name, "ECOG 1", "creatinine 97") and normalised through the lexicon;
/// every other key is an attribute the produced fact must have (see `ComparableFact`).
/// `absent` lists facts the document must *not* yield (family history, plans).
public struct ExpectedDocument: Codable, Sendable, Hashable {
    public var synthetic: Bool?
    public var patient: String
    public var document: String
    public var facts: [ExpectedFact]
    public var absent: [ExpectedFact]

    public init(patient: String, document: String, facts: [ExpectedFact], absent: [ExpectedFact] = []) {
        self.synthetic = true
        self.patient = patient
        self.document = document
        self.facts = facts
        self.absent = absent
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        synthetic = try container.decodeIfPresent(Bool.self, forKey: .synthetic)
        patient = try container.decode(String.self, forKey: .patient)
        document = try container.decode(String.self, forKey: .document)
        facts = try container.decode([ExpectedFact].self, forKey: .facts)
        absent = try container.decodeIfPresent([ExpectedFact].self, forKey: .absent) ?? []
    }
}

/// One expected fact: field, value as written, assertion flags and attributes.
public struct ExpectedFact: Codable, Sendable, Hashable {
    public var field: ProfileField
    public var value: String
    public var negated: Bool
    public var uncertain: Bool
    /// Attribute name → expected value, as strings ("line": "2", "date": "2025-02-17").
    public var attributes: [String: String]

    public init(field: ProfileField, value: String, negated: Bool = false, uncertain: Bool = false, attributes: [String: String] = [:]) {
        self.field = field
        self.value = value
        self.negated = negated
        self.uncertain = uncertain
        self.attributes = attributes
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        field = try container.decode(ProfileField.self, forKey: Key(stringValue: "field"))
        value = try container.decode(String.self, forKey: Key(stringValue: "value"))
        negated = try container.decodeIfPresent(Bool.self, forKey: Key(stringValue: "negated")) ?? false
        uncertain = try container.decodeIfPresent(Bool.self, forKey: Key(stringValue: "uncertain")) ?? false
        var attributes: [String: String] = [:]
        for key in container.allKeys where !["field", "value", "negated", "uncertain"].contains(key.stringValue) {
            switch try container.decode(JSONValue.self, forKey: key) {
            case .string(let text): attributes[key.stringValue] = text
            case .bool(let flag): attributes[key.stringValue] = flag ? "true" : "false"
            case .number(let number): attributes[key.stringValue] = ComparableFact.format(number)
            default: continue
            }
        }
        self.attributes = attributes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(field, forKey: Key(stringValue: "field"))
        try container.encode(value, forKey: Key(stringValue: "value"))
        if negated { try container.encode(true, forKey: Key(stringValue: "negated")) }
        if uncertain { try container.encode(true, forKey: Key(stringValue: "uncertain")) }
        for (name, text) in attributes.sorted(by: { $0.key < $1.key }) {
            try container.encode(text, forKey: Key(stringValue: name))
        }
    }

    /// One line for a report: `lab creatinine 97 {date=2025-02-17, unit=umol/L}`.
    public var description: String {
        var text = (negated ? "NOT " : "") + "\(field.rawValue) \(value)"
        if uncertain { text += " (uncertain)" }
        if !attributes.isEmpty {
            text += " {" + attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
        }
        return text
    }
}
