import Foundation
import OncoKnowledge
import OncoMatch
import OncoRecords
import Vapor

/// `POST /fhir/ResearchStudy/$match` in the style of the CodeX Integrated Trial Matching
/// guide: a patient Bundle (or a Parameters resource whose `subject` holds one) in, a
/// searchset Bundle of ResearchStudy resources with `search.score` out, ranked by the same
/// matcher as the options page. Nothing sent is stored; the call is audited without content.
enum FHIRMatchController {
    static func register(_ app: Application) {
        let fhir = app.grouped("fhir").grouped(APITokenAuthenticator()).grouped(PolicyMiddleware())
        fhir.on(.POST, "ResearchStudy", "$match", bodyLimit: "10mb", use: match).access(.signedIn)
    }

    static func match(req: Request) async throws -> Response {
        guard let body = req.body.data, body.readableBytes > 0 else {
            return try outcome(.badRequest, "Send a FHIR R4 patient Bundle, or a Parameters resource whose 'subject' parameter holds one.")
        }
        let data = Data(buffer: body)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let type = object["resourceType"] as? String else {
            return try outcome(.badRequest, "The body is not a FHIR JSON resource.")
        }
        var bundle = data
        var count = 50
        if type == "Parameters" {
            let parameters = object["parameter"] as? [[String: Any]] ?? []
            guard let subject = parameters.first(where: { $0["name"] as? String == "subject" })?["resource"] else {
                return try outcome(.badRequest, "The Parameters resource has no 'subject' parameter with the patient Bundle.")
            }
            bundle = try JSONSerialization.data(withJSONObject: subject)
            if let limit = parameters.first(where: { $0["name"] as? String == "_count" })?["valueInteger"] as? Int { count = max(1, min(limit, 200)) }
        } else if type != "Bundle" {
            return try outcome(.badRequest, "Expected a Bundle or Parameters resource, got \(type.prefix(40)).")
        }
        let imported: FHIRImportResult
        do {
            imported = try FHIRImporter(lexicon: req.application.recordsLexicon).importData(bundle, documentID: "match-request")
        } catch {
            return try outcome(.unprocessableEntity, "The patient Bundle could not be read: \(error)")
        }
        let profile = PatientProfile(facts: imported.facts)
        let report = Matcher(knowledge: req.application.knowledge, trials: req.application.trials.matching)
            .match(profile, settings: MatchSettings(today: Day.today(req.now), trialLimit: count))
        try await AuditLog.record(req, action: .read, objectType: "fhir-match", objectID: nil, caseID: nil)

        let trials = report.options.filter { $0.kind == .trial }
        let top = trials.map(\.relevance).max() ?? 1
        let entries: [[String: Any]] = trials.prefix(count).compactMap { option in
            guard let trial = option.trial else { return nil }
            // Score: the option's standing first (all met > may be eligible > not met), then relevance.
            let standing: Double = switch option.status {
            case .eligibleAllMet: 1.0
            case .mayBeEligible: 0.7
            case .toDiscuss: 0.5
            case .notEligible: 0.2
            }
            let score = (standing * (0.5 + 0.5 * (top > 0 ? option.relevance / top : 0)) * 1000).rounded() / 1000
            var study: [String: Any] = [
                "resourceType": "ResearchStudy", "id": trial.nctID, "title": option.title,
                "identifier": [["use": "official", "system": "http://clinicaltrials.gov", "value": trial.nctID]],
                "status": fhirStatus(trial.overallStatus),
                "condition": trial.conditions.prefix(10).map { ["text": $0] },
                "description": "OncoNav: \(option.status.label). Unknown criteria: \(option.unknownCount).",
            ]
            if let phase = trial.phases.first {
                let code = phase.lowercased().replacingOccurrences(of: "phase", with: "phase-").replacingOccurrences(of: "early_phase-1", with: "early-phase-1")
                study["phase"] = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/research-study-phase", "code": code]], "text": trial.phases.joined(separator: "/")]
            }
            return ["fullUrl": "urn:onconav:ResearchStudy/\(trial.nctID)", "resource": study, "search": ["mode": "match", "score": score]]
        }
        let result: [String: Any] = [
            "resourceType": "Bundle", "type": "searchset", "total": entries.count,
            "meta": ["lastUpdated": ISO8601DateFormatter().string(from: req.now)],
            "entry": entries,
        ]
        let response = Response(status: .ok, body: .init(data: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])))
        response.headers.replaceOrAdd(name: .contentType, value: "application/fhir+json")
        return response
    }

    /// ClinicalTrials.gov overall status → FHIR R4 ResearchStudy.status.
    static func fhirStatus(_ status: String?) -> String {
        switch status?.uppercased() {
        case "RECRUITING", "ENROLLING_BY_INVITATION": "active"
        case "NOT_YET_RECRUITING": "approved"
        case "ACTIVE_NOT_RECRUITING": "closed-to-accrual"
        case "COMPLETED": "completed"
        case "SUSPENDED": "temporarily-closed-to-accrual"
        case "TERMINATED": "administratively-completed"
        case "WITHDRAWN": "withdrawn"
        default: "in-review"
        }
    }

    /// Errors as a FHIR OperationOutcome.
    static func outcome(_ status: HTTPResponseStatus, _ message: String) throws -> Response {
        let body: [String: Any] = ["resourceType": "OperationOutcome", "issue": [["severity": "error", "code": status == .badRequest ? "structure" : "processing", "diagnostics": message]]]
        let response = Response(status: status, body: .init(data: try JSONSerialization.data(withJSONObject: body)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/fhir+json")
        return response
    }
}
