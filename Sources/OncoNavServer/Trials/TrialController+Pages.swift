import Fluent
import OncoKnowledge
import OncoTrials
import Vapor

extension TrialController {
    struct CriterionRow: Content, Sendable {
        let kind: String
        let original: String
        let plain: [String]
        let depth: Int
        let needsReview: Bool
    }

    struct SiteRow: Content, Sendable {
        let facility: String
        let place: String
        let status: String
    }

    struct TrialPage: Content, Sendable {
        let nctID: String
        let title: String
        let officialTitle: String?
        let status: String
        let staleness: String?
        let phases: String
        let conditions: [String]
        let interventions: [String]
        let modalities: String
        let summary: String?
        let ages: String
        let sex: String
        let inclusion: [CriterionRow]
        let exclusion: [CriterionRow]
        let hasCriteria: Bool
        let sites: [SiteRow]
        let siteCount: Int
        /// The trial's central contacts as the registry lists them (whom to ask about joining).
        let contacts: [String]
        let hasContacts: Bool
        let lastUpdate: String
        let registryURL: String
        /// "Sample of N ClinicalTrials.gov records …" while the bundled sample is the registry.
        let sampleNotice: String?
    }

    static func trialModel(_ nctID: String, req: Request) async throws -> TrialPage {
        guard nctID.count <= 20, let (record, study) = try await TrialStore.study(nctID: nctID, on: req.db) else { throw AppError.notFound }
        let criteria = parsedCriteria(of: record, study: study, app: req.application)
        func row(_ criterion: Criterion) -> CriterionRow {
            CriterionRow(kind: criterion.kind.rawValue, original: criterion.text, plain: criterion.plainLanguage, depth: criterion.depth,
                         needsReview: criterion.constraints.allSatisfy { if case .needsReview = $0 { true } else { false } })
        }
        let eligibility = study.eligibility
        let ages = [eligibility?.minimumAge.map { "from \($0)" }, eligibility?.maximumAge.map { "up to \($0)" }].compactMap { $0 }.joined(separator: " ")
        let sites = study.locations.prefix(100).map { location in
            SiteRow(facility: location.facility ?? "Site name not given",
                    place: [location.city, location.state, location.country].compactMap { $0 }.joined(separator: ", "),
                    status: humanStatus(location.status))
        }
        return TrialPage(
            nctID: record.nctID, title: record.title, officialTitle: study.officialTitle, status: humanStatus(study.overallStatus),
            staleness: staleness(status: study.overallStatus, lastUpdate: record.lastUpdate, now: req.now),
            phases: humanPhases(record.phases), conditions: study.conditions,
            interventions: study.interventions.map { [$0.type, $0.name].compactMap { $0 }.joined(separator: ": ") },
            modalities: record.modalities.split(separator: ",").compactMap { TherapyModality(rawValue: String($0))?.displayName }.joined(separator: ", "),
            summary: study.briefSummary, ages: ages.isEmpty ? "No age limits given" : ages,
            sex: eligibility?.sex.map { $0 == "ALL" ? "All" : $0.capitalized } ?? "Not given",
            inclusion: criteria.filter { $0.kind == .inclusion }.map(row), exclusion: criteria.filter { $0.kind == .exclusion }.map(row),
            hasCriteria: !criteria.isEmpty, sites: Array(sites), siteCount: study.locations.count,
            contacts: contacts(study), hasContacts: !study.centralContacts.isEmpty,
            lastUpdate: record.lastUpdate ?? "not given", registryURL: "https://clinicaltrials.gov/study/\(record.nctID)",
            sampleNotice: req.application.registrySampleNotice.label)
    }

    /// The study's parsed criteria as the index holds them, else as stored at import, else
    /// (a study stored before parses were kept, not yet re-read) parsed now.
    static func parsedCriteria(of record: TrialRecord, study: Study, app: Application) -> [Criterion] {
        if let indexed = app.trials.matching.criteria(nctID: record.nctID) { return indexed }
        let text = study.eligibilityCriteria ?? ""
        let reading = app.trials.reading
        if record.parserVersion == reading.version, let stored = reading.stored(record, text: text) { return stored }
        return reading.parser.parse(text)
    }

    static func contacts(_ study: Study) -> [String] {
        study.centralContacts.map { contact in
            let phone = contact.phone.map { $0 + (contact.phoneExt.map { " ext. \($0)" } ?? "") }
            return [contact.name, phone, contact.email].compactMap { $0 }.joined(separator: " · ")
        }.filter { !$0.isEmpty }
    }

    static func trialPage(req: Request) async throws -> Response {
        let model = try await trialModel(req.parameters.get("nctID") ?? "", req: req)
        return try await req.page("trials/show", title: "\(model.nctID): \(model.title)", content: model)
    }

    static func trialAPI(req: Request) async throws -> TrialPage {
        try await trialModel(req.parameters.get("nctID") ?? "", req: req)
    }

    struct ImportPage: Encodable, Sendable {
        let indexed: Int
        let form: FormState
        /// The background re-reading of stored criteria, when one ran since the start.
        let criteriaRefresh: String?
        let refreshRunning: Bool
        /// The ClinicalTrials.gov sync: on or off, last run, counts, errors, next run.
        let sync: RegistrySyncController.Status
    }

    /// "Re-reading stored eligibility criteria with parser version 2-…: 400 of 1,066 studies (37%)".
    static func refreshProgress(_ progress: CriteriaRefresh.Progress?) -> String? {
        guard let progress else { return nil }
        let percent = progress.total > 0 ? progress.done * 100 / progress.total : 100
        var line = progress.finished == nil
            ? "Re-reading stored eligibility criteria with parser version \(progress.version): \(progress.done) of \(progress.total) studies (\(percent)%)."
            : "Stored eligibility criteria re-read with parser version \(progress.version): \(progress.done) of \(progress.total) studies."
        if progress.failed > 0 { line += " \(progress.failed) could not be read." }
        if let error = progress.error { line += " Stopped: \(error)" }
        return line
    }

    static func importPage(req: Request) async throws -> Response {
        try await renderImportPage(req, form: FormState())
    }

    static func renderImportPage(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.page("trials/import", title: "Import trials", content: ImportPage(
            indexed: req.application.trials.snapshot.count, form: form, criteriaRefresh: refreshProgress(req.application.criteriaRefresh.status),
            refreshRunning: req.application.criteriaRefresh.status.map { $0.finished == nil } ?? false,
            sync: RegistrySyncController.status(app: req.application)), status: status)
    }

    /// An admin uploads a registry file (single study, array, API page, JSON lines or the
    /// bulk ZIP). It is written to a private file in the data directory first, then imported
    /// in the background while the page shows progress.
    static func importUpload(req: Request) async throws -> Response {
        struct Upload: Content { var file: File }
        guard let upload = try? req.content.decode(Upload.self), upload.file.data.readableBytes > 0 else {
            return try await renderImportPage(req, form: FormState(errors: ["Choose a registry file to upload: a study JSON, a JSON array, an API page, JSON lines, or the bulk ZIP."]), status: .unprocessableEntity)
        }
        let directory = req.application.appConfig.dataDirectory.appendingPathComponent("imports/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appendingPathComponent("upload")
        try Data(buffer: upload.file.data).write(to: path)
        let name = String(upload.file.filename.prefix(200))
        let id = req.application.trialImports.start(file: path, fileName: name, app: req.application)
        try await AuditLog.record(req, action: .create, objectType: "trial-import", objectID: id.uuidString, caseID: nil)
        return req.redirect(to: "/admin/trials/import/\(id)")
    }

    struct ImportStatusPage: Encodable, Sendable {
        let fileName: String
        let running: Bool
        let progress: String
        let percent: Int
        let summary: String?
        let error: String?
        let failures: [String]
        let hasFailures: Bool
        let indexed: Int
        /// What happens to open cases (alerts), once the import is done.
        let rematch: String?
    }

    static func importStatus(req: Request) async throws -> Response {
        guard let id = req.parameters.get("jobID").flatMap(UUID.init(uuidString:)), let status = req.application.trialImports.status(id) else { throw AppError.notFound }
        let percent = status.totalBytes > 0 ? Int(min(100, Double(status.bytes) * 100 / Double(status.totalBytes))) : 0
        let elapsed = (status.finished ?? Date()).timeIntervalSince(status.started)
        let rate = elapsed > 0 ? Int(Double(status.records) / elapsed) : 0
        let page = ImportStatusPage(
            fileName: status.fileName, running: status.finished == nil,
            progress: "\(status.records) records read (\(percent)% of the file), \(rate) records/s",
            percent: percent, summary: status.summary?.description, error: status.error,
            failures: status.summary?.failures.prefix(200).map(\.description) ?? [], hasFailures: !(status.summary?.failures.isEmpty ?? true),
            indexed: req.application.trials.snapshot.count, rematch: rematchNote(status, runner: req.application.rematchRunner))
        return try await req.page("trials/import-status", title: "Importing \(status.fileName)", content: page)
    }

    /// "Open cases are being re-matched …" after an import that stored studies.
    static func rematchNote(_ status: TrialImportJobs.Status, runner: RematchRunner) -> String? {
        guard status.finished != nil, let summary = status.summary, summary.new + summary.updated > 0 else { return nil }
        return runner.isInProcess
            ? "Open cases are re-matched against the new and updated studies in the background; their navigators get a task when there is new trial information."
            : "Open cases are re-matched at the next server start."
    }
}
