import NIOCore
import NIOPosix
import Vapor

/// Bounds the work a burst of sign-ins can cause. bcrypt is slow by design; a hundred
/// sign-ins at once would otherwise occupy every thread and database connection and turn
/// the whole site's answers into time-outs. Password checks run on a thread pool of their
/// own (so file reads and page rendering never wait behind them), at most `limit` at a time;
/// up to `maximumWaiting` more wait their turn, and anyone beyond that is told at once to try
/// again in a few seconds (503 with Retry-After) instead of waiting for a time-out.
final class PasswordWork: Sendable {
    static let retryAfterSeconds = 5

    let pool: NIOThreadPool
    private let gate: ConcurrencyGate

    init(threads: Int = max(1, System.coreCount), maximumWaiting: Int = 24) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        gate = ConcurrencyGate(limit: threads, maximumWaiting: maximumWaiting)
    }

    /// Runs `body` (which does the password work of one request) when a slot is free.
    /// Throws `busy` when too many are already waiting.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard await gate.enter() else { throw Busy() }
        do {
            let result = try await body()
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }

    func hasher(for request: Request) -> AsyncPasswordHasher {
        request.application.password.sync.async(on: pool, hopTo: request.eventLoop)
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    /// Too many password checks are waiting already.
    struct Busy: AbortError {
        var status: HTTPResponseStatus { .serviceUnavailable }
        var reason: String { "Many people are signing in at this moment. Please try again in a few seconds." }
        var headers: HTTPHeaders { ["Retry-After": "\(PasswordWork.retryAfterSeconds)"] }
    }
}

/// A counting semaphore with a bounded queue.
actor ConcurrencyGate {
    private let limit: Int
    private let maximumWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int, maximumWaiting: Int) {
        self.limit = limit
        self.maximumWaiting = maximumWaiting
    }

    /// Takes a slot, waiting if needed; false (without waiting) when the queue is full.
    func enter() async -> Bool {
        if running < limit {
            running += 1
            return true
        }
        guard waiters.count < maximumWaiting else { return false }
        await withCheckedContinuation { waiters.append($0) }
        return true
    }

    func leave() {
        if waiters.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the next in line.
            waiters.removeFirst().resume()
        }
    }
}

extension Application {
    private struct PasswordWorkKey: StorageKey { typealias Value = PasswordWork }

    var passwordWork: PasswordWork {
        get {
            guard let work = storage[PasswordWorkKey.self] else { fatalError("configure(_:config:) has not run") }
            return work
        }
        set { storage[PasswordWorkKey.self] = newValue }
    }
}

extension Request {
    /// bcrypt for this request, on the password pool.
    var passwordHasher: AsyncPasswordHasher { application.passwordWork.hasher(for: self) }
}

struct PasswordWorkLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.passwordWork.shutdown()
    }
}

extension Request {
    /// bcrypt hash of `password`, within the password-work bounds.
    func hashPassword(_ password: String) async throws -> String {
        let hasher = passwordHasher
        return try await application.passwordWork.run { try await hasher.hash(password) }
    }

    /// Whether `password` matches `hash`, within the password-work bounds.
    func verifyPassword(_ password: String, created hash: String) async throws -> Bool {
        let hasher = passwordHasher
        return try await application.passwordWork.run { try await hasher.verify(password, created: hash) }
    }
}
