import Foundation
import OncoKnowledge
import OncoRecords

/// Builds a profile from what a person hands over: a `PatientProfile` JSON, a FHIR R4
/// bundle, or documents (PDF, images, text) through the records pipeline — with the
/// knowledge base's lexicon so facts carry its concept ids.
public struct CaseLoader: Sendable {
    public let lexicon: ClinicalLexicon

    public init(knowledge: KnowledgeBase) {
        lexicon = ClinicalLexicon(knowledgeBase: knowledge)
    }

    /// The profile of all `files` (name, bytes) together, and warnings to show (import issues, type mismatches).
    public func profile(from files: [(name: String, data: Data)]) async throws -> (profile: PatientProfile, warnings: [String]) {
        let loaded = try await load(files)
        return (loaded.profile, loaded.warnings)
    }

    /// The profile, warnings, and each document's extracted text (for `Matcher.match(_:settings:texts:)`).
    public func load(_ files: [(name: String, data: Data)]) async throws -> (profile: PatientProfile, warnings: [String], texts: [CaseDocumentText]) {
        var profile = PatientProfile()
        var warnings: [String] = []
        var texts: [CaseDocumentText] = []
        for (name, data) in files {
            let isJSON = name.lowercased().hasSuffix(".json")
            if isJSON, let decoded = try? JSONDecoder().decode(PatientProfile.self, from: data) {
                profile.add(decoded.facts)
                continue
            }
            if isJSON, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["resourceType"] as? String == "Bundle" {
                let result = try FHIRImporter(lexicon: lexicon).importData(data, documentID: name)
                warnings += result.issues.map { "\(name): \($0)" }
                profile.add(result.facts)
                continue
            }
            let processed = try await DocumentProcessor(lexicon: lexicon).process(data: data, documentID: name, fileName: name)
            warnings += processed.warnings.map { "\(name): \($0)" }
            profile.add(processed.facts)
            if let text = processed.text { texts.append(CaseDocumentText(documentID: name, text: text.text)) }
        }
        return (profile, warnings, texts)
    }
}

extension MatchReport {
    /// The profile type matched, named here so callers need not import OncoRecords.
    public typealias Profile = PatientProfile
}
