import Fluent
import Foundation
import Vapor

extension RegistrySync {
    /// `/api/v2/studies` for the scope, from `since` (inclusive) on, at `token` when resuming.
    func pageURL(since: String?, token: String?) -> URL {
        var components = URLComponents(url: config.baseURL.appendingPathComponent("api/v2/studies"), resolvingAgainstBaseURL: false)
            ?? URLComponents()
        var items = [URLQueryItem(name: "format", value: "json"), URLQueryItem(name: "pageSize", value: String(min(max(config.pageSize, 1), 1_000)))]
        if let condition = config.condition { items.append(URLQueryItem(name: "query.cond", value: condition)) }
        if let term = config.term { items.append(URLQueryItem(name: "query.term", value: term)) }
        if let since { items.append(URLQueryItem(name: "filter.advanced", value: "AREA[LastUpdatePostDate]RANGE[\(since),MAX]")) }
        if let token { items.append(URLQueryItem(name: "pageToken", value: token)) } else { items.append(URLQueryItem(name: "countTotal", value: "true")) }
        components.queryItems = items
        // URLComponents leaves "+" alone, which servers read as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url ?? config.baseURL
    }

    /// Fetches one page, retrying faults with exponential backoff (a 429 waits its
    /// `Retry-After`), at most `maxAttempts` times; every request is paced. Every fault met
    /// is counted on the report.
    func fetchPage(_ url: URL, report: inout RegistrySyncReport) async -> Result<(RegistrySyncPage, Data), RegistrySyncError> {
        var attempt = 0
        while true {
            attempt += 1
            await pace()
            let fault: RegistrySyncError
            do {
                let response = try await client.get(url, timeout: config.requestTimeout)
                switch classify(response) {
                case .success(let page): return .success((page, response.body))
                case .failure(let error): fault = error
                }
            } catch {
                fault = .transport(Self.describe(error))
            }
            report.faults += 1
            guard fault.isRetryable, attempt < config.maxAttempts, !Task.isCancelled else { return .failure(fault) }
            let wait: TimeInterval
            if case .rateLimited(let retryAfter?) = fault {
                wait = retryAfter
            } else {
                wait = min(config.maxBackoff, config.backoffBase * pow(2, Double(attempt - 1)))
            }
            logger.warning("Registry sync: retrying a page", metadata: ["fault": .string(fault.description), "attempt": .stringConvertible(attempt), "wait_s": .stringConvertible(wait)])
            try? await Task.sleep(nanoseconds: UInt64(max(wait, 0) * 1_000_000_000))
        }
    }

    /// A page, or why the answer is not one.
    func classify(_ response: RegistryResponse) -> Result<RegistrySyncPage, RegistrySyncError> {
        switch response.status {
        case 200:
            return RegistrySyncPage.decode(response.body)
        case 429:
            let seconds = Self.retryAfter(response.retryAfter, now: Date())
            if let seconds, seconds > config.maxRetryAfter { return .failure(.retryAfterTooLong(seconds)) }
            return .failure(.rateLimited(retryAfter: seconds))
        case 500...599:
            return .failure(.server(status: response.status))
        default:
            return .failure(.refused(status: response.status, body: String(decoding: response.body.prefix(200), as: UTF8.self)))
        }
    }

    /// `Retry-After` in seconds: a number of seconds, or an HTTP date.
    static func retryAfter(_ header: String?, now: Date) -> TimeInterval? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: header).map { max(0, $0.timeIntervalSince(now)) }
    }

    /// A transport error in words (AsyncHTTPClient's errors describe themselves tersely).
    static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out: \(client)"
            case .remoteConnectionClosed: return "the connection was dropped: \(client)"
            default: return "\(client)"
            }
        }
        return String(describing: error).prefix(300).description
    }
}
