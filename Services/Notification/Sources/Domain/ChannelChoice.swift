import LayarSchema

/// Which channel reaches the applicant: the preferred one when there is an address for it, then
/// SMS, WhatsApp, e-mail. "Do not contact", or no consent to NOTIFICATION, suppresses everything
/// except notices the law requires (a decision against the applicant, and the confirmation of a
/// withdrawal); no consent to SURVEY suppresses the survey invitation.
public enum ChannelChoice {
    public struct Contact: Sendable, Equatable {
        public var phone: String
        public var email: String
        public var preferred: Layar_V1_ContactChannel
        /// Consent to the NOTIFICATION and SURVEY purposes.
        public var notificationConsent: Bool
        public var surveyConsent: Bool

        public init(
            phone: String, email: String, preferred: Layar_V1_ContactChannel, notificationConsent: Bool = true, surveyConsent: Bool = true
        ) {
            self.phone = phone
            self.email = email
            self.preferred = preferred
            self.notificationConsent = notificationConsent
            self.surveyConsent = surveyConsent
        }
    }

    /// The channels to try, in order (empty: suppressed).
    public static func candidates(for contact: Contact, requiredNotice: Bool, surveyInvitation: Bool = false) -> [Layar_V1_DeliveryChannel] {
        if surveyInvitation && !contact.surveyConsent { return [] }
        if (contact.preferred == .none || !contact.notificationConsent) && !requiredNotice { return [] }
        var order: [Layar_V1_DeliveryChannel] = [.sms, .whatsapp, .email]
        switch contact.preferred {
        case .whatsapp: order = [.whatsapp, .sms, .email]
        case .email: order = [.email, .sms, .whatsapp]
        default: break
        }
        return order.filter { address(for: $0, in: contact) != nil }
    }

    public static func address(for channel: Layar_V1_DeliveryChannel, in contact: Contact) -> String? {
        switch channel {
        case .sms, .whatsapp: contact.phone.isEmpty ? nil : contact.phone
        case .email: contact.email.isEmpty ? nil : contact.email
        default: nil
        }
    }

    /// Masks an address for logs and staff views: `+62812****7890`, `s***@example.id`.
    public static func masked(_ address: String) -> String {
        if let at = address.firstIndex(of: "@") {
            return String(address.prefix(1)) + "***" + address[at...]
        }
        guard address.count > 8 else { return String(repeating: "*", count: address.count) }
        return String(address.prefix(6)) + "****" + String(address.suffix(4))
    }
}
