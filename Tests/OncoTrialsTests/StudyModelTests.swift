import Foundation
import Testing
@testable import OncoTrials

@Suite("Study model")
struct StudyModelTests {
    @Test("every file in ctgov-v2 decodes as one study named like the file")
    func decodesEveryV2File() throws {
        guard let dir = SharedData.url("ctgov-v2") else { return }
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        #expect(files.count >= 11)
        for file in files {
            let (studies, failures) = try readAll(file)
            #expect(failures.isEmpty, "\(file.lastPathComponent): \(failures)")
            #expect(studies.map(\.nctID) == [file.deletingPathExtension().lastPathComponent])
        }
    }

    @Test("the full PALLAS record exposes its modules")
    func pallasRecord() throws {
        guard let url = SharedData.url("ctgov-v2/NCT02513394.json") else { return }
        let study = try StudyParser.reparse(raw: Data(contentsOf: url))
        #expect(study.nctID == "NCT02513394")
        #expect(study.acronym == "PALLAS")
        #expect(study.conditions.contains { $0.localizedCaseInsensitiveContains("breast") })
        #expect(!study.interventions.isEmpty)
        #expect(study.eligibility?.minimumAgeLimit?.years == 18)
        #expect(study.lastUpdate != nil)
        #expect(!study.locations.isEmpty)
        #expect(study.eligibilityCriteria?.contains("Inclusion") == true)
    }

    @Test("all 562 oncology studies decode without a failure")
    func decodesAllOncologyLines() throws {
        guard let url = SharedData.oncologyJSONL else { return }
        let (studies, failures) = try readAll(url)
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(studies.count == 562)
        #expect(Set(studies.map(\.nctID)).count == 562)
        let withCriteria = studies.filter { $0.study.eligibilityCriteria?.isEmpty == false }.count
        #expect(withCriteria > 500)
        let geo = studies.filter { $0.study.locations.contains { $0.geoPoint != nil } }.count
        #expect(geo > 200)
        // A few captured records carry no update date at all; the rest must parse.
        #expect(studies.filter { $0.lastUpdate != nil }.count >= 550)
    }

    @Test("age limits parse to years and months", arguments: [
        ("18 Years", 18.0), ("6 Months", 0.5), ("12 Weeks", 12 / 52.1775), ("30 Days", 30 / 365.25), ("1 Year", 1.0),
    ])
    func ageLimits(text: String, years: Double) {
        let limit = AgeLimit(text)
        #expect(limit != nil)
        #expect(abs((limit?.years ?? -1) - years) < 0.0001)
    }

    @Test("N/A and garbage are no age limit")
    func ageNotApplicable() {
        #expect(AgeLimit("N/A") == nil)
        #expect(AgeLimit("") == nil)
        #expect(AgeLimit("eighteen years") == nil)
        #expect(AgeLimit("6 Months")?.months == 6)
    }

    @Test("registry dates with and without a day parse and order")
    func registryDates() {
        let month = RegistryDate("2024-03")
        let day = RegistryDate("2024-03-05")
        #expect(month?.day == nil)
        #expect(day?.day == 5)
        #expect(month! < day!)
        #expect(RegistryDate("2024-13-01") == nil)
        #expect(day?.description == "2024-03-05")
    }

    @Test("a study with only an NCT ID decodes; unknown fields are ignored")
    func minimalStudy() throws {
        let json = #"{"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},"futureModule":{"x":1}},"whatever":[1,2]}"#
        let study = try StudyParser.reparse(raw: Data(json.utf8))
        #expect(study.nctID == "NCT00000001")
        #expect(study.conditions.isEmpty)
        #expect(study.lastUpdate == nil)
    }
}
