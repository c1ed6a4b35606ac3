import Foundation
import Vapor

/// A local stand-in for ClinicalTrials.gov API v2 (`GET /api/v2/studies`): serves real
/// registry records as API pages (`{"studies":[…],"nextPageToken":…,"totalCount":…}`),
/// honours `pageSize`, `pageToken` and `filter.advanced=AREA[LastUpdatePostDate]RANGE[from,MAX]`,
/// and injects faults on chosen pages: a malformed page, a 429 with Retry-After, a slow
/// answer (for the client's timeout), a dropped connection. Each scheduled fault is served
/// once, on the next request for that page.
final class RegistryReplayServer: @unchecked Sendable {
    enum Fault: Sendable {
        case malformedPage
        case rateLimited(retryAfterSeconds: Int)
        case slow(seconds: Double)
        /// The page waits until `release()`: a run that is certainly in flight, whatever the machine's load.
        case held
        case droppedConnection
    }

    /// One request as the server saw it.
    struct Served: Sendable {
        let at: Date
        let query: [String: String]
        let page: Int
        let status: String
    }

    /// Raw study records, each with its last-update date (for the incremental filter).
    private let records: [(raw: Data, lastUpdate: String)]
    private let lock = NSLock()
    private var faults: [Int: [Fault]] = [:]
    private var served: [Served] = []
    private var released = false
    private let app: Application
    private(set) var baseURL = URL(string: "http://127.0.0.1")!

    /// The lines of a JSON-lines file of studies, verbatim.
    static func lines(of file: URL) throws -> [Data] {
        try Data(contentsOf: file).split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { Data($0) }
    }

    private init(records: [Data], app: Application) {
        self.records = records.map { raw in
            let object = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any]
            let status = (object?["protocolSection"] as? [String: Any])?["statusModule"] as? [String: Any]
            let date = (status?["lastUpdatePostDateStruct"] as? [String: Any])?["date"] as? String
            return (raw, date ?? "")
        }
        self.app = app
    }

    /// Starts a server on an ephemeral port of 127.0.0.1.
    static func start(records: [Data]) async throws -> RegistryReplayServer {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        let server = RegistryReplayServer(records: records, app: app)
        app.get("api", "v2", "studies") { req in try await server.respond(req) }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try app.server.start()
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "the replay server has no port") }
        server.baseURL = URL(string: "http://127.0.0.1:\(port)")!
        return server
    }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    /// Schedules faults for page `page` (0-based), served in order on its next requests.
    func inject(_ fault: Fault, onPage page: Int, times: Int = 1) {
        lock.withLock { faults[page, default: []] += Array(repeating: fault, count: times) }
    }

    var requests: [Served] { lock.withLock { served } }

    /// Lets every `.held` page answer.
    func release() { lock.withLock { released = true } }

    /// Waits until a request for `page` has arrived (or the deadline passes).
    func waitForRequest(onPage page: Int, timeout: TimeInterval = 120) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if requests.contains(where: { $0.page == page }) { return true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    private func log(_ query: [String: String], page: Int, status: String) {
        lock.withLock { served.append(Served(at: Date(), query: query, page: page, status: status)) }
    }

    private func respond(_ req: Request) async throws -> Response {
        let query = Dictionary(((URLComponents(string: req.url.string)?.queryItems) ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let size = min(max(Int(query["pageSize"] ?? "") ?? 10, 1), 1_000)
        let offset = query["pageToken"].flatMap { $0.hasPrefix("o") ? Int($0.dropFirst()) : nil } ?? 0
        if let token = query["pageToken"], !token.hasPrefix("o") {
            log(query, page: -1, status: "400")
            return Response(status: .badRequest, body: .init(string: "{\"message\":\"invalid pageToken\"}"))
        }
        let since = query["filter.advanced"].flatMap { $0.firstMatch(of: /RANGE\[([0-9-]+),MAX\]/).map { String($0.output.1) } }
        let selected = records.filter { since == nil || $0.lastUpdate >= since! }
        let page = offset / size
        let fault = lock.withLock { () -> Fault? in
            guard var queue = faults[page], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            faults[page] = queue
            return first
        }
        let slice = selected.dropFirst(offset).prefix(size)
        var body = Data("{\"studies\":[".utf8)
        for (index, record) in slice.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(record.raw)
        }
        body.append(Data("]".utf8))
        if offset + size < selected.count { body.append(Data(",\"nextPageToken\":\"o\(offset + size)\"".utf8)) }
        if query["countTotal"] == "true" { body.append(Data(",\"totalCount\":\(selected.count)".utf8)) }
        body.append(Data("}".utf8))

        switch fault {
        case .none:
            log(query, page: page, status: "200")
        case .malformedPage:
            log(query, page: page, status: "malformed")
            body = body.prefix(body.count / 2)
        case .rateLimited(let seconds):
            log(query, page: page, status: "429")
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: "Retry-After", value: String(seconds))
            return Response(status: .tooManyRequests, headers: headers, body: .init(string: "{\"message\":\"too many requests\"}"))
        case .slow(let seconds):
            log(query, page: page, status: "slow")
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
        case .held:
            log(query, page: page, status: "held")
            while !lock.withLock({ released }) { try await Task.sleep(nanoseconds: 20_000_000) }
        case .droppedConnection:
            log(query, page: page, status: "dropped")
            // Promise the whole page, send a little of it, then fail the stream: the server
            // closes the connection mid-body, as a dropped connection looks to the client.
            let partial = body.prefix(64)
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(stream: { writer in
                writer.write(.buffer(ByteBuffer(data: partial))).whenComplete { _ in
                    writer.write(.error(Abort(.internalServerError, reason: "connection dropped on purpose")), promise: nil)
                }
            }, count: body.count))
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }
}
