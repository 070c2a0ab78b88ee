import LayarPostgres
import LayarSchema

/// Routes each event type a consumer reads to a typed function: the payload arrives decoded as
/// its message type (a mistyped or undecodable one is an ``EventRejection``, dead-lettered), with
/// the event's attributes and the inbox transaction's connection. Types the consumer reads but
/// does not need are named with ``ignoring(_:)``.
///
/// ```swift
/// EventRouter()
///     .on(Layar_V1_ReferralVerified.self) { verified, _, connection in try await store.open(verified, on: connection) }
///     .ignoring(Layar_V1_ReferralQueued.self)
/// ```
public struct EventRouter: EventHandler {
    public typealias Apply<E> = @Sendable (E, InboundEvent, PostgresConnection) async throws -> Void
    private var routes: [String: @Sendable (InboundEvent, PostgresConnection) async throws -> Void] = [:]
    /// Kept beside the routes: the consumer asks for every message it reads.
    public private(set) var eventTypes: Set<String> = []
    public private(set) var ignoredEventTypes: Set<String> = []

    public init() {}

    /// Applies events of type `E` with `apply`; one route per type.
    public func on<E: LayarEvent>(_ type: E.Type, _ apply: @escaping Apply<E>) -> EventRouter {
        precondition(routes[E.eventType] == nil && !ignoredEventTypes.contains(E.eventType), "\(E.eventType) routed twice")
        var router = self
        router.routes[E.eventType] = { event, connection in try await apply(try event.decode(E.self), event, connection) }
        router.eventTypes.insert(E.eventType)
        return router
    }

    /// Skips events of the given types on purpose (acknowledged, counted as ignored).
    public func ignoring(_ types: any LayarEvent.Type...) -> EventRouter {
        var router = self
        for type in types {
            precondition(routes[type.eventType] == nil, "\(type.eventType) both routed and ignored")
            router.ignoredEventTypes.insert(type.eventType)
        }
        return router
    }

    /// This router's routes and another's together (a service whose consumer applies several
    /// families of events, each from its own handler).
    public func merging(_ other: EventRouter) -> EventRouter {
        var router = self
        for (type, route) in other.routes {
            precondition(routes[type] == nil, "\(type) routed twice")
            router.routes[type] = route
            router.eventTypes.insert(type)
        }
        router.ignoredEventTypes.formUnion(other.ignoredEventTypes)
        router.ignoredEventTypes.subtract(router.routes.keys)
        return router
    }

    public func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        // The consumer passes only `eventTypes`; anything else is ignored here too.
        try await routes[event.type]?(event, connection)
    }
}
