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
        routes.on(.POST, "admin", "trials", "import", bodyLimit: "200mb", use: importUpload).access(.admin)
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
        /// What was wrong with the fields, shown on the form (which keeps the input).
        public var errors: [String] = []
        public var hasErrors: Bool { !errors.isEmpty }
        /// The number fields as typed, so a mistake stays in the box to be corrected.
        public var radiusText: String?
        public var ageText: String?

        public init(q: String? = nil, condition: String? = nil, modality: String? = nil, phase: String? = nil, recruiting: String? = nil,
                    country: String? = nil, near: String? = nil, radius: Double? = nil, age: Double? = nil, sex: String? = nil) {
            self.q = q; self.condition = condition; self.modality = modality; self.phase = phase; self.recruiting = recruiting
            self.country = country; self.near = near; self.radius = radius; self.age = age; self.sex = sex
            self.radiusText = radius.map { String(Int($0)) }; self.ageText = age.map { String(Int($0)) }
        }

        enum CodingKeys: String, CodingKey {
            case q, condition, modality, phase, recruiting, country, near, radius, age, sex, errors, hasErrors, radiusText, ageText
        }

        /// A browser sends every field, empty ones as `radius=`: an empty field is absent,
        /// and a number that is not one becomes a message on the form, not a 400.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func text(_ key: CodingKeys) -> String? {
                (try? container.decodeIfPresent(String.self, forKey: key))?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            }
            q = text(.q); condition = text(.condition); modality = text(.modality); phase = text(.phase)
            recruiting = text(.recruiting); country = text(.country); near = text(.near); sex = text(.sex)
            radiusText = text(.radius).map { String($0.prefix(20)) }
            ageText = text(.age).map { String($0.prefix(20)) }
            if let raw = radiusText {
                if let value = Self.number(raw), value > 0, value <= 20_000 { radius = value }
                else { errors.append("Within (km): enter a distance in kilometres, like 300.") }
            }
            if let raw = ageText {
                if let value = Self.number(raw), (0...120).contains(value) { age = value }
                else { errors.append("Age: enter an age in years between 0 and 120, like 54.") }
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(q, forKey: .q); try container.encodeIfPresent(condition, forKey: .condition)
            try container.encodeIfPresent(modality, forKey: .modality); try container.encodeIfPresent(phase, forKey: .phase)
            try container.encodeIfPresent(recruiting, forKey: .recruiting); try container.encodeIfPresent(country, forKey: .country)
            try container.encodeIfPresent(near, forKey: .near); try container.encodeIfPresent(radius, forKey: .radius)
            try container.encodeIfPresent(age, forKey: .age); try container.encodeIfPresent(sex, forKey: .sex)
            try container.encode(errors, forKey: .errors); try container.encode(hasErrors, forKey: .hasErrors)
            try container.encodeIfPresent(radiusText, forKey: .radiusText); try container.encodeIfPresent(ageText, forKey: .ageText)
        }

        /// "300", "300.5" or "300,5".
        static func number(_ text: String) -> Double? {
            Double(text.replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite ? $0 : nil }
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
        /// "Status not verified since …" for an open trial the registry has not heard about in two years.
        public let staleness: String?
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
        /// No registry has been imported: searching cannot find anything yet.
        public let registryEmpty: Bool
        /// "Sample of N ClinicalTrials.gov records …" while the bundled sample is the registry.
        public let sampleNotice: String?
        /// The index is still being built at start: what it is doing (searching waits for it).
        public var loading: String? = nil
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
        if let age = form.age { query.patientAge = age }
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
                distance: hit.distanceKm.map { "\(Int($0.rounded())) km\(hit.nearestCity.map { " (\($0))" } ?? "")" }, score: hit.score,
                staleness: staleness(status: record.overallStatus, lastUpdate: record.lastUpdate, now: app.clock.now()))
        }
        let modalities = TherapyModality.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form.modality) }
        return SearchResult(form: form, total: results?.totalMatches ?? 0, hits: rows, hasHits: !rows.isEmpty, searched: searched, notes: notes, modalities: modalities, indexed: index.count, facets: facets, hasFacets: !facets.isEmpty, registryEmpty: index.count == 0,
                            sampleNotice: app.registrySampleNotice.label)
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

    /// Statuses that claim a trial is open or running.
    static let activeStatuses: Set<String> = ["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"]

    /// As ClinicalTrials.gov does, an open status the sponsor has not confirmed for two years
    /// is not shown as current: "status not verified since <last update>".
    static func staleness(status: String?, lastUpdate: String?, now: Date) -> String? {
        guard let status, activeStatuses.contains(status), let lastUpdate else { return nil }
        let parts = lastUpdate.split(separator: "-").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        var components = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                                        year: parts[0], month: parts[1], day: parts.count > 2 ? parts[2] : 28)
        components.hour = 12
        guard let updated = components.date, let limit = Calendar(identifier: .gregorian).date(byAdding: .year, value: -2, to: now),
              updated < limit else { return nil }
        return "status not verified since \(lastUpdate)"
    }

    static func humanStatus(_ status: String?) -> String {
        guard let status else { return "Status not given" }
        return status.replacingOccurrences(of: "_", with: " ").capitalized
    }

    static func searchPage(req: Request) async throws -> Response {
        let form = try req.query.decode(SearchForm.self)
        if let loading = req.application.trials.loadingMessage {
            let response = try await req.page("trials/search", title: "Find clinical trials", content: loadingResult(form, message: loading), status: .serviceUnavailable)
            response.headers.replaceOrAdd(name: .retryAfter, value: "5")
            return response
        }
        return try await req.page("trials/search", title: "Find clinical trials", content: search(form, app: req.application, db: req.db))
    }

    /// While the index loads, the API answers 503 with the loading message (and Retry-After),
    /// never an empty result that would read as "no trial matches".
    static func searchAPI(req: Request) async throws -> Response {
        let form = try req.query.decode(SearchForm.self)
        if let loading = req.application.trials.loadingMessage {
            let response = try await loadingResult(form, message: loading).encodeResponse(status: .serviceUnavailable, for: req)
            response.headers.replaceOrAdd(name: .retryAfter, value: "5")
            return response
        }
        return try await search(form, app: req.application, db: req.db).encodeResponse(for: req)
    }

    /// A search result that says the index is loading and lists nothing.
    static func loadingResult(_ form: SearchForm, message: String) -> SearchResult {
        let modalities = TherapyModality.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0.rawValue == form.modality) }
        var result = SearchResult(form: form, total: 0, hits: [], hasHits: false, searched: false, notes: [], modalities: modalities, indexed: 0,
                                  facets: [], hasFacets: false, registryEmpty: false, sampleNotice: nil)
        result.loading = message
        return result
    }
}
