import Foundation
import OncoKnowledge
import OncoTrials
import Testing
@testable import OncoMatch

/// The oncology JSONL at `<repo>/../shared/data`; skipped when missing unless `ONCONAV_REQUIRE_TOOLS=1`.
enum TrialIndexFixture {
    static let jsonl: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data/ctgov-v2-oncology/studies.jsonl")

    static let studies: [Study] = {
        var result: [Study] = []
        _ = try? StudyImportReader(source: .file(jsonl)).read { record in
            if case .study(let s) = record { result.append(s.study) }
        }
        return result
    }()

    static let index: TrialIndex = {
        var index = TrialIndex(isA: { concept, ancestor in
            // A tiny hierarchy for the tests; the knowledge base supplies the real one.
            let parents: [String: [String]] = ["dlbcl": ["b-cell-lymphoma", "non-hodgkin-lymphoma", "lymphoma"],
                                               "b-cell-lymphoma": ["non-hodgkin-lymphoma", "lymphoma"],
                                               "non-hodgkin-lymphoma": ["lymphoma"], "aml": ["leukemia"], "all": ["leukemia"],
                                               "cll": ["leukemia"], "nsclc": ["lung-cancer"], "sclc": ["lung-cancer"]]
            return concept == ancestor || (parents[concept]?.contains(ancestor) ?? false)
        })
        for study in studies { index.add(study) }
        return index
    }()

    static func available(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        if FileManager.default.fileExists(atPath: jsonl.path) { return true }
        if ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1" {
            Issue.record("shared test data missing at \(jsonl.path)", sourceLocation: sourceLocation)
        }
        return false
    }
}

@Suite("Trial index")
struct TrialIndexTests {
    @Test("all 562 real studies are indexed")
    func indexesAll() {
        guard TrialIndexFixture.available() else { return }
        #expect(TrialIndexFixture.index.count == 562)
    }

    @Test("CAR-T trials for a lymphoma near Chengdu come back ranked, with distances")
    func carTLymphomaNearCity() throws {
        guard TrialIndexFixture.available() else { return }
        var query = TrialQuery(text: "CAR-T lymphoma")
        query.near = .named("Chengdu")
        query.modalities = [.carT]
        let results = TrialIndexFixture.index.search(query, limit: 10)
        #expect(results.resolvedPlace?.country == "China")
        let hit = try #require(results.hits.first { $0.nctID == "NCT02349698" })
        #expect(hit.nearestCity == "Chongqing")
        let km = try #require(hit.distanceKm)
        #expect(km > 200 && km < 330, "Chengdu–Chongqing is about 265 km, got \(km)")
        #expect(results.hits.first?.nctID == "NCT02349698")
        #expect(zip(results.hits, results.hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(results.hits.allSatisfy { TrialIndexFixture.index.contains(nctID: $0.nctID) })
    }

    @Test("sorting by distance with a radius keeps only nearby recruiting sites")
    func radiusAndDistanceSort() {
        guard TrialIndexFixture.available() else { return }
        var query = TrialQuery(text: "leukemia")
        query.near = .named("Beijing")
        query.radiusKm = 1_500
        query.siteStatuses = ["RECRUITING"]
        query.sort = .distance
        let results = TrialIndexFixture.index.search(query, limit: 50)
        #expect(!results.hits.isEmpty)
        let distances = results.hits.compactMap(\.distanceKm)
        #expect(distances.count == results.hits.count)
        #expect(distances.allSatisfy { $0 <= 1_500 })
        #expect(distances == distances.sorted())
    }

    @Test("NSCLC finds trials that only say non-small cell lung cancer")
    func synonymExpansion() throws {
        guard TrialIndexFixture.available() else { return }
        let onlyLongForm = TrialIndexFixture.studies.first { s in
            let text = ([s.briefTitle ?? "", s.officialTitle ?? "", s.briefSummary ?? "", s.eligibilityCriteria ?? ""] + s.conditions + s.keywords)
                .joined(separator: " ").lowercased()
            return text.contains("non-small cell lung cancer") && !text.contains("nsclc")
        }
        let study = try #require(onlyLongForm)
        let results = TrialIndexFixture.index.search(TrialQuery(text: "NSCLC"), limit: 1_000)
        #expect(results.hits.contains { $0.nctID == study.nctID })
        #expect(results.expandedTerms.count > 1, "\(results.expandedTerms)")
    }

    @Test("condition concept filter includes subtypes through isA")
    func conceptFilter() {
        guard TrialIndexFixture.available() else { return }
        var query = TrialQuery()
        query.conditionConcept = "leukemia"
        let results = TrialIndexFixture.index.search(query, limit: 500)
        #expect(results.totalMatches > 10)
        #expect(results.hits.contains { $0.nctID == "NCT04835519" }) // AML → leukemia
        var lung = TrialQuery()
        lung.conditionConcept = "lung-cancer"
        #expect(!TrialIndexFixture.index.search(lung, limit: 500).hits.contains { $0.nctID == "NCT04835519" })
    }

    @Test("structured filters: phase, status, country, age, sex")
    func structuredFilters() {
        guard TrialIndexFixture.available() else { return }
        let byID = Dictionary(uniqueKeysWithValues: TrialIndexFixture.studies.map { ($0.nctID, $0) })
        var query = TrialQuery(text: "cancer")
        query.phases = ["PHASE2"]
        query.overallStatuses = ["RECRUITING"]
        query.country = "China"
        query.patientAge = 70
        query.patientSex = .male
        let results = TrialIndexFixture.index.search(query, limit: 1_000)
        #expect(!results.hits.isEmpty)
        for hit in results.hits {
            let study = byID[hit.nctID]!
            #expect(study.phases.contains("PHASE2"))
            #expect(study.overallStatus == "RECRUITING")
            #expect(study.locations.contains { $0.country == "China" })
            #expect(study.eligibility?.sex != "FEMALE")
            #expect((study.eligibility?.maximumAgeLimit?.years ?? 200) >= 70)
        }
    }

    @Test("an unknown place is reported and does not filter")
    func unknownPlace() {
        guard TrialIndexFixture.available() else { return }
        var query = TrialQuery(text: "melanoma")
        query.near = .named("Atlantis")
        query.radiusKm = 10
        let results = TrialIndexFixture.index.search(query)
        #expect(results.unresolvedPlace == "Atlantis")
        #expect(!results.hits.isEmpty)
    }

    @Test("replacing and removing a study")
    func replaceAndRemove() throws {
        var index = TrialIndex()
        var study = Study(protocolSection: .init(identificationModule: .init(nctId: "NCT00000001", briefTitle: "Glioblastoma vaccine")))
        index.add(study)
        #expect(index.search(TrialQuery(text: "glioblastoma")).hits.map(\.nctID) == ["NCT00000001"])
        study.protocolSection.identificationModule.briefTitle = "Melanoma vaccine"
        index.add(study)
        #expect(index.count == 1)
        #expect(index.search(TrialQuery(text: "glioblastoma")).hits.isEmpty)
        #expect(index.search(TrialQuery(text: "melanoma")).hits.count == 1)
        index.remove(nctID: "NCT00000001")
        #expect(index.count == 0)
        #expect(index.search(TrialQuery(text: "melanoma")).hits.isEmpty)
    }

    @Test("haversine: Paris–London is about 344 km")
    func haversine() {
        let km = haversineKm(48.8566, 2.3522, 51.5074, -0.1278)
        #expect(abs(km - 344) < 5)
    }
}
