import Foundation

/// How OncoNav keeps its trial registry current with ClinicalTrials.gov (API v2), read once
/// from the environment. Sync is off unless the environment turns it on or leaves it at the
/// server default; tests build an `AppConfig` directly, where it is off.
public struct RegistrySyncConfig: Sendable, Equatable {
    /// Whether the server runs the scheduled sync (`ONCONAV_CTGOV_SYNC`, `on` or `off`).
    /// `onconav trials sync` runs whatever this says: it is an explicit request.
    public var enabled: Bool
    /// The registry's address (`ONCONAV_CTGOV_URL`); tests point it at a local replay server.
    public var baseURL: URL
    /// Which studies to keep: a condition and/or other-terms query (`ONCONAV_CTGOV_CONDITION`,
    /// `ONCONAV_CTGOV_TERM`). Oncology by default.
    public var condition: String?
    public var term: String?
    /// Time between scheduled runs (`ONCONAV_CTGOV_SYNC_INTERVAL`: seconds, or `30m`, `6h`, `1d`, `daily`).
    public var interval: TimeInterval
    /// Studies per page (the API allows at most 1,000).
    public var pageSize: Int
    /// The least time between two requests (`ONCONAV_CTGOV_REQUEST_INTERVAL`, seconds): politeness.
    public var requestInterval: TimeInterval
    /// How long one request may take before it is abandoned and retried.
    public var requestTimeout: TimeInterval
    /// Attempts per page before the run stops (the cursor is kept for the next run).
    public var maxAttempts: Int
    /// The first retry waits this long; each further one twice as long, up to `maxBackoff`.
    public var backoffBase: TimeInterval
    public var maxBackoff: TimeInterval
    /// The longest `Retry-After` OncoNav honours before stopping the run instead.
    public var maxRetryAfter: TimeInterval
    /// The first run's lower bound on the last-update date (`ONCONAV_CTGOV_SINCE`, `YYYY-MM-DD`);
    /// without it the first run fetches the whole scope.
    public var initialSince: String?
    /// How long after start the first run begins when the registry was never synced (or a run
    /// was interrupted), so that start-up stays quick.
    public var startDelay: TimeInterval

    public static let defaultBaseURL = URL(string: "https://clinicaltrials.gov")!
    public static let defaultCondition = "cancer"

    public init(
        enabled: Bool = false, baseURL: URL = RegistrySyncConfig.defaultBaseURL, condition: String? = RegistrySyncConfig.defaultCondition,
        term: String? = nil, interval: TimeInterval = 86_400, pageSize: Int = 1_000, requestInterval: TimeInterval = 1.0,
        requestTimeout: TimeInterval = 120, maxAttempts: Int = 5, backoffBase: TimeInterval = 2, maxBackoff: TimeInterval = 300,
        maxRetryAfter: TimeInterval = 3_600, initialSince: String? = nil, startDelay: TimeInterval = 60
    ) {
        self.enabled = enabled; self.baseURL = baseURL; self.condition = condition; self.term = term
        self.interval = interval; self.pageSize = pageSize; self.requestInterval = requestInterval
        self.requestTimeout = requestTimeout; self.maxAttempts = maxAttempts; self.backoffBase = backoffBase
        self.maxBackoff = maxBackoff; self.maxRetryAfter = maxRetryAfter; self.initialSince = initialSince; self.startDelay = startDelay
    }

    /// The scope's key in `trial_sync_state`: one cursor per distinct query.
    public var scope: String {
        "cond=\(condition ?? "");term=\(term ?? "")"
    }

    /// The variables read here (listed with `AppConfig.knownVariables`).
    public static let variables = [
        "ONCONAV_CTGOV_SYNC", "ONCONAV_CTGOV_URL", "ONCONAV_CTGOV_CONDITION", "ONCONAV_CTGOV_TERM",
        "ONCONAV_CTGOV_SYNC_INTERVAL", "ONCONAV_CTGOV_REQUEST_INTERVAL", "ONCONAV_CTGOV_SINCE",
    ]

    /// Reads the sync settings; problems are appended to `problems` (the caller reports them all at once).
    /// The server default is on: a deployment stays current unless told otherwise.
    public static func fromEnvironment(_ environment: [String: String], problems: inout [String]) -> RegistrySyncConfig {
        var config = RegistrySyncConfig(enabled: true)
        if let raw = environment["ONCONAV_CTGOV_SYNC"]?.lowercased(), !raw.isEmpty {
            switch raw {
            case "1", "true", "yes", "on": config.enabled = true
            case "0", "false", "no", "off": config.enabled = false
            default: problems.append("ONCONAV_CTGOV_SYNC must be on or off, got '\(raw)'")
            }
        }
        if let raw = environment["ONCONAV_CTGOV_URL"], !raw.isEmpty {
            if let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {
                config.baseURL = url
            } else {
                problems.append("ONCONAV_CTGOV_URL must be an http(s) URL such as https://clinicaltrials.gov, got '\(raw)'")
            }
        }
        if let raw = environment["ONCONAV_CTGOV_CONDITION"] { config.condition = raw.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        if let raw = environment["ONCONAV_CTGOV_TERM"] { config.term = raw.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        if config.condition == nil, config.term == nil {
            problems.append("ONCONAV_CTGOV_CONDITION and ONCONAV_CTGOV_TERM are both empty; give a scope such as ONCONAV_CTGOV_CONDITION=cancer")
        }
        if let raw = environment["ONCONAV_CTGOV_SYNC_INTERVAL"], !raw.isEmpty {
            if let seconds = duration(raw), seconds >= 60 { config.interval = seconds }
            else { problems.append("ONCONAV_CTGOV_SYNC_INTERVAL must be a duration of at least a minute (3600, 30m, 6h, 1d or daily), got '\(raw)'") }
        }
        if let raw = environment["ONCONAV_CTGOV_REQUEST_INTERVAL"], !raw.isEmpty {
            if let seconds = Double(raw), seconds >= 0, seconds <= 60 { config.requestInterval = seconds }
            else { problems.append("ONCONAV_CTGOV_REQUEST_INTERVAL must be seconds between requests (0 to 60, default 1), got '\(raw)'") }
        }
        if let raw = environment["ONCONAV_CTGOV_SINCE"], !raw.isEmpty {
            if raw.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil { config.initialSince = raw }
            else { problems.append("ONCONAV_CTGOV_SINCE must be a date like 2026-01-31, got '\(raw)'") }
        }
        return config
    }

    /// "3600", "30m", "6h", "1d", "daily", "hourly" → seconds.
    static func duration(_ text: String) -> TimeInterval? {
        let raw = text.lowercased().trimmingCharacters(in: .whitespaces)
        switch raw {
        case "daily": return 86_400
        case "hourly": return 3_600
        case "weekly": return 604_800
        default: break
        }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        if let unit = raw.last, let factor = units[unit], let value = Double(raw.dropLast()) { return value * factor }
        return Double(raw)
    }
}
