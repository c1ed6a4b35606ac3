import Foundation
import OncoKnowledge
import OncoTrials

/// What a person searches for: free text plus structured filters. Every filter is
/// optional; an empty query lists everything.
public struct TrialQuery: Sendable, Hashable {
    /// Free text, expanded through the lexicon's synonyms ("NSCLC" also finds
    /// "non-small cell lung cancer").
    public var text: String?
    /// Only trials whose conditions are this concept or one of its subtypes (via `isA`).
    public var conditionConcept: String?
    /// Only trials testing at least one of these modalities.
    public var modalities: Set<TherapyModality> = []
    /// Registry phases, e.g. `PHASE1`, `PHASE2`.
    public var phases: Set<String> = []
    /// Overall statuses, e.g. `RECRUITING`, `NOT_YET_RECRUITING`.
    public var overallStatuses: Set<String> = []
    /// Only trials with at least one site in one of these statuses (e.g. `RECRUITING`);
    /// with a place, distance is measured to such sites only.
    public var siteStatuses: Set<String> = []
    /// Only trials with a site in this country (case-insensitive).
    public var country: String?
    /// Distance filter and ranking information.
    public var near: Place?
    /// Radius around `near`; nil means no distance limit (distances are still reported).
    public var radiusKm: Double?
    /// The person's age in years: trials whose age limits exclude it are dropped.
    public var patientAge: Double?
    /// The person's sex: trials for the other sex only are dropped.
    public var patientSex: Sex?
    public var sort: Sort = .relevance

    public enum Sort: String, Sendable, Hashable {
        /// BM25 score (ties: nearer first).
        case relevance
        /// Nearest site first (needs `near`).
        case distance
    }

    public init(text: String? = nil) { self.text = text }
}

/// A place to measure distance from.
public enum Place: Sendable, Hashable {
    /// A city name, resolved against the cities of imported sites ("Houston",
    /// "Houston, Texas", "Lyon, France").
    case named(String)
    case coordinate(latitude: Double, longitude: Double)
}

/// The place a name was resolved to.
public struct ResolvedPlace: Sendable, Hashable {
    public var city: String
    public var state: String?
    public var country: String?
    public var latitude: Double
    public var longitude: Double
    /// Number of imported sites in that city.
    public var siteCount: Int
}

/// One search result.
public struct TrialSearchHit: Sendable, Hashable {
    public var nctID: String
    /// BM25 score (0 for a filter-only query).
    public var score: Double
    /// Distance from the query place to the nearest qualifying site, in km.
    public var distanceKm: Double?
    /// Index of that site in `Study.locations`.
    public var nearestSiteIndex: Int?
    public var nearestCity: String?
    public var nearestCountry: String?
}

public struct TrialSearchResults: Sendable {
    public var hits: [TrialSearchHit]
    /// Trials matching the query and filters (before `limit`).
    public var totalMatches: Int
    public var resolvedPlace: ResolvedPlace?
    /// Set when `near` named a place that no imported site is in; no distance filter was applied.
    public var unresolvedPlace: String?
    /// The query terms after expansion (for explaining results).
    public var expandedTerms: [String]
}

/// Great-circle distance in km (haversine, mean Earth radius 6371 km).
public func haversineKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let r = 6371.0
    let dLat = (lat2 - lat1) * .pi / 180
    let dLon = (lon2 - lon1) * .pi / 180
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * .pi / 180) * cos(lat2 * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * r * asin(min(1, sqrt(a)))
}
