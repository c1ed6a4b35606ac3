import Foundation

/// Renders import progress: a bar with rate and ETA on a terminal, plain periodic lines
/// when output is a log or a pipe.
///
/// Rendering is pure (`render(records:bytes:elapsed:)` returns a string); `update` adds
/// throttling and writes to the given `FileHandle` (usually standard error).
public struct ImportProgress {
    public var totalBytes: Int64?
    public var isTerminal: Bool
    public var output: FileHandle?
    /// Minimum seconds between two writes (a terminal redraws often, logs rarely).
    public var interval: TimeInterval
    public var barWidth = 30

    private var start: Date
    private var lastWrite: Date?

    /// - Parameters:
    ///   - totalBytes: the input size when known (file), for percentage and ETA.
    ///   - isTerminal: pass `isatty(fileno(stderr)) != 0` for the live handle.
    public init(totalBytes: Int64?, isTerminal: Bool, output: FileHandle? = nil, interval: TimeInterval? = nil, start: Date = Date()) {
        self.totalBytes = totalBytes
        self.isTerminal = isTerminal
        self.output = output
        self.interval = interval ?? (isTerminal ? 0.2 : 10)
        self.start = start
    }

    /// One progress line for `records` studies and `bytes` of input after `elapsed` seconds.
    public func render(records: Int, bytes: Int64, elapsed: TimeInterval) -> String {
        let rate = elapsed > 0 ? Double(records) / elapsed : 0
        let rateText = "\(Self.format(rate)) studies/s"
        var fraction: Double?
        if let totalBytes, totalBytes > 0 { fraction = min(1, Double(bytes) / Double(totalBytes)) }
        var eta = ""
        if let fraction, fraction > 0, elapsed > 0 {
            eta = "ETA " + Self.duration(elapsed * (1 - fraction) / fraction)
        }
        if isTerminal {
            let f = fraction ?? 0
            let filled = fraction == nil ? 0 : Int((f * Double(barWidth)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
            let percent = fraction.map { String(format: "%3.0f%%", $0 * 100) } ?? "  ?%"
            return "\r[\(bar)] \(percent) \(records) studies · \(rateText)\(eta.isEmpty ? "" : " · " + eta)\u{1B}[K"
        }
        let percent = fraction.map { String(format: " (%.1f%%)", $0 * 100) } ?? ""
        return "imported \(records) studies, \(Self.bytes(bytes))\(percent), \(rateText)\(eta.isEmpty ? "" : ", " + eta)\n"
    }

    /// Writes a progress line if `interval` has passed since the last one.
    public mutating func update(records: Int, bytes: Int64, now: Date = Date()) {
        if let lastWrite, now.timeIntervalSince(lastWrite) < interval { return }
        lastWrite = now
        write(render(records: records, bytes: bytes, elapsed: now.timeIntervalSince(start)))
    }

    /// Writes the final line (and ends the terminal's bar line).
    public mutating func finish(records: Int, bytes: Int64, now: Date = Date()) {
        write(render(records: records, bytes: bytes, elapsed: now.timeIntervalSince(start)) + (isTerminal ? "\n" : ""))
    }

    private func write(_ text: String) {
        output?.write(Data(text.utf8))
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    static func bytes(_ count: Int64) -> String {
        let mb = Double(count) / 1_048_576
        return mb >= 1 ? String(format: "%.1f MB", mb) : "\(count / 1024) KB"
    }
}
