import Foundation

/// A problem found while importing FHIR: what, where, and whether anything was imported.
public struct FHIRImportIssue: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable, Hashable {
        /// The resource (or part of it) could not be imported.
        case error
        /// Imported, but the resource breaks a FHIR rule or was read heuristically.
        case warning
        /// Deliberately not imported (not patient data, or not a profile field).
        case information
    }

    public var severity: Severity
    /// Where in the input: "Bundle.entry[3].resource" or "Observation".
    public var location: String
    /// "Observation/abc" when the resource has an id.
    public var resource: String?
    public var message: String

    public var description: String {
        "\(severity.rawValue): \(location)" + (resource.map { " (\($0))" } ?? "") + ": \(message)"
    }
}

/// The input was not FHIR at all, so nothing could be imported.
public enum FHIRImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not parseable JSON; `detail` carries the parser's position.
    case invalidJSON(detail: String)
    /// Valid JSON but not a FHIR resource (no `resourceType` at the top level).
    case notAResource(detail: String)

    public var description: String {
        switch self {
        case .invalidJSON(let detail): "FHIR import failed: the file is not valid JSON (\(detail))"
        case .notAResource(let detail): "FHIR import failed: \(detail)"
        }
    }
}

extension FHIRImportError: LocalizedError {
    public var errorDescription: String? { description }
}

/// What an import produced: the facts (all pending confirmation) and every issue.
public struct FHIRImportResult: Sendable, Hashable {
    public var facts: [ProfileFact]
    public var issues: [FHIRImportIssue]
    /// Resources read, by type (for the import report).
    public var resourceCounts: [String: Int]

    public var errors: [FHIRImportIssue] { issues.filter { $0.severity == .error } }
}

/// Imports FHIR R4 JSON (a Bundle of any type, or a single resource) into profile facts,
/// each pointing at its resource ("Observation/123") and element. mCODE profiles are
/// recognised by `meta.profile` and, where exporters leave that out, by LOINC/SNOMED codes.
///
/// Broken input is reported, not fatal: invalid JSON or a non-resource throws
/// `FHIRImportError`; inside a Bundle every bad entry becomes an issue naming its
/// location and the missing or wrong element, and the rest is imported.
public struct FHIRImporter: Sendable {
    public var lexicon: ClinicalLexicon
    /// Confidence given to imported facts (structured data, but still someone else's record).
    public var confidence: Double

    public init(lexicon: ClinicalLexicon = .builtIn, confidence: Double = 0.95) {
        self.lexicon = lexicon
        self.confidence = confidence
    }

    /// The resource types the importer reads; others are reported as not imported.
    public static let supportedResourceTypes: Set<String> = [
        "Patient", "Condition", "Observation", "MedicationStatement", "MedicationRequest",
        "MedicationAdministration", "Procedure", "Bundle",
    ]

    /// FHIR R4 resource types that are not patient data for the profile (ignored quietly).
    static let knownOtherTypes: Set<String> = [
        "ResearchStudy", "ResearchSubject", "Location", "Organization", "Practitioner", "PractitionerRole",
        "PlanDefinition", "Group", "Encounter", "Medication", "DiagnosticReport", "Specimen", "Provenance",
        "DocumentReference", "Composition", "AllergyIntolerance", "Immunization", "CarePlan", "Device",
        "FamilyMemberHistory", "Coverage", "Consent", "ServiceRequest", "BodyStructure", "Media",
    ]

    /// Imports `data`; `documentID` is the stored upload the facts will point to.
    public func importData(_ data: Data, documentID: String? = nil) throws -> FHIRImportResult {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw FHIRImportError.invalidJSON(detail: underlying ?? context.debugDescription)
        } catch {
            throw FHIRImportError.invalidJSON(detail: "\(error)")
        }
        guard root.object != nil else {
            throw FHIRImportError.notAResource(detail: "the top level is not a JSON object")
        }
        guard root["resourceType"]?.string != nil else {
            throw FHIRImportError.notAResource(detail: "the top-level object has no \"resourceType\"; it is not a FHIR resource or Bundle")
        }
        var sink = ImportSink(documentID: documentID)
        importResource(root, location: root["resourceType"]?.string ?? "resource", fullUrl: nil, into: &sink)
        return FHIRImportResult(facts: sink.facts, issues: sink.issues, resourceCounts: sink.counts)
    }

    func importResource(_ resource: JSONValue, location: String, fullUrl: String?, into sink: inout ImportSink) {
        guard let type = resource["resourceType"]?.string else {
            sink.issue(.error, location, nil, "no \"resourceType\"; the entry was skipped")
            return
        }
        let context = ResourceContext(resource: resource, type: type, location: location, fullUrl: fullUrl,
                                      documentID: sink.documentID, confidence: confidence)
        sink.counts[type, default: 0] += 1
        switch type {
        case "Bundle": importBundle(resource, location: location, into: &sink)
        case "Patient": importPatient(context, into: &sink)
        case "Condition": importCondition(context, into: &sink)
        case "Observation": importObservation(context, into: &sink)
        case "MedicationStatement", "MedicationRequest", "MedicationAdministration": importMedication(context, into: &sink)
        case "Procedure": importProcedure(context, into: &sink)
        default:
            if Self.knownOtherTypes.contains(type) {
                sink.issue(.information, location, context.reference, "\(type) is not patient data for the profile; not imported")
            } else {
                sink.issue(.error, location, context.reference, "unknown resourceType \"\(type)\"; the resource was skipped")
            }
        }
    }

    private func importBundle(_ bundle: JSONValue, location: String, into sink: inout ImportSink) {
        guard let entries = bundle["entry"] else {
            sink.issue(.warning, location, nil, "the Bundle has no entries")
            return
        }
        guard case .array(let list) = entries else {
            sink.issue(.error, "\(location).entry", nil, "\"entry\" must be a list; nothing was imported from it")
            return
        }
        // Medication resources are referenced by MedicationStatement/Request/Administration.
        for entry in list {
            guard let resource = entry["resource"], resource["resourceType"]?.string == "Medication" else { continue }
            if let id = resource["id"]?.string { sink.medications["Medication/\(id)"] = resource }
            if let fullUrl = entry["fullUrl"]?.string { sink.medications[fullUrl] = resource }
        }
        for (index, entry) in list.enumerated() {
            let entryLocation = "\(location).entry[\(index)]"
            guard let resource = entry["resource"], resource.object != nil else {
                sink.issue(.error, entryLocation, nil, "the entry has no \"resource\" object; skipped")
                continue
            }
            importResource(resource, location: "\(entryLocation).resource", fullUrl: entry["fullUrl"]?.string, into: &sink)
        }
    }
}

/// Accumulates facts and issues during one import.
struct ImportSink {
    let documentID: String?
    var facts: [ProfileFact] = []
    var issues: [FHIRImportIssue] = []
    var counts: [String: Int] = [:]
    /// Medication resources of the Bundle by "Medication/id" and fullUrl.
    var medications: [String: JSONValue] = [:]

    mutating func issue(_ severity: FHIRImportIssue.Severity, _ location: String, _ resource: String?, _ message: String) {
        issues.append(FHIRImportIssue(severity: severity, location: location, resource: resource, message: message))
    }

    mutating func add(_ fact: ProfileFact) { facts.append(fact) }
}

/// One resource being imported, with what every fact from it needs.
struct ResourceContext {
    let resource: JSONValue
    let type: String
    let location: String
    let fullUrl: String?
    let documentID: String?
    let confidence: Double

    /// "Type/id", else the Bundle entry's fullUrl, else the location in the file.
    var reference: String {
        if let id = resource["id"]?.string { return "\(type)/\(id)" }
        return fullUrl ?? location
    }

    func fact<V: ProfileValue>(_ value: V, element: String, confidence: Double? = nil,
                               negated: Bool = false, uncertain: Bool = false) -> Fact<V> {
        Fact(value: value,
             provenance: Provenance(source: .fhirResource(documentID: documentID, reference: reference, element: "\(type).\(element)"),
                                    method: .fhirImport),
             confidence: confidence ?? self.confidence,
             isNegated: negated, isUncertain: uncertain)
    }

    subscript(key: String) -> JSONValue? { resource[key] }

    /// `status` is required on most R4 clinical resources; warn when absent.
    func requireElement(_ name: String, into sink: inout ImportSink) {
        if resource[name] == nil {
            sink.issue(.warning, location, reference, "required element \"\(type).\(name)\" is missing (FHIR R4); imported anyway")
        }
    }

    /// The first date among the given dateTime / Period elements.
    func date(_ elements: [String]) -> ClinicalDate? {
        for element in elements {
            if let text = resource[element]?.string, let date = ClinicalDate(iso: text) { return date }
            if let start = resource[element]?["start"]?.string, let date = ClinicalDate(iso: start) { return date }
        }
        return nil
    }
}
