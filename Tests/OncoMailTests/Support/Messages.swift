import Foundation
@testable import OncoMail

/// Messages the tests send; each names what it exercises.
enum Messages {
    static let sender = "noreply@onconav.test"

    static func make(
        to recipients: [String] = ["patient@example.org"],
        subject: String = "Your visit summary",
        text: String = "Hello,\nyour summary is ready.\n",
        html: String? = nil
    ) throws -> MailMessage {
        try MailMessage(
            from: MailAddress(sender, displayName: "OncoNav"),
            to: recipients.map { try MailAddress($0) },
            subject: subject, textBody: text, htmlBody: html)
    }
}
