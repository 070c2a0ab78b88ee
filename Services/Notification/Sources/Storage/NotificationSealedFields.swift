import LayarPostgres
import LayarRuntime
import LayarSchema

/// Notification's personal fields at rest: the applicant's phone and e-mail, and the address a
/// message goes to (staff inbox names stay readable: the inbox is found by them).
extension SealedField {
    static let applicantPhone = SealedField("notification.applicant.phone")
    static let applicantEmail = SealedField("notification.applicant.email")
    static let messageRecipient = SealedField("notification.message.recipient")
}

extension NotificationStore {
    /// The `recipient` and `recipient_sealed` values of a message on `channel`.
    func recipientColumns(_ recipient: String, channel: Layar_V1_DeliveryChannel?) -> (plain: String, sealed: [UInt8]?) {
        channel == .inbox ? (recipient, nil) : ("", cipher.seal(recipient, .messageRecipient))
    }

    /// The recipient of a `messages` row with `recipient` and `recipient_sealed`.
    func recipient(of row: PostgresRow) throws -> String {
        if let sealed = try row.decode([UInt8]?.self, "recipient_sealed") {
            return try cipher.openString(sealed, .messageRecipient)
        }
        return try row.decode(String.self, "recipient")
    }
}
