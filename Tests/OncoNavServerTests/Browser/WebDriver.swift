import AsyncHTTPClient
import NIOPosix
import Foundation
import NIOCore
import NIOHTTP1

/// External tools the browser tests need. On a laptop without them the tests are skipped;
/// CI sets `ONCONAV_REQUIRE_TOOLS=1`, which turns a missing tool into a failure.
enum BrowserTools {
    static let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { chromedriver != nil && chromium != nil }
    static var required: Bool { ProcessInfo.processInfo.environment["ONCONAV_REQUIRE_TOOLS"] == "1" }
}

struct WebDriverError: Error, CustomStringConvertible {
    let description: String
}

/// A minimal W3C WebDriver client for chromedriver: enough to drive forms and read pages.
final class WebDriver: @unchecked Sendable {
    private let process: Process
    private let base: URL
    private var sessionID = ""

    /// Starts chromedriver and a headless Chromium at phone width.
    static func start(width: Int = 390, height: Int = 844) async throws -> WebDriver {
        guard let driverPath = BrowserTools.chromedriver, let chromium = BrowserTools.chromium else {
            throw WebDriverError(description: "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)")
        }
        let port = Int.random(in: 20_000..<40_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: driverPath)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let driver = WebDriver(process: process, base: URL(string: "http://127.0.0.1:\(port)")!)
        // Wait for chromedriver to listen.
        var ready = false
        for _ in 0..<100 {
            if (try? await driver.call("GET", "/status")) != nil { ready = true; break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        guard ready else { driver.stop(); throw WebDriverError(description: "chromedriver did not start") }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)"]],
            "goog:loggingPrefs": ["browser": "ALL"],
        ]]]
        let response = try await driver.call("POST", "/session", capabilities)
        guard let value = response["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            driver.stop()
            throw WebDriverError(description: "chromedriver refused the session: \(response)")
        }
        driver.sessionID = id
        return driver
    }

    private init(process: Process, base: URL) {
        self.process = process
        self.base = base
    }

    /// Ends the browser session, then chromedriver.
    func quit() async {
        if !sessionID.isEmpty { _ = try? await call("DELETE", "/session/\(sessionID)") }
        stop()
    }

    func stop() {
        // SIGKILL, not terminate(): chromedriver may ignore SIGTERM while a browser is open,
        // and Foundation's waitUntilExit spins on Linux, so neither is safe to wait on.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// chromedriver can answer slowly while the rest of the suite runs in parallel on two
    /// cores: a client of its own, on its own event loop, with generous timeouts (a slow
    /// answer is not a failure; a wrong page is).
    static let client = HTTPClient(
        eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: 1)),
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(60), read: .seconds(300))))

    @discardableResult
    private func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        // AsyncHTTPClient rather than URLSession: this Foundation's URLSession fails against
        // chromedriver on Linux ("Failed writing header").
        var request = HTTPClientRequest(url: base.absoluteString + path)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        if ProcessInfo.processInfo.environment["WD_DEBUG"] != nil { FileHandle.standardError.write(Data("WD \(method) \(path)\n".utf8)) }
        let response = try await Self.client.execute(request, timeout: .seconds(300))
        let data = Data(buffer: try await response.body.collect(upTo: 64 * 1024 * 1024))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw WebDriverError(description: "unreadable WebDriver answer to \(method) \(path)")
        }
        if let value = json["value"] as? [String: Any], let error = value["error"] as? String {
            throw WebDriverError(description: "\(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return json
    }

    @discardableResult
    private func session(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        try await call(method, "/session/\(sessionID)\(path)", body)["value"]
    }

    func open(_ url: String) async throws { try await session("POST", "/url", ["url": url]) }

    var currentURL: String { get async throws { try await session("GET", "/url") as? String ?? "" } }
    var title: String { get async throws { try await session("GET", "/title") as? String ?? "" } }
    var pageSource: String { get async throws { try await session("GET", "/source") as? String ?? "" } }

    func element(_ css: String) async throws -> String {
        let value = try await session("POST", "/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = value?.values.first as? String else { throw WebDriverError(description: "no element matches \(css)") }
        return id
    }

    func type(_ text: String, into css: String) async throws {
        let id = try await element(css)
        try await session("POST", "/element/\(id)/clear", [:])
        try await session("POST", "/element/\(id)/value", ["text": text])
    }

    /// Chooses local files in an `<input type=file>` (several, for a `multiple` input).
    func chooseFiles(_ paths: [String], in css: String) async throws {
        let id = try await element(css)
        try await session("POST", "/element/\(id)/value", ["text": paths.joined(separator: "\n")])
    }

    /// Waits until the page source contains `text` (pages that update themselves).
    func waitForText(_ text: String, timeout: TimeInterval = 120) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await pageSource.contains(text)) == true { return }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw WebDriverError(description: "timed out waiting for \"\(text)\" at \(try await currentURL)")
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        try await session("POST", "/element/\(id)/click", [:])
    }

    func text(of css: String) async throws -> String {
        let id = try await element(css)
        return try await session("GET", "/element/\(id)/text") as? String ?? ""
    }

    /// Waits until the page at `fragment` has loaded (a click on a submit button returns
    /// before the navigation it starts has finished).
    func waitForURL(containing fragment: String, timeout: TimeInterval = 120) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await currentURL.contains(fragment), (try? await session("POST", "/execute/sync", ["script": "return document.readyState", "args": []]) as? String) == "complete" { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw WebDriverError(description: "timed out waiting for a page whose URL contains \(fragment); at \(try await currentURL)")
    }

    /// Waits until an element matching `css` exists.
    func waitForElement(_ css: String, timeout: TimeInterval = 120) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await element(css)) != nil { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw WebDriverError(description: "timed out waiting for \(css)")
    }

    /// Browser console entries (chromedriver's logging extension).
    func consoleEntries() async throws -> [(level: String, message: String)] {
        let value = try await session("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
        return value.map { (level: $0["level"] as? String ?? "", message: $0["message"] as? String ?? "") }
    }

    /// Runs `script` in the page and returns its result.
    func execute(_ script: String) async throws -> Any? {
        try await session("POST", "/execute/sync", ["script": script, "args": []])
    }

    /// Whether the page is wider than the viewport (it would scroll sideways).
    var overflowsHorizontally: Bool {
        get async throws {
            try await execute("return document.documentElement.scrollWidth > window.innerWidth + 1") as? Bool ?? false
        }
    }

    /// A PNG screenshot of the viewport.
    func screenshot() async throws -> Data {
        let base64 = try await session("GET", "/screenshot") as? String ?? ""
        return Data(base64Encoded: base64) ?? Data()
    }
}
