import LayarPostgres

/// Applies events to a service's own tables. Called inside the inbox transaction: everything it
/// writes (state and outbox rows) commits together with the record that the event was processed.
/// Throw ``EventRejection`` for an event that can never be applied; other errors are retried.
/// A service's handlers are ``EventRouter``s: one typed function per event type.
public protocol EventHandler: Sendable {
    /// The `ce_type`s this handler applies; other events on its topics are acknowledged and skipped.
    var eventTypes: Set<String> { get }
    /// The `ce_type`s on its topics it skips on purpose. Every type on a consumer's topics is
    /// applied or ignored explicitly (the `Event routing` test holds the services to it), so a new
    /// event type nobody thought about fails a test instead of vanishing.
    var ignoredEventTypes: Set<String> { get }
    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws
}

extension EventHandler {
    /// Test handlers declare nothing; a service's consumers use an ``EventRouter``.
    public var ignoredEventTypes: Set<String> { [] }
}
