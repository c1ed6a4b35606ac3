import Foundation
import Testing
@testable import OncoRecords

/// Imports every real mCODE file in `<repo>/../shared/data/fhir-mcode/`.
@Suite("FHIR import of the shared mCODE data", .enabled(if: TestPaths.sharedDataAvailableOrRequired))
struct FHIRSharedDataTests {
    static var files: [String] {
        let folder = TestPaths.sharedData.appendingPathComponent("fhir-mcode")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    private func load(_ name: String) throws -> FHIRImportResult {
        let data = try Data(contentsOf: TestPaths.sharedData.appendingPathComponent("fhir-mcode").appendingPathComponent(name))
        return try FHIRImporter().importData(data, documentID: name)
    }

    private func profile(_ name: String) throws -> PatientProfile {
        PatientProfile(facts: try load(name).facts)
    }

    @Test func theSharedDataIsThere() {
        #expect(Self.files.count >= 10)
    }

    @Test(arguments: files)
    func everyFileImportsWithoutErrorsAndEveryFactPointsAtItsResource(name: String) throws {
        let result = try load(name)
        #expect(result.errors.isEmpty, "\(result.errors)")
        for fact in result.facts.map(\.summary) {
            guard case .fhirResource(let documentID, let reference, let element) = fact.provenance.source else {
                Issue.record("fact without FHIR provenance"); continue
            }
            #expect(documentID == name)
            #expect(reference.contains("/") || reference.hasPrefix("urn:"))
            #expect(element != nil)
            #expect(fact.status == .pendingConfirmation)
        }
    }

    @Test func patient01HasItsPrimaryCancerStageMarkersVariantsMedicationsAndECOG() throws {
        let profile = try profile("TrialMatching_Patient01.json")
        #expect(profile.primaryCancer?.value.cancer.text == "Infiltrating duct carcinoma of breast")
        #expect(profile.primaryCancer?.value.cancer.conceptID == "breast-cancer")
        #expect(profile.primaryCancer?.value.bodySite == "Breast structure")
        #expect(profile.secondaryCancers.count == 3)
        #expect(profile.stages.contains { $0.value.group == "IV" })
        #expect(profile.biomarkers.contains { $0.value.marker == "ER" && $0.value.interpretation == .positive })
        #expect(profile.biomarkers.contains { $0.value.marker == "ESR1" })
        #expect(profile.treatmentLines.count == 5)
        #expect(profile.latestECOG?.value.score == 1)
        #expect(profile.sexes.first?.value == .female)
        #expect(profile.birthDates.first?.value == ClinicalDate(year: 1959, month: 1, day: 1))
        #expect(profile.conflicts.isEmpty, "\(profile.conflicts.map(\.message))")
    }

    @Test func patient02HasRadiationAndSurgery() throws {
        let profile = try profile("TrialMatching_Patient02.json")
        #expect(profile.treatmentLines.filter { $0.value.kind == .radiation }.count == 4)
        #expect(profile.treatmentLines.filter { $0.value.kind == .surgery }.count == 1)
        #expect(profile.treatmentLines.filter { $0.value.kind == .systemic }.count == 11)
    }

    @Test func separateTNMCategoriesAndKarnofskyAreRead() throws {
        let eom = try profile("ctms_eom_patient_1.json")
        #expect(eom.stages.contains { $0.value.t == "cT3" })
        #expect(eom.stages.contains { $0.value.n == "cN3" })
        #expect(eom.stages.contains { $0.value.m == "cM0" })
        #expect(eom.biomarkers.contains { $0.value.marker == "HER2" && $0.value.interpretation == .negative })
        let ctms = try profile("ctms_patient_data.json")
        #expect(ctms.performanceStatuses.contains { $0.value.scale == .karnofsky && $0.value.score == 90 })
        #expect(ctms.histologies.first?.value.text == "Malignant Neoplasm")
    }

    @Test func numericAJCCCodesAreNormalisedToRomanStageGroups() throws {
        let staging = try profile("mef_csv-staging-bundle.json")
        #expect(staging.stages.contains { $0.value.group == "IIIC" })
    }

    @Test func comorbiditiesAreReportedNotImported() throws {
        let result = try load("mef_condition-bundle.json")
        #expect(result.facts.isEmpty)
        #expect(result.issues.contains { $0.severity == .information && $0.message.contains("Essential hypertension") })
    }

    @Test func researchStudiesAreNotPatientData() throws {
        let result = try load("researchstudy_resultBundle.json")
        #expect(result.facts.isEmpty)
        #expect(result.resourceCounts["ResearchStudy"] == 6)
    }
}
