import Foundation

/// Writes a profile as a FHIR R4 `collection` Bundle using mCODE profiles: Patient,
/// primary/secondary cancer Conditions, stage, tumour-marker / variant, ECOG / Karnofsky
/// and lab Observations, MedicationStatements and Procedures.
///
/// Only active facts are exported (rejected ones never leave); negated conditions are
/// `refuted`, uncertain ones `provisional`. Unknown fields are simply absent — the
/// exporter never writes a default. Codes carried from an import ("system|code") are
/// written back as codings; everything else as `text`.
public struct FHIRExporter: Sendable {
    public init() {}

    /// The Bundle as JSON (pretty-printed, keys sorted).
    public func exportData(_ profile: PatientProfile, patientID: String = "patient") throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(bundle(profile, patientID: patientID))
    }

    public func bundle(_ profile: PatientProfile, patientID: String = "patient") -> JSONValue {
        var builder = BundleBuilder(patientID: patientID)
        builder.addPatient(profile)
        for fact in profile.primaryCancers where fact.isActive { builder.addCondition(fact, profile: "mcode-primary-cancer-condition", histology: PatientProfile.preferred(profile.histologies)?.value) }
        for fact in profile.secondaryCancers where fact.isActive { builder.addCondition(fact, profile: "mcode-secondary-cancer-condition", histology: nil) }
        for fact in profile.stages where fact.isActive { builder.addStage(fact.value) }
        for fact in profile.biomarkers where fact.isActive { builder.addBiomarker(fact.value) }
        for fact in profile.performanceStatuses where fact.isActive { builder.addPerformance(fact.value) }
        for fact in profile.labs where fact.isActive { builder.addLab(fact.value, loinc: fact.value.loinc ?? Self.labLOINC[fact.value.name]) }
        for fact in profile.lvefs where fact.isActive { builder.addLab(fact.value, loinc: fact.value.loinc ?? "10230-1") }
        for fact in profile.treatmentLines where fact.isActive && !fact.isNegated { builder.addTreatment(fact.value) }
        for fact in profile.transplants where fact.isActive && !fact.isNegated { builder.addTransplant(fact.value) }
        for fact in profile.priorCellTherapies where fact.isActive && !fact.isNegated { builder.addCellTherapy(fact.value) }
        for fact in profile.cnsInvolvement where fact.isActive { builder.addFinding(fact, text: "CNS involvement by cancer") }
        for fact in profile.pregnancy where fact.isActive { builder.addFinding(fact, text: "Pregnancy status", loinc: "82810-3") }
        for fact in profile.infections where fact.isActive { builder.addInfection(fact.value) }
        return .object([
            "resourceType": .string("Bundle"),
            "type": .string("collection"),
            "entry": .array(builder.entries),
        ])
    }

    static let labLOINC: [String: String] = [
        "creatinine": "2160-0", "bilirubin": "1975-2", "AST": "1920-8", "ALT": "1742-6", "ANC": "751-8",
        "platelets": "777-3", "hemoglobin": "718-7", "LDH": "2532-0", "WBC": "6690-2", "ALC": "731-0", "albumin": "1751-7",
    ]
}

private struct BundleBuilder {
    let patientID: String
    var entries: [JSONValue] = []
    private var counter = 0

    init(patientID: String) { self.patientID = patientID }

    private var subject: JSONValue { .object(["reference": .string("Patient/\(patientID)")]) }

    private mutating func add(_ type: String, profile: String?, _ fields: [String: JSONValue]) {
        counter += 1
        let id = type == "Patient" ? patientID : "\(type.lowercased())-\(counter)"
        var resource = fields
        resource["resourceType"] = .string(type)
        resource["id"] = .string(id)
        if let profile {
            resource["meta"] = .object(["profile": .array([.string(FHIRSystem.mcodeProfileBase + profile)])])
        }
        if type != "Patient" { resource["subject"] = subject }
        entries.append(.object(["fullUrl": .string("urn:uuid:\(UUID().uuidString.lowercased())"), "resource": .object(resource)]))
    }

    private func concept(_ coded: CodedText) -> JSONValue {
        var fields: [String: JSONValue] = ["text": .string(coded.text)]
        let codings: [JSONValue] = coded.codes.compactMap { token in
            let parts = token.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty else { return nil }
            var coding: [String: JSONValue] = ["code": .string(String(parts[1]))]
            if !parts[0].isEmpty { coding["system"] = .string(String(parts[0])) }
            return .object(coding)
        }
        if !codings.isEmpty { fields["coding"] = .array(codings) }
        return .object(fields)
    }

    private func text(_ value: String) -> JSONValue { .object(["text": .string(value)]) }

    private func loincConcept(_ code: String, _ display: String) -> JSONValue {
        .object(["coding": .array([.object(["system": .string(FHIRSystem.loinc), "code": .string(code), "display": .string(display)])]),
                 "text": .string(display)])
    }

    private func dateFields(_ date: ClinicalDate?, key: String) -> [String: JSONValue] {
        date.map { [key: .string($0.description)] } ?? [:]
    }

    mutating func addPatient(_ profile: PatientProfile) {
        var fields: [String: JSONValue] = [:]
        if let birth = PatientProfile.preferred(profile.birthDates) { fields["birthDate"] = .string(birth.value.description) }
        if let sex = PatientProfile.preferred(profile.sexes) { fields["gender"] = .string(sex.value.rawValue) }
        add("Patient", profile: "mcode-cancer-patient", fields)
    }

    mutating func addCondition(_ fact: Fact<Diagnosis>, profile: String, histology: CodedText?) {
        let verification = fact.isNegated ? "refuted" : fact.isUncertain ? "provisional" : "confirmed"
        var fields: [String: JSONValue] = [
            "code": concept(fact.value.cancer),
            "verificationStatus": .object(["coding": .array([.object([
                "system": .string("http://terminology.hl7.org/CodeSystem/condition-ver-status"), "code": .string(verification)])])]),
            "category": .array([.object(["coding": .array([.object(["system": .string(FHIRSystem.snomed), "code": .string("64572001")])])])]),
        ]
        fields.merge(dateFields(fact.value.diagnosisDate, key: "onsetDateTime")) { $1 }
        if let site = fact.value.bodySite { fields["bodySite"] = .array([text(site)]) }
        if let histology {
            fields["extension"] = .array([.object([
                "url": .string(FHIRSystem.mcodeProfileBase + "mcode-histology-morphology-behavior"),
                "valueCodeableConcept": concept(histology)])])
        }
        add("Condition", profile: profile, fields)
    }

    mutating func addStage(_ stage: Stage) {
        var fields: [String: JSONValue] = ["status": .string("final")]
        fields.merge(dateFields(stage.date, key: "effectiveDateTime")) { $1 }
        if let group = stage.group {
            let pathological = stage.basis == "p"
            fields["code"] = stage.system == .tnm
                ? loincConcept(pathological ? "21902-2" : "21908-9", pathological ? "Stage group.pathology Cancer" : "Stage group.clinical Cancer")
                : text("\(stage.system.rawValue) stage")
            fields["valueCodeableConcept"] = text(group)
            add("Observation", profile: stage.system == .tnm ? (pathological ? "mcode-tnm-pathological-stage-group" : "mcode-tnm-clinical-stage-group") : nil, fields)
        }
        for (value, code, display, profile) in [
            (stage.t, "21905-5", "Primary tumor.clinical Cancer", "mcode-tnm-primary-tumor-category"),
            (stage.n, "21906-3", "Regional lymph nodes.clinical Cancer", "mcode-tnm-regional-nodes-category"),
            (stage.m, "21907-1", "Distant metastases.clinical Cancer", "mcode-tnm-distant-metastases-category"),
        ] {
            guard let value else { continue }
            var category = fields
            category["code"] = loincConcept(code, display)
            category["valueCodeableConcept"] = text(value)
            add("Observation", profile: profile, category)
        }
    }

    mutating func addBiomarker(_ marker: BiomarkerResult) {
        var fields: [String: JSONValue] = ["status": .string("final")]
        fields.merge(dateFields(marker.date, key: "effectiveDateTime")) { $1 }
        let resultText: String = switch marker.interpretation {
        case .positive: "Positive"
        case .negative: "Negative"
        case .indeterminate: "Indeterminate"
        case .value: marker.value ?? "unknown"
        }
        if let alteration = marker.alteration {
            fields["code"] = loincConcept("69548-6", "Genetic variant assessment")
            fields["valueCodeableConcept"] = text(marker.interpretation == .negative ? "Absent" : "Present")
            fields["component"] = .array([
                .object(["code": loincConcept("48018-6", "Gene studied [ID]"), "valueCodeableConcept": text(marker.marker)]),
                .object(["code": loincConcept("81252-9", "Discrete genetic variant"), "valueCodeableConcept": text(alteration)]),
            ])
            add("Observation", profile: "mcode-genomic-variant", fields)
        } else {
            fields["code"] = text(marker.marker)
            fields["valueCodeableConcept"] = text(resultText)
            add("Observation", profile: "mcode-tumor-marker-test", fields)
        }
    }

    mutating func addPerformance(_ status: PerformanceStatus) {
        var fields: [String: JSONValue] = ["status": .string("final"), "valueInteger": .number(Double(status.score))]
        fields.merge(dateFields(status.date, key: "effectiveDateTime")) { $1 }
        let ecog = status.scale == .ecog
        fields["code"] = loincConcept(ecog ? "89247-1" : "89243-0", ecog ? "ECOG Performance Status score" : "Karnofsky Performance Status score")
        add("Observation", profile: ecog ? "mcode-ecog-performance-status" : "mcode-karnofsky-performance-status", fields)
    }

    mutating func addLab(_ lab: LabResult, loinc: String?) {
        var quantity: [String: JSONValue] = ["value": .number(lab.value)]
        if let unit = lab.unit { quantity["unit"] = .string(unit) }
        var fields: [String: JSONValue] = ["status": .string("final"), "valueQuantity": .object(quantity)]
        fields["code"] = loinc.map { loincConcept($0, lab.name) } ?? text(lab.name)
        fields.merge(dateFields(lab.date, key: "effectiveDateTime")) { $1 }
        add("Observation", profile: nil, fields)
    }

    mutating func addTreatment(_ line: TreatmentLine) {
        var period: [String: JSONValue] = [:]
        if let start = line.startDate { period["start"] = .string(start.description) }
        if let end = line.endDate { period["end"] = .string(end.description) }
        switch line.kind {
        case .systemic:
            let medications = line.drugs.isEmpty ? [line.regimen].compactMap { $0 } : line.drugs
            for drug in medications {
                var fields: [String: JSONValue] = ["status": .string("completed"), "medicationCodeableConcept": concept(drug)]
                if !period.isEmpty { fields["effectivePeriod"] = .object(period) }
                if let regimen = line.regimen, !line.drugs.isEmpty { fields["note"] = .array([.object(["text": .string("part of \(regimen.text)")])]) }
                add("MedicationStatement", profile: "mcode-cancer-related-medication-statement", fields)
            }
        case .radiation, .surgery:
            var fields: [String: JSONValue] = ["status": .string("completed"), "code": concept(line.regimen ?? CodedText(text: line.kind.rawValue))]
            if !period.isEmpty { fields["performedPeriod"] = .object(period) }
            add("Procedure", profile: line.kind == .radiation ? "mcode-cancer-related-radiation-procedure" : "mcode-cancer-related-surgical-procedure", fields)
        }
    }

    mutating func addTransplant(_ transplant: Transplant) {
        let name = transplant.kind == .unspecified ? "Hematopoietic stem cell transplant" : "\(transplant.kind.rawValue.capitalized) hematopoietic stem cell transplant"
        var fields: [String: JSONValue] = ["status": .string("completed"), "code": text(name)]
        fields.merge(dateFields(transplant.date, key: "performedDateTime")) { $1 }
        add("Procedure", profile: nil, fields)
    }

    mutating func addCellTherapy(_ therapy: PriorCellTherapy) {
        var fields: [String: JSONValue] = ["status": .string("completed")]
        if let product = therapy.product {
            fields["medicationCodeableConcept"] = concept(product)
        } else {
            fields["medicationCodeableConcept"] = text("chimeric antigen receptor T-cell therapy" + (therapy.target.map { " (\($0))" } ?? ""))
        }
        fields.merge(dateFields(therapy.date, key: "effectiveDateTime")) { $1 }
        add("MedicationStatement", profile: "mcode-cancer-related-medication-statement", fields)
    }

    mutating func addFinding(_ fact: Fact<ClinicalFinding>, text findingText: String, loinc: String? = nil) {
        var fields: [String: JSONValue] = ["status": .string(fact.isUncertain ? "preliminary" : "final"),
                                           "valueBoolean": .bool(!fact.isNegated)]
        fields["code"] = loinc.map { loincConcept($0, findingText) } ?? text(findingText)
        fields.merge(dateFields(fact.value.date, key: "effectiveDateTime")) { $1 }
        add("Observation", profile: nil, fields)
    }

    mutating func addInfection(_ infection: InfectionStatus) {
        var fields: [String: JSONValue] = ["status": .string("final"),
                                           "code": text(infection.test ?? "\(infection.agent.rawValue) status"),
                                           "valueCodeableConcept": text(infection.result == .positive ? "Positive" : "Negative")]
        fields.merge(dateFields(infection.date, key: "effectiveDateTime")) { $1 }
        add("Observation", profile: nil, fields)
    }
}
