import Fluent
import Foundation
import OncoRecords
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Where the records module's fixtures and the shared third-party data are.
enum RecordFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/OncoRecordsTests/Fixtures").appendingPathComponent(name))
    }
    static func shared(_ path: String) throws -> Data {
        try Data(contentsOf: repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data").appendingPathComponent(path))
    }
    static var toolsAvailableOrRequired: Bool {
        ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1"
            || ["pdfinfo", "pdftotext", "pdftoppm", "tesseract"].allSatisfy(LiveProcessRunner().isAvailable)
    }
}

extension TestBrowser {
    /// Posts files as the case page's form does (multipart, `files[]`).
    func upload(_ path: String, files: [(name: String, type: String, data: Data)], json: Bool = false) async throws -> TestingHTTPResponse {
        if csrfToken == nil { try await get("/") }
        let boundary = "onconav-\(UUID().uuidString)"
        var body = Data()
        func line(_ text: String) { body.append(Data((text + "\r\n").utf8)) }
        line("--\(boundary)")
        line("Content-Disposition: form-data; name=\"_csrf\"")
        line("")
        line(csrfToken ?? "")
        for file in files {
            line("--\(boundary)")
            line("Content-Disposition: form-data; name=\"files[]\"; filename=\"\(file.name)\"")
            line("Content-Type: \(file.type)")
            line("")
            body.append(file.data)
            line("")
        }
        line("--\(boundary)--")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        if json { headers.replaceOrAdd(name: .accept, value: "application/json") }
        return try await send(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }
}

/// Creates a patient with a case, signed in; returns the browser and the case id.
func patientWithCase(_ app: Application, email: String = "pat@example.org") async throws -> (TestBrowser, UUID) {
    let user = try await makeUser(app, email: email, role: .patient)
    let record = CaseRecord(ownerID: try user.requireID(), navigatorID: nil, title: "My lymphoma")
    try await record.save(on: app.db)
    let browser = TestBrowser(app)
    _ = try await browser.signIn(email)
    return (browser, try record.requireID())
}

/// A patient's case assigned to the navigator nav@example.org (created here), optionally at
/// a given stage; returns the signed-in patient and the case id.
func patientCaseWithNavigator(_ app: Application, stage: CaseStage? = nil) async throws -> (TestBrowser, UUID) {
    let navigatorUser = try await makeUser(app, email: "nav@example.org", role: .navigator)
    let (patient, caseID) = try await patientWithCase(app)
    let record = try #require(try await CaseRecord.find(caseID, on: app.db))
    record.$navigator.id = navigatorUser.id
    if let stage { record.stage = stage }
    try await record.save(on: app.db)
    return (patient, caseID)
}

@Suite struct DocumentUploadTests {
    @Test func textLetterBecomesLinkedFactsAndReviewKeepsTheOriginal() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let letter = try RecordFixtures.fixture("referral-letter.txt")
            let response = try await browser.upload("/cases/\(caseID)/documents", files: [("referral letter.txt", "text/plain", letter)])
            #expect(response.status == .ok)
            #expect(response.text.contains("Stored safely"))

            // Stored and committed before any processing.
            var document = try #require(try await CaseDocument.query(on: app.db).first())
            #expect(document.status == .queued || document.status == .processing || document.status == .ready)
            #expect(try await DocumentJob.query(on: app.db).count() == 1)

            await app.documentWorker.runDue()
            document = try await refetch(document, app)
            #expect(document.status == .ready, "\(document.statusDetail ?? "")")
            #expect(document.category == DocumentCategory.clinicLetter.rawValue)
            #expect((document.factCount ?? 0) >= 5)

            // The case page shows the diagnosis, linked to the highlighted source words.
            let page = try await browser.get("/cases/\(caseID)")
            #expect(page.text.contains("diffuse large B-cell lymphoma"))
            #expect(page.text.contains("R-CHOP"))
            #expect(page.text.contains("<svg class=\"timeline\""), "the treatment timeline is drawn")
            var diagnosisRow = try #require(try await CaseFact.query(on: app.db).filter(\.$field == "primary-cancer").first())
            let factID = try diagnosisRow.requireID()
            #expect(page.text.contains("/cases/\(caseID)/documents/\(try document.requireID())?fact=\(factID)"))
            let viewer = try await browser.get("/cases/\(caseID)/documents/\(try document.requireID())?fact=\(factID)")
            #expect(viewer.status == .ok)
            #expect(viewer.text.contains("<mark id=\"highlight\">"))
            #expect(viewer.text.lowercased().contains("<mark id=\"highlight\">diffuse large b-cell lymphoma") || viewer.text.contains("<mark id=\"highlight\">"))

            // Confirm one value; correct another; the original reading stays on record.
            _ = try await browser.post("/cases/\(caseID)/facts/\(factID)", form: ["action": "confirm"])
            diagnosisRow = try await refetch(diagnosisRow, app)
            #expect(diagnosisRow.reviewState == .confirmed)
            var ecog = try #require(try await CaseFact.query(on: app.db).filter(\.$field == "performance-status").first())
            let corrected = try await browser.post("/cases/\(caseID)/facts/\(try ecog.requireID())", form: ["action": "correct", "correction": "ECOG 2"])
            #expect(corrected.status == .seeOther)
            ecog = try await refetch(ecog, app)
            #expect(ecog.reviewState == .corrected)
            #expect(ecog.originalPayload == ecog.payload, "the extractor's value is kept unchanged")
            let replacement = try #require(try await CaseFact.query(on: app.db).filter(\.$correctsID == ecog.requireID()).first())
            #expect(replacement.payload.contains("\"score\":2"))
            let unreadable = try await browser.post("/cases/\(caseID)/facts/\(try replacement.requireID())", form: ["action": "correct", "correction": "feeling fine"])
            #expect(unreadable.status == .unprocessableEntity)
            #expect(unreadable.text.contains("could not read a performance status"))

            // Every read and change of health data is audited.
            let audited = try await AuditEvent.query(on: app.db).filter(\.$caseID == caseID).all().map(\.objectType)
            #expect(audited.contains("document") && audited.contains("fact"))

            // The FHIR export carries only confirmed values.
            let token = try await issueToken(app, browser: browser)
            let api = APIClient(app: app, token: token)
            let export = try await api.send(.GET, "/api/v1/cases/\(caseID)/fhir")
            #expect(export.status == .ok)
            #expect(export.text.contains("\"resourceType\":\"Bundle\"") || export.text.contains("\"resourceType\" : \"Bundle\""))
            #expect(export.text.contains("lymphoma"))
            #expect(!export.text.contains("R-CHOP"), "unconfirmed treatment lines stay out of the confirmed export")
            let withPending = try await api.send(.GET, "/api/v1/cases/\(caseID)/fhir?include=pending")
            #expect(withPending.text.contains("CHOP"))
        }
    }

    @Test func badFilesAreRefusedWithAReasonAndNothingStoredIsLost() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let letter = try RecordFixtures.fixture("referral-letter.txt")
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", letter)])
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 64)
            let results = try await browser.upload("/cases/\(caseID)/documents", files: [
                ("empty.pdf", "application/pdf", Data()),
                ("scan.pdf", "application/pdf", png),
                ("random.bin", "application/octet-stream", Data((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7919) })),
                ("copy of letter.txt", "text/plain", letter),
            ], json: true)
            #expect(results.status == .ok)
            let outcomes = try JSONDecoder().decode([DocumentIntake.FileResult].self, from: Data(buffer: results.body))
            #expect(outcomes.map(\.outcome) == ["rejected", "rejected", "rejected", "duplicate"])
            #expect(outcomes[0].message.contains("empty"))
            #expect(outcomes[1].message.contains("PNG image"), "\(outcomes[1].message)")
            #expect(outcomes[2].message.contains("could not recognise"))
            #expect(outcomes[3].message.contains("already in the case"))

            // An oversized file (sent raw through the API: no multipart parsing needed to test the limit).
            let token = try await issueToken(app, browser: browser)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            headers.contentType = .plainText
            let huge = try await app.testing().sendRequest(.POST, "/api/v1/cases/\(caseID)/documents?name=huge.txt", headers: headers,
                                                           body: ByteBuffer(repeating: 0x41, count: DocumentIntake.maximumFileBytes + 1))
            #expect(huge.status == .unprocessableEntity)
            #expect(huge.text.contains("limit is 25 MB"))
            #expect(try await CaseDocument.query(on: app.db).count() == 1, "only the first letter is stored")

            // Hostile text in a file name is stored cleaned and shown escaped.
            let hostile = try await browser.upload("/cases/\(caseID)/documents", files: [("../<script>alert(1)</script>.txt", "text/plain", Data("ECOG 0 on 2026-01-02".utf8))])
            #expect(!hostile.text.contains("<script>alert(1)"))
            #expect(try await CaseDocument.query(on: app.db).count() == 2)
        }
    }

    @Test func missingToolsSayWhatToInstallAndRetryWorksLater() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let pdf = try RecordFixtures.fixture("text-report.pdf")
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("report.pdf", "application/pdf", pdf)])
            // A worker on a machine without poppler-utils.
            let bare = TextExtractor(runner: LiveProcessRunner(extraSearchPaths: [], searchesPATH: false))
            let worker = DocumentWorker(app: app, processor: DocumentProcessor(lexicon: app.recordsLexicon, textExtractor: bare))
            await worker.runDue()
            var document = try #require(try await CaseDocument.query(on: app.db).first())
            #expect(document.status == .unavailable)
            #expect(document.statusDetail == "text extraction unavailable: install poppler-utils")
            let page = try await browser.get("/cases/\(caseID)")
            #expect(page.text.contains("text extraction unavailable: install poppler-utils"))
            #expect(page.text.contains("Try again"))

            // The upload itself is intact: once the tools are there, a retry reads it.
            guard RecordFixtures.toolsAvailableOrRequired else { return }
            let retry = try await browser.post("/cases/\(caseID)/documents/\(try document.requireID())/retry")
            #expect(retry.status == .seeOther)
            await app.documentWorker.runDue()
            document = try await refetch(document, app)
            #expect(document.status == .ready, "\(document.statusDetail ?? "")")
            #expect((document.factCount ?? 0) > 0)
        }
    }

    @Test func scannedImageIsReadByOCR() async throws {
        guard RecordFixtures.toolsAvailableOrRequired else { return }
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("lab photo.png", "image/png", try RecordFixtures.fixture("lab-photo.png"))])
            await app.documentWorker.runDue()
            var document = try #require(try await CaseDocument.query(on: app.db).first())
            #expect(document.status == .ready, "\(document.statusDetail ?? "")")
            #expect(document.usedOCR == true)
            #expect((document.factCount ?? 0) > 0)
        }
    }

    @Test func fhirBundleImportsAndOthersCannotSeeTheDocuments() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let bundle = try RecordFixtures.shared("fhir-mcode/mef_extended-patient-bundle.json")
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("bundle.json", "application/json", bundle)])
            await app.documentWorker.runDue()
            var document = try #require(try await CaseDocument.query(on: app.db).first())
            #expect(document.status == .ready, "\(document.statusDetail ?? "")")
            #expect((document.factCount ?? 0) > 0)
            let documentID = try document.requireID()

            let original = try await browser.get("/cases/\(caseID)/documents/\(documentID)/original")
            #expect(original.status == .ok)
            #expect(original.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(Data(buffer: original.body) == bundle)

            // Another patient, and a partner without a share, get 404 for every document route.
            _ = try await makeUser(app, email: "other@example.org", role: .patient)
            _ = try await makeUser(app, email: "partner@example.org", role: .partner, organization: "Hospital")
            for email in ["other@example.org", "partner@example.org"] {
                let stranger = TestBrowser(app)
                _ = try await stranger.signIn(email)
                for path in ["/cases/\(caseID)/documents/\(documentID)", "/cases/\(caseID)/documents/\(documentID)/original", "/cases/\(caseID)/review", "/cases/\(caseID)/documents/status"] {
                    #expect(try await stranger.get(path).status == .notFound, "\(email) \(path)")
                }
                let upload = try await stranger.upload("/cases/\(caseID)/documents", files: [("x.txt", "text/plain", Data("ECOG 1".utf8))])
                #expect(upload.status == .notFound)
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$outcome == "denied").count() >= 8)

            // Deleting the document removes its facts and its encrypted bytes.
            let address = try #require(DocumentStore.Address(document.blobAddress))
            #expect(app.documentStore.contains(address))
            _ = try await browser.post("/cases/\(caseID)/documents/\(documentID)/delete")
            #expect(try await CaseFact.query(on: app.db).count() == 0)
            #expect(!app.documentStore.contains(address))
        }
    }

    @Test func apiUploadStatusProfileAndReview() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            let token = try await issueToken(app, browser: browser)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            headers.contentType = .plainText
            let letter = try RecordFixtures.fixture("referral-letter.txt")
            let created = try await app.testing().sendRequest(.POST, "/api/v1/cases/\(caseID)/documents?name=letter.txt", headers: headers, body: ByteBuffer(data: letter))
            #expect(created.status == .created, "\(created.text)")
            headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
            let lying = try await app.testing().sendRequest(.POST, "/api/v1/cases/\(caseID)/documents?name=letter.pdf", headers: headers, body: ByteBuffer(data: letter))
            #expect(lying.status == .unprocessableEntity)
            #expect(lying.text.contains("its content is plain text"))

            await app.documentWorker.runDue()
            let api = APIClient(app: app, token: token)
            let list = try await api.send(.GET, "/api/v1/cases/\(caseID)/documents")
            #expect(list.text.contains("\"status\":\"ready\""))
            let profile = try await api.send(.GET, "/api/v1/cases/\(caseID)/profile")
            #expect(profile.status == .ok)
            #expect(profile.text.contains("\"reviewState\":\"pending\""))
            #expect(profile.text.contains("\"disclaimer\""))
            let fact = try #require(try await CaseFact.query(on: app.db).first())
            let reviewed = try await api.send(.POST, "/api/v1/cases/\(caseID)/facts/\(try fact.requireID())/review", json: #"{"action":"reject","reason":"belongs to the brother"}"#)
            #expect(reviewed.status == .ok)
            #expect(reviewed.text.contains("\"reviewState\":\"rejected\""))
        }
    }
}

/// Creates a personal access token for the browser's account through the account page.
func issueToken(_ app: Application, browser: TestBrowser) async throws -> String {
    let response = try await browser.post("/account/tokens", form: ["name": "test"])
    let text = response.status == .seeOther ? try await browser.get(response.location ?? "/account").text : response.text
    guard let range = text.range(of: #"onc_[A-Za-z0-9_\-]+"#, options: .regularExpression) else {
        throw Abort(.internalServerError, reason: "no token on the page")
    }
    return String(text[range])
}

/// The row as the database now has it.
func refetch<M: Model>(_ model: M, _ app: Application) async throws -> M where M.IDValue == UUID {
    try #require(try await M.find(try model.requireID(), on: app.db))
}
