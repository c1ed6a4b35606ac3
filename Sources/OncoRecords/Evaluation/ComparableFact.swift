import Foundation

/// A fact reduced to what the evaluation compares: field, a normalised value, assertion
/// flags and normalised attributes. Produced facts and expected facts are both brought
/// into this form with the same lexicon, so "R-CHOP", "r-chop" and "rituximab +
/// cyclophosphamide + doxorubicin + vincristine + prednisone" compare equal.
public struct ComparableFact: Codable, Sendable, Hashable {
    public var field: ProfileField
    public var value: String
    public var negated: Bool
    public var uncertain: Bool
    public var attributes: [String: String]

    /// The claim without its attributes: two facts with the same claim say the same thing
    /// about the same item, possibly with different detail.
    public var claim: String { "\(field.rawValue)|\(value)|\(negated)|\(uncertain)" }

    /// Whether this produced fact satisfies `expected`: same field, value and flags, and
    /// every attribute the expectation names (extra produced attributes do not matter).
    public func satisfies(_ expected: ComparableFact) -> Bool {
        field == expected.field && value == expected.value && negated == expected.negated && uncertain == expected.uncertain
            && expected.attributes.allSatisfy { attributes[$0.key] == $0.value }
    }

    /// "97", "3.9", "0.05": numbers as the expectation files write them.
    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e9 ? String(Int(number)) : String(number)
    }
}

/// Brings facts into `ComparableFact` form with one lexicon.
public struct FactNormalizer: Sendable {
    public var lexicon: ClinicalLexicon
    /// Regimen concept id → its drugs' concept ids (sorted), when the lexicon lists them.
    private let regimenComponents: [String: [String]]

    public init(lexicon: ClinicalLexicon) {
        self.lexicon = lexicon
        var components: [String: [String]] = [:]
        for entry in lexicon.entries where entry.kind == .regimen && !entry.components.isEmpty {
            components[entry.conceptID] = entry.components.sorted()
        }
        self.regimenComponents = components
    }

    // MARK: Expected facts

    public func comparable(_ expected: ExpectedFact) -> ComparableFact {
        var attributes: [String: String] = [:]
        for (name, value) in expected.attributes { attributes[name] = normalizeAttribute(name, value) }
        return ComparableFact(field: expected.field, value: normalizeExpectedValue(expected.field, expected.value),
                              negated: expected.negated, uncertain: expected.uncertain, attributes: attributes)
    }

    private func normalizeExpectedValue(_ field: ProfileField, _ value: String) -> String {
        switch field {
        case .primaryCancer, .secondaryCancer: return lexicon.lookup(value, kinds: [.cancer])?.conceptID ?? value.lowercased()
        case .histology: return lexicon.lookup(value, kinds: [.histology])?.conceptID ?? value.lowercased()
        case .biomarker: return Self.compactMarker(lexicon.lookup(value, kinds: [.biomarker])?.displayName ?? value)
        case .treatmentLine:
            if let regimen = lexicon.lookup(value, kinds: [.regimen]) { return signature(regimen: regimen.conceptID, drugs: []) }
            let drugs = value.components(separatedBy: "+").map { $0.trimmingCharacters(in: .whitespaces) }
                .map { lexicon.lookup($0, kinds: [.drug])?.conceptID ?? $0.lowercased() }
            return signature(regimen: nil, drugs: drugs)
        case .priorCellTherapy:
            return lexicon.lookup(value, kinds: [.cellTherapyProduct])?.conceptID ?? value.lowercased()
        case .stage, .performanceStatus, .infection: return value.uppercased()
        case .lab, .lvef:
            var words = value.split(separator: " ").map(String.init)
            if let last = words.last, let number = Double(last) { words[words.count - 1] = ComparableFact.format(number) }
            return words.joined(separator: " ").lowercased()
        case .birthDate, .age, .sex, .transplant, .cnsInvolvement, .pregnancy: return value.lowercased()
        }
    }

    // MARK: Produced facts

    public func comparable(_ fact: ProfileFact) -> ComparableFact {
        let summary = fact.summary
        var attributes: [String: String] = [:]
        func set(_ name: String, _ value: String?) {
            if let value { attributes[name] = normalizeAttribute(name, value) }
        }
        let value: String
        switch fact {
        case .birthDate(let f): value = f.value.description
        case .age(let f): value = "\(f.value.value)"
        case .sex(let f): value = f.value.rawValue
        case .primaryCancer(let f), .secondaryCancer(let f):
            value = f.value.cancer.conceptID ?? f.value.cancer.text.lowercased()
            set("date", f.value.diagnosisDate?.description)
        case .histology(let f): value = f.value.conceptID ?? f.value.text.lowercased()
        case .stage(let f):
            let stage = f.value
            let categories = [stage.t, stage.n, stage.m].compactMap { $0 }.map { Self.withoutStagingPrefix($0) }
            value = (stage.system.rawValue + " " + (stage.group ?? categories.joined(separator: " "))).uppercased()
            set("date", stage.date?.description)
        case .biomarker(let f):
            let result = f.value
            value = Self.compactMarker(result.marker)
            set("result", result.interpretation.rawValue)
            set("alteration", result.alteration)
            set("quantity", result.value)
            set("date", result.date?.description)
        case .treatmentLine(let f):
            let line = f.value
            value = signature(regimen: line.regimen?.conceptID ?? line.regimen?.text.lowercased(),
                              drugs: line.drugs.map { $0.conceptID ?? $0.text.lowercased() })
            set("line", line.lineNumber.map(String.init))
            set("intent", line.intent?.rawValue)
            set("response", line.bestResponse?.rawValue)
            set("start", line.startDate?.description)
            set("end", line.endDate?.description)
            set("relapse", line.relapseDate?.description)
            set("refractory", line.refractory.map { $0 ? "true" : "false" })
        case .transplant(let f):
            value = f.value.kind.rawValue
            set("date", f.value.date?.description)
        case .priorCellTherapy(let f):
            value = f.value.product?.conceptID ?? "car-t"
            set("target", f.value.target)
            set("date", f.value.date?.description)
            set("response", f.value.bestResponse?.rawValue)
        case .performanceStatus(let f):
            value = "\(f.value.scale.rawValue) \(f.value.score)".uppercased()
            set("date", f.value.date?.description)
        case .lab(let f), .lvef(let f):
            value = "\(f.value.name) \(ComparableFact.format(f.value.value))".lowercased()
            set("unit", f.value.unit)
            set("date", f.value.date?.description)
        case .cnsInvolvement(let f):
            value = "cns"
            set("date", f.value.date?.description)
        case .infection(let f):
            value = f.value.agent.rawValue
            set("result", f.value.result.rawValue)
            set("test", f.value.test)
        case .pregnancy: value = "pregnancy"
        }
        return ComparableFact(field: summary.field, value: value, negated: summary.isNegated, uncertain: summary.isUncertain,
                              attributes: attributes)
    }

    // MARK: Normalisation

    /// A line's identity: its regimen's drugs when the lexicon knows them (so a regimen and
    /// its spelled-out drugs agree), else the regimen id, else its drugs, sorted.
    private func signature(regimen: String?, drugs: [String]) -> String {
        if let regimen {
            return regimenComponents[regimen].map { $0.joined(separator: "+") } ?? regimen
        }
        return Set(drugs).sorted().joined(separator: "+")
    }

    private func normalizeAttribute(_ name: String, _ value: String) -> String {
        switch name {
        case "unit": return Self.normalizeUnit(value)
        case "alteration", "quantity", "test":
            return value.lowercased().filter { $0.isLetter || $0.isNumber || "().;:%*>/".contains($0) }
        case "response", "result", "intent", "refractory": return value.lowercased()
        case "target": return Self.compactMarker(value)
        default: return value
        }
    }

    /// "µmol/L", "umol/l", "μmol/L" → "umol/l"; "×10⁹/L", "x10^9/L", "10^9/L" → "10^9/l".
    static func normalizeUnit(_ unit: String) -> String {
        var text = unit.lowercased().replacingOccurrences(of: " ", with: "")
        for (from, to) in [("µ", "u"), ("μ", "u"), ("×", "x"), ("⁹", "^9"), ("³", "^3"), ("10^9", "10^9"), ("109/", "10^9/")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        if text.hasPrefix("x10") { text.removeFirst() }
        return text
    }

    /// "Ki-67", "KI67", "BCR::ABL1", "BCR-ABL1" → "KI67", "BCRABL1".
    static func compactMarker(_ marker: String) -> String {
        marker.uppercased().filter { $0.isLetter || $0.isNumber }
    }

    static func withoutStagingPrefix(_ category: String) -> String {
        var text = Substring(category)
        while let first = text.first, "cpyr".contains(first), text.count > 1, text.dropFirst().first?.isUppercase == true || "cpyr".contains(text.dropFirst().first ?? " ") {
            text = text.dropFirst()
        }
        return String(text)
    }
}
