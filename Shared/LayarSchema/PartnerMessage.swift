import SwiftProtobuf

/// A message LAYAR sends to one partner agency on the agency's own topic
/// (``LayarTopic/partnerOffers(prefix:)``). Keyed by the offer, not the referral: agencies never
/// learn LAYAR's referral ids.
public protocol PartnerMessage: SwiftProtobuf.Message, Sendable {
    /// The CloudEvents `ce_type`, versioned.
    static var eventType: String { get }
    /// The offer the message is about: the Kafka key and the CloudEvents subject.
    var offerID: String { get }
}

/// Every partner message type, for decoding by `ce_type`.
public enum PartnerMessages {
    public static let all: [any PartnerMessage.Type] = [
        Layar_Partner_V1_ReferralOffer.self, Layar_Partner_V1_ReferralOfferWithdrawn.self,
    ]

    public static func type(named eventType: String) -> (any PartnerMessage.Type)? {
        all.first { $0.eventType == eventType }
    }
}

extension Layar_Partner_V1_ReferralOffer: PartnerMessage {
    public static let eventType = "layar.partner.offer.v1"
}

extension Layar_Partner_V1_ReferralOfferWithdrawn: PartnerMessage {
    public static let eventType = "layar.partner.offer-withdrawn.v1"
}
