import Fluent
import Foundation
import OncoAnswers
import OncoMatch
import Testing
import Vapor
import VaporTesting
@testable import OncoNavServer

/// Ask from a case (issue 15, point 5): the confirmed record only, the options page's own
/// matcher, the case's cancer only, and the values used named.
@Suite struct CaseAnswerTests {
    static let question = "Which CAR-T therapies could fit my case?"

    /// The brands of products with no label for the case's cancer (myeloma, melanoma,
    /// prostate, bladder … for a lymphoma).
    static func otherCancersBrands(_ app: Application, cancerID: String) -> [String] {
        let kb = app.knowledge
        return kb.products.filter { product in !product.indications.contains { kb.indication($0, covers: cancerID) } }.map(\.brand)
    }

    static func yourCaseText(_ answer: Answer) -> String {
        answer.sections.filter { $0.kind == .yourCase }.flatMap { $0.paragraphs + $0.bullets }.map(\.text).joined(separator: "\n")
    }

    @Test func withNothingConfirmedNoOtherCancersProductIsSaidToFit() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            let answer = try #require(try await OncoNavApp.answer(app, question: Self.question, caseID: caseID.uuidString))
            let text = Self.yourCaseText(answer)
            #expect(text.contains("no confirmed diagnosis yet"))
            #expect(text.contains("not confirmed yet and were not used"))
            for brand in Self.otherCancersBrands(app, cancerID: "dlbcl-nos") {
                #expect(!text.contains(brand), "\(brand) is not for lymphoma")
            }
            #expect(!text.contains("fit what is known"))
        }
    }

    @Test func aConfirmedLymphomaGetsTheOptionsPagesLabelsAndIsToldWhichValuesWereUsed() async throws {
        try await withTestApp { app in
            let (browser, caseID) = try await patientWithCase(app)
            _ = try await browser.upload("/cases/\(caseID)/documents", files: [("letter.txt", "text/plain", try RecordFixtures.fixture("referral-letter.txt"))])
            await app.documentWorker.runDue()
            // Every value confirmed: the options page and the answer read the same record.
            for fact in try await CaseFact.query(on: app.db).filter(\.$caseRecord.$id == caseID).filter(\.$reviewState == .pending).all() {
                _ = try await browser.post("/cases/\(caseID)/facts/\(try fact.requireID())", form: ["action": "confirm"])
            }
            let page = try await browser.get("/cases/\(caseID)/ask?q=" + Self.question.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(page.status == .ok)
            #expect(page.text.contains("Based on your confirmed record: "))
            #expect(page.text.lowercased().contains("primary cancer: diffuse large b-cell lymphoma"))

            let answer = try #require(try await OncoNavApp.answer(app, question: Self.question, caseID: caseID.uuidString))
            let text = Self.yourCaseText(answer)
            for brand in Self.otherCancersBrands(app, cancerID: "dlbcl-nos") {
                #expect(!text.contains(brand), "\(brand) is not for lymphoma")
            }
            // The labels the options page shows as fitting (met, or nothing failing) are the answer's.
            let token = try await issueToken(app, browser: browser)
            let options = try await APIClient(app: app, token: token).send(.GET, "/api/v1/cases/\(caseID)/options")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let report = try decoder.decode(MatchReport.self, from: Data(buffer: options.body))
            let fitting = report.options.filter { option in
                guard option.label != nil else { return false }
                switch option.status {
                case .eligibleAllMet, .mayBeEligible: return true
                default: return false
                }
            }
            #expect(!fitting.isEmpty, "a relapsed DLBCL has CAR-T labels to check")
            let bullets = answer.sections.filter { $0.kind == .yourCase }.flatMap(\.bullets).map(\.text)
            let brandsInAnswer = Set(bullets.compactMap { $0.components(separatedBy: ",").first })
            #expect(brandsInAnswer == Set(fitting.compactMap(\.label?.brand)))
            #expect(bullets.count == fitting.count)
        }
    }
}
