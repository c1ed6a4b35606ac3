import Fluent
import Foundation
import NIOConcurrencyHelpers
import OncoMail
import Vapor

/// Delivers queued outbox mail through SMTP when `ONCONAV_SMTP_URL` is set: every few
/// seconds, oldest first, with retries and backoff for temporary failures (4xx, timeouts,
/// lost connections) and a clear reason kept for permanent ones. Without SMTP the outbox
/// is only read by admins on the outbox page.
final class OutboxDelivery: Sendable {
    static let maxAttempts = 6
    static let backoff: [TimeInterval] = [30, 120, 600, 1800, 3600]

    private let app: Application
    private let sender: any MailSender
    private let from: MailAddress
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(app: Application, sender: any MailSender, from: MailAddress) {
        self.app = app
        self.sender = sender
        self.from = from
    }

    func start() {
        let task = Task { [self] in
            while !Task.isCancelled {
                _ = await deliverDue()
                try? await Task.sleep(for: .seconds(5))
            }
        }
        let replaced = loop.withLockedValue { current in defer { current = task }; return current }
        replaced?.cancel()
    }

    func stop() async {
        let task = loop.withLockedValue { task in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
    }

    /// Sends every due message; returns how many were sent.
    @discardableResult
    func deliverDue() async -> Int {
        let now = app.clock.now()
        guard let due = try? await OutboxMessage.query(on: app.db)
            .filter(\.$status == "queued")
            .group(.or, { $0.filter(\.$nextAttemptAt == nil).filter(\.$nextAttemptAt <= now) })
            .sort(\.$createdAt)
            .limit(50)
            .all() else { return 0 }
        var sent = 0
        for message in due {
            let attempts = (message.attempts ?? 0) + 1
            message.attempts = attempts
            do {
                let mail = try MailMessage(from: from, to: [try MailAddress(message.recipient)], subject: message.subject, textBody: message.deliverableBody(store: app.documentStore), date: now)
                try await sender.send(mail)
                message.status = "sent"
                message.sentAt = now
                // Delivered: the link is in the recipient's mailbox and nowhere else.
                message.sealedLink = nil
                message.lastError = nil
                sent += 1
            } catch {
                let transient = (error as? SMTPError)?.isTransient ?? false
                message.lastError = String(String(describing: error).prefix(500))
                if transient, attempts < Self.maxAttempts {
                    message.nextAttemptAt = now.addingTimeInterval(Self.backoff[min(attempts - 1, Self.backoff.count - 1)])
                } else {
                    message.status = "failed"
                }
                app.logger.warning("mail not delivered", metadata: ["transient": .stringConvertible(transient), "attempt": .stringConvertible(attempts)])
            }
            try? await message.save(on: app.db)
        }
        return sent
    }
}

extension Application {
    private struct OutboxDeliveryKey: StorageKey { typealias Value = OutboxDelivery }

    /// Set when `ONCONAV_SMTP_URL` is configured.
    var outboxDelivery: OutboxDelivery? {
        get { storage[OutboxDeliveryKey.self] }
        set { storage[OutboxDeliveryKey.self] = newValue }
    }
}

struct OutboxDeliveryLifecycle: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws { application.outboxDelivery?.start() }
    func shutdownAsync(_ application: Application) async { await application.outboxDelivery?.stop() }
}

extension OutboxMessage {
    /// A message whose body carries a one-time link: the body stores `linkPlaceholder`,
    /// the link itself is sealed (see `sealedLink`).
    static func withOneTimeLink(recipient: String, subject: String, body: String, link: String, store: DocumentStore) throws -> OutboxMessage {
        let message = OutboxMessage(recipient: recipient, subject: subject, body: body)
        let id = UUID()
        message.id = id
        message.sealedLink = try store.sealSecret(link, context: "outbox \(id.uuidString)")
        return message
    }

    /// The body as the recipient's email carries it: with the one-time link opened. Only
    /// delivery calls this.
    func deliverableBody(store: DocumentStore) -> String {
        guard let sealedLink, let id else { return body }
        guard let link = store.openSecret(sealedLink, context: "outbox \(id.uuidString)") else { return body }
        return body.replacingOccurrences(of: Self.linkPlaceholder, with: link)
    }
}
