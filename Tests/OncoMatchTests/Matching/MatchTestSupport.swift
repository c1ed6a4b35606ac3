import Foundation
import OncoKnowledge
import OncoRecords
import OncoTrials
import Testing
@testable import OncoMatch

/// The real knowledge base and shared data, found from this file's path.
enum MatchFixture {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedData = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    static let knowledge: KnowledgeBase = {
        do { return try KnowledgeBase.load(directory: repoRoot.appendingPathComponent("knowledge")) } catch {
            fatalError("knowledge/ failed to load: \(error)")
        }
    }()

    static let lexicon = ClinicalLexicon(knowledgeBase: knowledge)
    static let extractor = ProfileExtractor(lexicon: lexicon)

    /// A profile from the real extractor run over a clinical note.
    static func profile(_ note: String, documentID: String = "note-1") -> PatientProfile {
        PatientProfile(facts: extractor.extract(text: note, documentID: documentID))
    }

    static let today = Day(year: 2026, month: 11, day: 29)

    static func sharedFile(_ path: String) -> URL? {
        let url = sharedData.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Parsed criteria of a real study in the oncology JSONL.
    static let studies: [String: Study] = {
        guard let url = sharedFile("ctgov-v2-oncology/studies.jsonl") else { return [:] }
        var result: [String: Study] = [:]
        _ = try? StudyImportReader(source: .file(url)).read { record in
            if case .study(let imported) = record { result[imported.nctID] = imported.study }
        }
        return result
    }()

    static let evaluator = CriterionEvaluator(knowledge: knowledge)
    static let labels = LabelEvaluator(knowledge: knowledge)

    /// The indication with `id` from the real knowledge base.
    static func indication(_ id: String) -> LabelIndication {
        for product in knowledge.products { if let found = product.indications.first(where: { $0.id == id }) { return found } }
        fatalError("no indication \(id) in knowledge/")
    }

    /// The verdict for the label requirement whose text starts with `prefix`.
    static func labelVerdict(_ indicationID: String, _ prefix: String, _ profile: PatientProfile, today: Day = today) -> CriterionVerdict? {
        labels.evaluate(indication(indicationID), profile: profile, today: today).first { $0.text.hasPrefix(prefix) }
    }

    /// The verdict for the one criterion parsed from `text` in `section`.
    static func criterionVerdict(_ text: String, section: String = "Inclusion Criteria", _ profile: PatientProfile) -> CriterionVerdict? {
        let criteria = EligibilityParser().parse("\(section):\n- \(text)")
        return criteria.first.map { evaluator.evaluate($0, profile: profile, today: today) }
    }
}

/// A relapsed DLBCL case written the way a referral letter reads.
let dlbclNote = """
Referral letter. Date of birth: 1961-03-14. Sex: male.
Diagnosis: diffuse large B-cell lymphoma, germinal center B-cell type, diagnosed 2024-01.
Stage IV (Ann Arbor). CD19 positive on immunohistochemistry.
First-line R-CHOP x6 from 2024-02 to 2024-06, complete response. He relapsed in 2025-03.
Second-line R-ICE from 2025-04 to 2025-06, refractory.
ECOG performance status 1. LVEF 55%. Creatinine 1.1 mg/dL. Total bilirubin 2.1 mg/dL. ANC 1.8 x10^9/L.
No evidence of CNS involvement. HIV negative.
"""

/// Follicular lymphoma with maintenance, bridging and a consolidating transplant between real lines.
let followedLinesNote = """
Diagnosis: follicular lymphoma, diagnosed 2019-05. Date of birth: 1958-07-02.
First-line bendamustine and rituximab (BR) from 2019-06 to 2019-12, followed by rituximab maintenance from 2020-01 to 2021-12.
Second-line R-CHOP from 2023-02 to 2023-07, partial response.
Bridging therapy with R-GemOx in 2024-01 before planned CAR-T.
Consolidation with autologous stem cell transplant in 2023-09.
Third-line lenalidomide and rituximab (R2) from 2024-03 to 2024-09, progressed on treatment.
"""
