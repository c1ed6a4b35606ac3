import Foundation

/// Reading helpers for the FHIR datatypes the importer meets.
struct FHIRCoding: Hashable {
    var system: String?
    var code: String?
    var display: String?

    /// "system|code" as kept in `CodedText.codes`.
    var token: String? {
        guard let code else { return nil }
        return "\(system ?? "")|\(code)"
    }
}

enum FHIRSystem {
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
    static let ajcc = "http://cancerstaging.org"
    static let hgnc = "http://www.genenames.org/geneId"
    static let mcodeProfileBase = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
}

extension JSONValue {
    /// The codings of a CodeableConcept.
    var codings: [FHIRCoding] {
        (self["coding"]?.list ?? []).map {
            FHIRCoding(system: $0["system"]?.string, code: $0["code"]?.string, display: $0["display"]?.string)
        }
    }

    /// The best human text of a CodeableConcept: `text`, else the first display, else the first code.
    var conceptText: String? {
        if let text = self["text"]?.string, !text.isEmpty { return text }
        if let display = codings.compactMap(\.display).first(where: { !$0.isEmpty }) { return display }
        return codings.compactMap(\.code).first
    }

    func hasCode(_ system: String, _ codes: Set<String>) -> Bool {
        codings.contains { $0.system == system && codes.contains($0.code ?? "") }
    }

    func code(in system: String) -> String? {
        codings.first { $0.system == system }?.code
    }

    /// `meta.profile` URLs.
    var profiles: [String] { self["meta"]?["profile"]?.list.compactMap(\.string) ?? [] }

    func hasProfile(containing fragment: String) -> Bool {
        profiles.contains { $0.contains(fragment) }
    }

    /// The value of the first extension whose URL ends with `suffix`.
    func extensionValue(urlSuffix suffix: String) -> JSONValue? {
        for ext in self["extension"]?.list ?? [] where ext["url"]?.string?.hasSuffix(suffix) == true {
            if let object = ext.object {
                for (key, value) in object where key.hasPrefix("value") { return value }
            }
        }
        return nil
    }
}

/// Removes SNOMED's semantic tag and the "Oral Product" style suffixes of RxNorm displays.
func cleanDisplay(_ text: String) -> String {
    var result = text.replacingOccurrences(of: #"\s*\((disorder|finding|qualifier value|procedure|body structure|morphologic abnormality|Morphology)\)$"#,
                                           with: "", options: [.regularExpression, .caseInsensitive])
    result = result.replacingOccurrences(of: #"\s+(Oral|Injectable|Injetable|Topical)\s+Product$"#, with: "",
                                         options: [.regularExpression, .caseInsensitive])
    return result.trimmingCharacters(in: .whitespaces)
}
