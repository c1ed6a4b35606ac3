import Foundation
import Testing
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Starts the app on a free loopback port for the duration of `body`.
func withRunningServer(_ app: Application, _ body: (Int) async throws -> Void) async throws {
    app.http.server.configuration.hostname = "127.0.0.1"
    app.http.server.configuration.port = 0
    try await app.asyncBoot()
    try app.server.start()
    let port = try #require(app.http.server.shared.localAddress?.port)
    do {
        try await body(port)
    } catch {
        await app.server.shutdown()
        throw error
    }
    await app.server.shutdown()
}

/// A bare HTTP/1.1 connection on a TCP socket, for requests an ordinary client would not
/// send the way an attacker does: a head announcing a huge body, then nothing, or a body
/// pushed regardless of the answer.
///
/// The socket calls block, so they run on a Dispatch thread (`blocking`), never on the
/// Swift concurrency pool: that pool (two threads here) also runs the server's handlers,
/// and a test blocking it would starve the very server it is waiting for.
final class RawHTTPConnection: @unchecked Sendable {
    private let fd: Int32

    struct ConnectFailed: Error {}

    init(port: Int, timeoutSeconds: Int) throws {
        signal(SIGPIPE, SIG_IGN)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ConnectFailed() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw ConnectFailed()
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    /// Runs a blocking socket call off the concurrency pool.
    private func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Sends all of `data`; false when the server closed the connection (or stopped reading).
    @discardableResult
    func send(_ data: Data) async -> Bool {
        await blocking { self.sendNow(data) }
    }

    /// The response's status line and headers, or nil when none came within the timeout.
    func readHead() async -> String? {
        await blocking { self.readHeadNow() }
    }

    private func sendNow(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// Whether the server has answered already (bytes are waiting to be read).
    var hasAnswer: Bool {
        var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&poll, 1, 0) > 0 && poll.revents & Int16(POLLIN) != 0
    }

    private func readHeadNow() -> String? {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while received.count < 1 << 20 {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            if let end = received.range(of: Data("\r\n\r\n".utf8)) {
                return String(decoding: received[..<end.lowerBound], as: UTF8.self)
            }
        }
        return received.isEmpty ? nil : String(decoding: received, as: UTF8.self)
    }
}
