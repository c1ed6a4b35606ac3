import Fluent
import OncoKnowledge
import OncoMatch
import OncoTrials
import Vapor

/// Trial search and trial pages (public: registry content, no health data), their JSON
/// twins, and the admin import page.
public enum TrialController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("trials", use: searchPage).access(.anyone)
        routes.get("trials", ":nctID", use: trialPage).access(.anyone)
        routes.get("admin", "trials", "import", use: importPage).access(.admin)
        routes.on(.POST, "admin", "trials", "import", body: .collect(maxSize: "200mb"), use: importUpload).access(.admin)
        routes.get("admin", "trials", "import", ":jobID", use: importStatus).access(.admin)
    }

    static func registerAPI(_ api: any RoutesBuilder) {
        api.get("trials", use: searchAPI).access(.anyone)
        api.get("trials", ":nctID", use: trialAPI).access(.anyone)
    }

    /// The search form's fields; every one optional.
    public struct SearchForm: Content, Sendable {
        public var q: String?
        public var condition: String?
        public var modality: String?
        public var phase: String?
        public var recruiting: String?
        public var country: String?
        public var near: String?
        public var radius: Double?
        public var age: Double?
        public var sex: String?

        public init(q: String? = nil, condition: String? = nil, modality: String? = nil, phase: String? = nil, recruiting: String? = nil,
                    country: String? = nil, near: String? = nil, radius: Double? = nil, age: Double? = nil, sex: String? = nil) {
            self.q = q; self.condition = condition; self.modality = modality; self.phase = phase; self.recruiting = recruiting
            self.country = country; self.near = near; self.radius = radius; self.age = age; self.sex = sex
        }
    }

    public struct HitRow: Content, Sendable {
        public let nctID: String
        public let title: String
        public let status: String
        public let phases: String
        public let conditions: String
        public let modalities: String
        public let distance: String?
        public let score: Double
    }

    public struct SearchResult: Content, Sendable {
        public let form: SearchForm
        public let total: Int
        public let hits: [HitRow]
        public let hasHits: Bool
        public let searched: Bool
        public let notes: [String]
        public let modalities: [SelectOption]
        public let indexed: Int
        public let facets: [Facet]
        public let hasFacets: Bool
    }

    /// Counts of the matching trials by therapy type, phase and status, each a link that
    /// narrows the search.
    public struct Facet: Content, Sendable {
        public let title: String
        public let values: [FacetValue]
    }

    public struct FacetValue: Content, Sendable {
        public let label: String
        public let count: Int
        public let href: String
    }


    /// The query, separate from the handlers: form → index query → rows.
    static func search(_ form: SearchForm, app: Application, db: any Database) async throws -> SearchResult {
        let kb = app.knowledge
        let index = app.trials.snapshot
        var notes: [String] = []
        var query = TrialQuery(text: form.q.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : String($0.prefix(300)) })
        if let name = form.condition?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            if let cancer = kb.cancer(named: name) {
                // Filter by concept when the index's vocabulary knows this cancer; otherwise
                // rank by its name (synonyms are expanded) rather than filter on a guess.
                if !index.lexicon.terms(ofConcept: cancer.id).isEmpty {
                    query.conditionConcept = cancer.id
                    notes.append("Condition: \(cancer.name), including its subtypes.")
                } else {
                    query.text = [query.text, cancer.name].compactMap { $0 }.joined(separator: " ")
                    notes.append("Condition: \(cancer.name) (matched by name and synonyms).")
                }
            } else {
                notes.append("OncoNav does not know the condition \"\(name.prefix(80))\"; searched the text instead.")
                query.text = [query.text, name].compactMap { $0 }.joined(separator: " ")
            }
        }
        if let raw = form.modality, let modality = TherapyModality(rawValue: raw) { query.modalities = [modality] }
        if let phase = form.phase, !phase.isEmpty { query.phases = [phase] }
        if form.recruiting == "on" || form.recruiting == "true" {
            query.overallStatuses = ["RECRUITING"]
            query.siteStatuses = ["RECRUITING"]
        }
        if let country = form.country?.trimmingCharacters(in: .whitespaces), !country.isEmpty { query.country = country }
        if let near = form.near?.trimmingCharacters(in: .whitespaces), !near.isEmpty {
            query.near = .named(String(near.prefix(120)))
            query.radiusKm = form.radius ?? 500
        }
        if let age = form.age, (0...120).contains(age) { query.patientAge = age }
        if let sex = form.sex, let value = Sex(rawValue: sex) { query.patientSex = value }

        let searched = query.text != nil || query.conditionConcept != nil || !query.modalities.isEmpty || query.near != nil
        let results: TrialSearchResults? = searched ? index.search(query, limit: 1000) : nil
        if let place = results?.resolvedPlace {
            notes.append("Distances from \(place.city)\(place.country.map { ", \($0)" } ?? ""), within \(Int(query.radiusKm ?? 0)) km.")
        }
        if let unresolved = results?.unresolvedPlace {
            notes.append("No imported trial site is in \"\(unresolved.prefix(80))\"; results are not filtered by distance. Try a nearby larger city.")
        }
        let allHits = results?.hits ?? []
        let hits = Array(allHits.prefix(50))
        let facetRecords = allHits.isEmpty ? [] : try await TrialRecord.query(on: db).filter(\.$nctID ~~ allHits.map(\.nctID))
            .field(\.$id).field(\.$nctID).field(\.$modalities).field(\.$phases).field(\.$overallStatus).all()
        let facets = Self.facets(facetRecords, form: form)
        let ids = hits.map(\.nctID)
        let records = ids.isEmpty ? [] : try await TrialRecord.query(on: db).filter(\.$nctID ~~ ids).all()
        let byID = Dictionary(records.map { ($0.nctID, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = hits.compactMap { hit -> HitRow? in
            guard let record = byID[hit.nctID] else { return nil }
            return HitRow(
                nctID: hit.nctID, title: record.title, status: humanStatus(record.overallStatus),
                phases: humanPhases(record.phases),
                conditions: record.conditions, modalities: record.modalities.split(separator: ",").compactMap { TherapyModality(rawValue: String($0))?.displayName }.joined(separator: ", "),
                distance: hit.distanceKm.map { "\(Int($0.rounded())) km\(hit.nearestCity.map { " (\($0))" } ?? "")" }, score: hit.score)
        }
        let modalities = TherapyModality.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form.modality) }
        return SearchResult(form: form, total: results?.totalMatches ?? 0, hits: rows, hasHits: !rows.isEmpty, searched: searched, notes: notes, modalities: modalities, indexed: index.count, facets: facets, hasFacets: !facets.isEmpty)
    }

    static func facets(_ records: [TrialRecord], form: SearchForm) -> [Facet] {
        func link(_ change: (inout SearchForm) -> Void) -> String {
            var next = form
            change(&next)
            var components = URLComponents()
            components.queryItems = [("q", next.q), ("condition", next.condition), ("modality", next.modality), ("phase", next.phase),
                                     ("recruiting", next.recruiting), ("country", next.country), ("near", next.near),
                                     ("radius", next.radius.map { String(Int($0)) }), ("age", next.age.map { String(Int($0)) }), ("sex", next.sex)]
                .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
            return "/trials?" + (components.percentEncodedQuery ?? "")
        }
        func counts(_ values: [String]) -> [(String, Int)] {
            Dictionary(values.map { ($0, 1) }, uniquingKeysWith: +).sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        }
        var facets: [Facet] = []
        let modalities = counts(records.flatMap { $0.modalities.split(separator: ",").map(String.init) })
        if form.modality == nil || form.modality == "", !modalities.isEmpty {
            facets.append(Facet(title: "Therapy type", values: modalities.prefix(8).map { value, count in
                FacetValue(label: TherapyModality(rawValue: value)?.displayName ?? value, count: count, href: link { $0.modality = value })
            }))
        }
        let phases = counts(records.flatMap { $0.phases.split(separator: ",").map(String.init) })
        if form.phase == nil || form.phase == "", !phases.isEmpty {
            facets.append(Facet(title: "Phase", values: phases.prefix(6).map { value, count in
                FacetValue(label: humanPhases(value), count: count, href: link { $0.phase = value })
            }))
        }
        let recruiting = records.filter { $0.overallStatus == "RECRUITING" }.count
        if form.recruiting == nil, recruiting > 0 {
            facets.append(Facet(title: "Status", values: [FacetValue(label: "Recruiting", count: recruiting, href: link { $0.recruiting = "on" })]))
        }
        return facets
    }

    static func humanPhases(_ phases: String) -> String {
        guard !phases.isEmpty else { return "Phase not given" }
        return phases.split(separator: ",").map { phase in
            switch phase {
            case "NA": "Phase not applicable"
            case "EARLY_PHASE1": "Early phase 1"
            default: phase.replacingOccurrences(of: "PHASE", with: "Phase ")
            }
        }.joined(separator: ", ")
    }

    static func humanStatus(_ status: String?) -> String {
        guard let status else { return "Status not given" }
        return status.replacingOccurrences(of: "_", with: " ").capitalized
    }

    static func searchPage(req: Request) async throws -> Response {
        let form = try req.query.decode(SearchForm.self)
        return try await req.page("trials/search", title: "Find clinical trials", content: search(form, app: req.application, db: req.db))
    }

    static func searchAPI(req: Request) async throws -> SearchResult {
        try await search(req.query.decode(SearchForm.self), app: req.application, db: req.db)
    }
}
