import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of an external tool with its limits. Hostile documents are the reason for the
/// limits: a crafted PDF can make a renderer spin or allocate without bound.
public struct ToolInvocation: Sendable, Hashable {
    /// The tool's name ("pdftotext"); the runner resolves it on `PATH`.
    public var tool: String
    public var arguments: [String]
    /// Wall-clock limit; the process is killed (SIGKILL) when it is reached.
    public var timeout: Duration
    /// Address-space limit in bytes (applied with `ulimit -v` in `/bin/sh`), or nil for none.
    public var memoryLimitBytes: Int?
    /// Stdout beyond this many bytes is cut off and reported as truncated.
    public var maximumOutputBytes: Int
    /// Largest file the tool may write (`ulimit -f`), stdout included: a zip bomb or a
    /// runaway renderer fills no disk. Must exceed `maximumOutputBytes`.
    public var maximumFileBytes: Int
    public var environment: [String: String]

    public init(tool: String, arguments: [String], timeout: Duration = .seconds(60),
                memoryLimitBytes: Int? = 1 << 30, maximumOutputBytes: Int = 32 << 20,
                maximumFileBytes: Int = 512 << 20, environment: [String: String] = [:]) {
        self.tool = tool
        self.arguments = arguments
        self.timeout = timeout
        self.memoryLimitBytes = memoryLimitBytes
        self.maximumOutputBytes = maximumOutputBytes
        self.maximumFileBytes = max(maximumFileBytes, maximumOutputBytes + (1 << 20))
        self.environment = environment
    }
}

public struct ProcessOutput: Sendable, Hashable {
    public var exitCode: Int32
    public var stdout: Data
    public var stderr: Data
    /// Stdout was longer than the invocation allowed and was cut.
    public var stdoutTruncated: Bool

    public init(exitCode: Int32, stdout: Data, stderr: Data, stdoutTruncated: Bool = false) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
    }
}

/// Runs external tools. The live value is `LiveProcessRunner`; the protocol exists so the
/// server can wrap it (metrics, a sandbox, a remote worker) — tests use the real tools.
public protocol ProcessRunner: Sendable {
    /// Whether `tool` can be found.
    func isAvailable(_ tool: String) -> Bool
    /// Runs the invocation. Throws `TextExtractionError.toolUnavailable` when the tool is
    /// missing and `.timedOut` when the time limit was hit; a non-zero exit is returned, not thrown.
    func run(_ invocation: ToolInvocation) async throws -> ProcessOutput
}

/// Runs tools with Foundation's `Process` through `/bin/sh -c 'ulimit -v …; exec "$@"'`,
/// so the memory limit applies to the tool itself (exec keeps the pid, so the kill on
/// timeout hits the tool). Output goes to private temporary files, not pipes, so a tool
/// writing megabytes cannot dead-lock against us.
public struct LiveProcessRunner: ProcessRunner {
    /// Directories searched in addition to `PATH` (Homebrew on macOS, /usr/local).
    public var extraSearchPaths: [String]
    /// Whether the process's `PATH` is searched too (off only to simulate a bare machine).
    public var searchesPATH: Bool

    public init(extraSearchPaths: [String] = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"],
                searchesPATH: Bool = true) {
        self.extraSearchPaths = extraSearchPaths
        self.searchesPATH = searchesPATH
    }

    public func isAvailable(_ tool: String) -> Bool { locate(tool) != nil }

    func locate(_ tool: String) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let path = searchesPATH ? (ProcessInfo.processInfo.environment["PATH"] ?? "") : ""
        let directories = path.split(separator: ":").map(String.init) + extraSearchPaths
        for directory in directories {
            let candidate = (directory as NSString).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func run(_ invocation: ToolInvocation) async throws -> ProcessOutput {
        guard let executable = locate(invocation.tool) else {
            throw TextExtractionError.toolUnavailable(tool: invocation.tool)
        }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let stdoutURL = try scratch.createFile(named: "stdout", contents: Data())
        let stderrURL = try scratch.createFile(named: "stderr", contents: Data())
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // ulimit -f counts 512-byte blocks in POSIX sh; -v counts KiB. macOS accepts but does
        // not enforce an address-space limit (setrlimit RLIMIT_AS fails), so there only the
        // time and file-size limits apply.
        var script = "ulimit -f \(invocation.maximumFileBytes / 512) || exit 125; exec \"$@\""
        #if os(Linux)
        if let bytes = invocation.memoryLimitBytes {
            script = "ulimit -v \(max(bytes / 1024, 1)) || exit 125; " + script
        }
        #endif
        process.arguments = ["-c", script, "onconav-tool", executable] + invocation.arguments
        process.environment = Self.toolEnvironment(scratch: scratch.url, extra: invocation.environment)
        process.currentDirectoryURL = scratch.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle

        let box = ProcessBox(process)
        let timedOut = TimeoutFlag()
        let timeout = invocation.timeout
        // The watchdog is a Dispatch timer, not a task: on a busy server the cooperative
        // thread pool can be saturated, and a kill must not wait for a free thread.
        let watchdog = DispatchWorkItem {
            if box.isRunning {
                timedOut.set()
                box.kill()
            }
        }
        let (seconds, attoseconds) = timeout.components
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)), execute: watchdog)
        defer { watchdog.cancel() }
        // A cancelled job (server shutdown, user deleted the upload) kills the tool at once.
        let exitCode: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { finished in
                    continuation.resume(returning: finished.terminationStatus)
                }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: TextExtractionError.toolFailed(
                        tool: invocation.tool, exitCode: -1, message: "could not start: \(error.localizedDescription)"))
                    return
                }
            }
        } onCancel: {
            box.kill()
        }
        try Task.checkCancellation()
        if timedOut.isSet {
            throw TextExtractionError.timedOut(tool: invocation.tool, seconds: Int(invocation.timeout.components.seconds))
        }
        let stdout = try readPrefix(of: stdoutURL, limit: invocation.maximumOutputBytes + 1)
        let stderr = try readPrefix(of: stderrURL, limit: 64 * 1024)
        return ProcessOutput(
            exitCode: exitCode,
            stdout: stdout.prefix(invocation.maximumOutputBytes),
            stderr: stderr,
            stdoutTruncated: stdout.count > invocation.maximumOutputBytes
        )
    }

    /// The tools get a minimal environment, not the server's: a hostile file that exploits
    /// a renderer bug must not find database URLs or encryption keys in its environment.
    /// Only PATH, a UTF-8 locale, a private HOME/TMPDIR and tesseract's data path pass.
    static func toolEnvironment(scratch: URL, extra: [String: String]) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment: [String: String] = [
            "PATH": inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8",
            "HOME": scratch.path,
            "TMPDIR": scratch.path,
        ]
        if let tessdata = inherited["TESSDATA_PREFIX"] { environment["TESSDATA_PREFIX"] = tessdata }
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    private func readPrefix(of url: URL, limit: Int) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return try handle.read(upToCount: limit) ?? Data()
    }
}

/// `Process` is not `Sendable`; the timeout task only reads `isRunning` and sends a signal,
/// both safe from another thread.
private final class ProcessBox: @unchecked Sendable {
    private let process: Process
    init(_ process: Process) { self.process = process }
    var isRunning: Bool { process.isRunning }
    func kill() {
        let pid = process.processIdentifier
        if pid > 0 { _ = SignalSender.send(SIGKILL, to: pid) }
    }
}

private enum SignalSender {
    static func send(_ signal: Int32, to pid: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.kill(pid, signal)
        #else
        Darwin.kill(pid, signal)
        #endif
    }
}

private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
