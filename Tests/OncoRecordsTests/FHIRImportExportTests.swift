import Foundation
import Testing
@testable import OncoRecords

@Suite("FHIR import: broken input and export round trip")
struct FHIRImportExportTests {
    let importer = FHIRImporter()

    @Test func invalidJSONThrowsWithTheParsersPosition() {
        #expect {
            _ = try importer.importData(Data(#"{"resourceType": "Bundle", "entry": [ }"#.utf8))
        } throws: { error in
            guard case FHIRImportError.invalidJSON(let detail) = error else { return false }
            return !detail.isEmpty && "\(error)".hasPrefix("FHIR import failed: the file is not valid JSON")
        }
    }

    @Test func jsonWithoutResourceTypeIsNotFHIR() {
        #expect(throws: FHIRImportError.self) {
            _ = try importer.importData(Data(#"{"name": "not fhir"}"#.utf8))
        }
    }

    @Test func brokenEntriesAreReportedByLocationAndTheRestIsImported() throws {
        let bundle = #"""
        {"resourceType": "Bundle", "type": "collection", "entry": [
          {"resource": {"resourceType": "Patient", "id": "p1", "gender": "male", "birthDate": "1960-05"}},
          {"resource": {"resourceType": "Observaton", "id": "typo"}},
          {"resource": {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"}}},
          {"resource": {"id": "no-type"}},
          {"fullUrl": "urn:uuid:x"},
          {"resource": {"resourceType": "Observation", "id": "ecog", "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]}, "valueInteger": 2}}
        ]}
        """#
        let result = try importer.importData(Data(bundle.utf8), documentID: "upload-7")
        let profile = PatientProfile(facts: result.facts)
        #expect(profile.sexes.first?.value == .male)
        #expect(profile.birthDates.first?.value == ClinicalDate(year: 1960, month: 5))
        #expect(profile.latestECOG?.value.score == 2)

        let errors = result.errors.map(\.description)
        #expect(errors.contains { $0.contains("Bundle.entry[1].resource") && $0.contains("unknown resourceType \"Observaton\"") })
        #expect(errors.contains { $0.contains("Bundle.entry[2].resource (Condition/c1)") && $0.contains("\"Condition.code\" is missing") })
        #expect(errors.contains { $0.contains("Bundle.entry[3].resource") && $0.contains("no \"resourceType\"") })
        #expect(errors.contains { $0.contains("Bundle.entry[4]") && $0.contains("no \"resource\"") })
        #expect(result.issues.contains { $0.severity == .warning && $0.message.contains("\"Observation.status\" is missing") })
    }

    @Test func aSingleResourceCanBeImported() throws {
        let condition = #"""
        {"resourceType": "Condition", "id": "dx", "subject": {"reference": "Patient/1"},
         "verificationStatus": {"coding": [{"code": "provisional"}]},
         "code": {"text": "Diffuse large B-cell lymphoma"}, "onsetDateTime": "2024-02-10"}
        """#
        let result = try importer.importData(Data(condition.utf8))
        guard case .primaryCancer(let fact)? = result.facts.first else {
            Issue.record("expected a primary cancer, got \(result.facts)"); return
        }
        #expect(fact.value.cancer.conceptID == "dlbcl-nos")
        #expect(fact.value.diagnosisDate == ClinicalDate(year: 2024, month: 2, day: 10))
        #expect(fact.isUncertain)
        #expect(fact.provenance.citation == "Condition/dx (Condition.code)")
        #expect(result.issues.contains { $0.severity == .warning && $0.message.contains("no mCODE cancer-condition profile") })
    }

    @Test func aCARTMedicationBecomesAPriorCellTherapy() throws {
        let statement = #"""
        {"resourceType": "MedicationStatement", "id": "m1", "status": "completed", "subject": {"reference": "Patient/1"},
         "medicationCodeableConcept": {"text": "Yescarta (axicabtagene ciloleucel)"}, "effectiveDateTime": "2023-06-01"}
        """#
        let profile = PatientProfile(facts: try importer.importData(Data(statement.utf8)).facts)
        #expect(profile.priorCellTherapies.first?.value.product?.conceptID == "yescarta")
        #expect(profile.priorCellTherapies.first?.value.target == "CD19")
        #expect(profile.treatmentLines.isEmpty)
    }

    @Test func anExportedProfileImportsBackToTheSameValues() throws {
        // given a profile touching every field
        let source = Provenance(source: .manual(enteredBy: "test"), method: .manualEntry)
        func fact<V: ProfileValue>(_ value: V, negated: Bool = false) -> Fact<V> {
            Fact(value: value, provenance: source, confidence: 1, isNegated: negated)
        }
        var profile = PatientProfile()
        profile.add([
            .birthDate(fact(ClinicalDate(year: 1970, month: 3, day: 2))),
            .sex(fact(.female)),
            .primaryCancer(fact(Diagnosis(cancer: CodedText(conceptID: "dlbcl-nos", text: "diffuse large B-cell lymphoma"), diagnosisDate: ClinicalDate(year: 2022, month: 1)))),
            .stage(fact(Stage(system: .annArbor, group: "IV", text: "Ann Arbor stage IV"))),
            .stage(fact(Stage(system: .tnm, group: "IIIA", text: "IIIA"))),
            .biomarker(fact(BiomarkerResult(marker: "CD19", interpretation: .positive))),
            .biomarker(fact(BiomarkerResult(marker: "EGFR", alteration: "exon 19 deletion", interpretation: .positive))),
            .performanceStatus(fact(PerformanceStatus(scale: .ecog, score: 1, date: ClinicalDate(year: 2024, month: 5)))),
            .lab(fact(LabResult(name: "creatinine", value: 1.2, unit: "mg/dL", date: ClinicalDate(year: 2024, month: 5, day: 3)))),
            .lvef(fact(LabResult(name: "LVEF", value: 55, unit: "%"))),
            .treatmentLine(fact(TreatmentLine(regimen: CodedText(conceptID: "r-chop", text: "R-CHOP"), startDate: ClinicalDate(year: 2022, month: 2)))),
            .transplant(fact(Transplant(kind: .autologous, date: ClinicalDate(year: 2023)))),
            .priorCellTherapy(fact(PriorCellTherapy(product: CodedText(conceptID: "kymriah", text: "tisagenlecleucel"), target: "CD19"))),
            .cnsInvolvement(fact(ClinicalFinding(text: "CNS involvement"), negated: true)),
            .infection(fact(InfectionStatus(agent: .hbv, result: .negative, test: "HBsAg"))),
        ])
        // when exported and imported again
        let data = try FHIRExporter().exportData(profile, patientID: "case-9")
        let result = try importer.importData(data, documentID: "export")
        let back = PatientProfile(facts: result.facts)
        // then
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(back.birthDates.first?.value == ClinicalDate(year: 1970, month: 3, day: 2))
        #expect(back.sexes.first?.value == .female)
        #expect(back.primaryCancer?.value.cancer.conceptID == "dlbcl-nos")
        #expect(back.primaryCancer?.value.diagnosisDate == ClinicalDate(year: 2022, month: 1))
        #expect(Set(back.stages.map(\.value.system)) == [.annArbor, .tnm])
        #expect(back.biomarkers.contains { $0.value.marker == "CD19" && $0.value.interpretation == .positive })
        #expect(back.biomarkers.contains { $0.value.marker == "EGFR" && $0.value.alteration == "exon 19 deletion" })
        #expect(back.latestECOG?.value.score == 1)
        #expect(back.labs.first?.value == LabResult(name: "creatinine", loinc: "2160-0", value: 1.2, unit: "mg/dL", date: ClinicalDate(year: 2024, month: 5, day: 3)))
        #expect(back.latestLVEF?.value.value == 55)
        #expect(back.treatmentLines.first?.value.regimen?.conceptID == "r-chop")
        #expect(back.transplants.first?.value.kind == .autologous)
        #expect(back.priorCellTherapies.first?.value.product?.conceptID == "kymriah")
        #expect(back.hasCNSInvolvement == false)
        #expect(back.infections.first?.value.result == .negative)
        #expect(back.conflicts.isEmpty)
    }

    @Test func rejectedFactsAreNotExported() throws {
        let source = Provenance(source: .manual(enteredBy: "test"), method: .manualEntry)
        var profile = PatientProfile()
        profile.add(.biomarker(Fact(value: BiomarkerResult(marker: "ALK", interpretation: .positive), provenance: source, confidence: 1)
            .rejected(by: "navigator")))
        let json = String(decoding: try FHIRExporter().exportData(profile), as: UTF8.self)
        #expect(!json.contains("ALK"))
        #expect(json.contains("\"resourceType\" : \"Patient\""))
    }
}
