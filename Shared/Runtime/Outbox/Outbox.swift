import Foundation
import LayarDomain
import LayarPostgres
import LayarSchema
import ServiceContextModule

/// The write side of the transactional outbox: events are inserted in the same transaction as
/// the state change they announce, and the ``OutboxRelay`` publishes them after the commit. An
/// event is therefore published if and only if its state change was committed.
///
/// Payloads are sealed at rest (events carry NIKs and phone numbers to the services that need
/// them); the relay opens them just before they are sent.
public struct Outbox: Sendable {
    let cipher: PersonalDataCipher
    /// Stamps events appended without an explicit instant.
    public let clock: LayarClock

    public init(cipher: PersonalDataCipher, clock: LayarClock) {
        self.cipher = cipher
        self.clock = clock
    }

    /// The field name sealed payloads are bound to.
    public static let payloadField = SealedField("outbox.payload")

    /// Adds `event` to the outbox inside the caller's transaction. Returns the event id (`ce_id`).
    @discardableResult
    public func append<E: LayarEvent>(
        _ event: E, on connection: PostgresConnection, id: UUID = UUID(), at time: Date? = nil
    ) async throws -> UUID {
        try await append(
            payload: try event.serializedBytes(), type: E.eventType, topic: E.topic.rawValue, key: event.referralID,
            on: connection, id: id, at: time ?? clock.now
        )
    }

    /// Adds a message for a partner agency to the outbox, bound for the agency's own topic.
    @discardableResult
    public func append<M: PartnerMessage>(
        _ message: M, topic: String, on connection: PostgresConnection, id: UUID = UUID(), at time: Date? = nil
    ) async throws -> UUID {
        try await append(
            payload: try message.serializedBytes(), type: M.eventType, topic: topic, key: message.offerID,
            on: connection, id: id, at: time ?? clock.now
        )
    }

    private func append(
        payload: [UInt8], type: String, topic: String, key: String, on connection: PostgresConnection, id: UUID,
        at time: Date
    ) async throws -> UUID {
        // The trace of the work that wrote the event travels with it (W3C `traceparent` header).
        let traceParent = TracingContext.current?.traceContext?.traceParentHeaderValue ?? ""
        try await connection.query(
            """
            INSERT INTO outbox (event_id, topic, record_key, event_type, payload, occurred_at, traceparent)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            [id, topic, key, type, cipher.seal(payload, Self.payloadField), time, traceParent]
        )
        return id
    }
}
