import Foundation
import OncoKnowledge
import Testing
@testable import OncoTrials

@Suite("Modality classifier on real registry records")
struct ModalityClassifierTests {
    let classifier = ModalityClassifier()

    func modalities(_ id: String) -> Set<TherapyModality>? {
        SharedData.oncologyStudies[id].map(classifier.classify)
    }

    @Test("real records get the expected modalities", arguments: [
        ("NCT03937544", TherapyModality.carT), ("NCT04670068", .carT), ("NCT05474378", .carT), ("NCT06508775", .carT),
        ("NCT02830724", .carT), ("NCT05722171", .carT), ("NCT07386002", .carT), ("NCT07390539", .carT),
        ("NCT05588453", .nkCell), ("NCT07627698", .nkCell), ("NCT07477366", .nkCell), ("NCT05629546", .nkCell),
        ("NCT02621021", .til), ("NCT06630611", .til), ("NCT07310784", .til), ("NCT04842812", .til),
        ("NCT06743126", .tcrT), ("NCT03842943", .oncolyticVirus), ("NCT06216938", .oncolyticVirus),
        ("NCT06910657", .oncolyticVirus), ("NCT05942599", .crisprEdited), ("NCT05098210", .vaccine),
        ("NCT05127824", .vaccine), ("NCT01982682", .transplant), ("NCT04547049", .transplant),
        ("NCT04736823", .bispecific), ("NCT05816499", .bispecific), ("NCT02856893", .targetedTherapy),
        ("NCT04761198", .checkpointInhibitor),
    ])
    func expected(id: String, modality: TherapyModality) {
        guard !SharedData.oncologyStudies.isEmpty else { return }
        let found = modalities(id)
        #expect(found?.contains(modality) == true, "\(id): \(found.map { $0.map(\.rawValue).sorted() } ?? [])")
    }

    @Test("no false positives from carboplatin, care programmes or CAR-NK", arguments: [
        ("NCT00576225", TherapyModality.carT), ("NCT02175381", .carT), ("NCT05253872", .carT), ("NCT07042243", .carT),
        ("NCT07627698", .carT), ("NCT06623461", .transplant), ("NCT03729596", .bispecific), ("NCT05098210", .carT),
        ("NCT04965649", .carT), ("NCT04624828", .nkCell),
    ])
    func noFalsePositive(id: String, modality: TherapyModality) {
        guard !SharedData.oncologyStudies.isEmpty else { return }
        let found = modalities(id)
        #expect(found != nil)
        #expect(found?.contains(modality) == false, "\(id): \(found.map { $0.map(\.rawValue).sorted() } ?? [])")
    }

    @Test("the JSONL holds about forty cell-therapy trials")
    func cellTherapyCount() {
        guard !SharedData.oncologyStudies.isEmpty else { return }
        let cell: Set<TherapyModality> = [.carT, .tcrT, .til, .nkCell, .oncolyticVirus]
        let count = SharedData.oncologyStudies.values.filter { !classifier.classify($0).isDisjoint(with: cell) }.count
        #expect((35...55).contains(count), "\(count)")
    }

    @Test("words that merely contain CAR are not CAR-T")
    func carInOtherWords() {
        let interventions = ["Cartilage repair", "Carboplatin", "CARE pathway", "Carfilzomib", "MyCarePulse", "Carmustine"]
            .map { Study.Intervention(type: "OTHER", name: $0) }
        let result = classifier.classify(interventions: interventions)
        #expect(!result.contains(.carT))
    }

    @Test("infection vaccines are not cancer vaccines; a study without interventions has no modality")
    func vaccinesAndEmpty() {
        #expect(!classifier.classify(interventions: [Study.Intervention(type: "BIOLOGICAL", name: "Influenza vaccine")]).contains(.vaccine))
        #expect(classifier.classify(interventions: [Study.Intervention(type: "BIOLOGICAL", name: "Neoantigen vaccine")]) == [.vaccine])
        #expect(classifier.classify(interventions: []).isEmpty)
        #expect(classifier.classify(interventions: [Study.Intervention(type: "BEHAVIORAL", name: "Exercise")]) == [.other])
    }

    @Test("product names from the lexicon classify", arguments: [
        ("Axicabtagene ciloleucel", TherapyModality.carT), ("Kymriah", .carT), ("Lifileucel", .til), ("Teclistamab", .bispecific),
        ("Imlygic", .oncolyticVirus), ("Nadofaragene firadenovec", .geneTransfer), ("Afamitresgene autoleucel", .tcrT),
    ])
    func productNames(name: String, modality: TherapyModality) {
        #expect(classifier.classify(interventions: [Study.Intervention(type: "BIOLOGICAL", name: name)]).contains(modality))
    }
}

