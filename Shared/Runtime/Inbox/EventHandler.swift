import LayarPostgres

/// Applies events to a service's own tables. Called inside the inbox transaction: everything it
/// writes (state and outbox rows) commits together with the record that the event was processed.
/// Throw ``EventRejection`` for an event that can never be applied; other errors are retried.
public protocol EventHandler: Sendable {
    /// The `ce_type`s this handler applies; other events on its topics are acknowledged and skipped.
    var eventTypes: Set<String> { get }
    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws
}
