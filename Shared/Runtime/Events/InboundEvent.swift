import Foundation
import LayarDomain
import LayarKafka
import LayarSchema

/// An event read from Kafka, with its CloudEvents attributes parsed from the headers.
public struct InboundEvent: Sendable {
    public var id: String
    public var type: String
    public var source: String
    public var subject: String
    public var message: KafkaConsumerMessage

    /// Parses the CloudEvents headers; throws ``EventRejection`` when a required one is missing.
    public init(_ message: KafkaConsumerMessage) throws {
        func header(_ name: String) throws -> String {
            guard let value = message.headers.text(name), !value.isEmpty else {
                throw EventRejection("missing CloudEvents header \(name)")
            }
            return value
        }
        guard try header("ce_specversion") == "1.0" else { throw EventRejection("unsupported ce_specversion") }
        self.id = try header("ce_id")
        self.type = try header("ce_type")
        self.source = try header("ce_source")
        // An event on a LAYAR topic comes from a service that writes that topic, or it is not
        // obeyed (a forged DataSubjectRequested would erase a person's data). The brokers' ACLs
        // are what authenticate a producer (each service its own principal, only the writers may
        // write); this check also catches an event sent to the wrong topic.
        if let sources = Self.writerSources[message.topic], !sources.contains(source) {
            throw EventRejection("\(message.topic) takes events from \(sources.joined(separator: ", ")) only, not from \(source)")
        }
        self.subject = message.headers.text("ce_subject") ?? ""
        self.message = message
    }

    /// The event sources each LAYAR topic takes, looked up once per event (not rebuilt for each).
    private static let writerSources: [String: [String]] = Dictionary(
        uniqueKeysWithValues: LayarTopic.allCases.map { ($0.rawValue, $0.writers.map(\.eventSource)) }
    )

    /// Decodes the payload as `E`; a wrong type, bad bytes or a referral id that is not a UUID
    /// are a permanent ``EventRejection``.
    public func decode<E: LayarEvent>(_ type: E.Type) throws -> E {
        guard self.type == E.eventType else {
            throw EventRejection("event type \(self.type) is not \(E.eventType)")
        }
        let event: E
        do {
            event = try E(serializedBytes: message.value)
        } catch {
            throw EventRejection("undecodable \(E.eventType) payload: \(error)")
        }
        guard ReferralID(event.referralID) != nil else {
            throw EventRejection("\(E.eventType) with referral_id '\(event.referralID)', not a UUID")
        }
        return event
    }
}

/// An event that can never be applied as it is (bad headers, wrong type, undecodable or invalid
/// payload). The consumer dead-letters it at once instead of retrying.
public struct EventRejection: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
