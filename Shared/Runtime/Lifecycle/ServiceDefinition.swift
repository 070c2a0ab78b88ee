import GRPCCore
import LayarDomain
import LayarJobs
import LayarPostgres
import LayarSchema
import Logging
import ServiceLifecycle

/// What a LAYAR service is made of. The ``ServiceRunner`` turns it into a running process:
/// migrations, outbox relay, inbox consumers and the gRPC API under one service group.
public struct ServiceDefinition: Sendable {
    /// Which service: its schema and DB role, Kafka principal, CloudEvents source and group prefix.
    public var service: LayarServiceName
    /// "intake", "verification"...
    public var name: String { service.rawValue }
    /// Default gRPC port when `LAYAR_GRPC_PORT` is unset: the service table's.
    public var defaultPort: Int { service.grpcPort }
    /// Schema migrations, ``RuntimeMigrations/outboxAndInbox`` first.
    public var migrations: [PostgresMigration]
    /// The event consumers.
    public var consumers: [ConsumerDefinition]
    /// The gRPC services (the health service is added by the runner).
    public var api: @Sendable (ServiceResources) -> [any RegistrableRPCService]
    /// Names reported by the health service, e.g. "layar.v1.IntakeService".
    public var apiNames: [String]
    /// Who may call each RPC of the API (deny by default: an RPC missing here is refused).
    public var accessPolicies: [AccessPolicy]
    /// Server interceptors (authentication, the acting staff member...), each applied to the
    /// services it targets, in order.
    public var interceptors: @Sendable (ServiceResources) -> [ConditionalInterceptor<any ServerInterceptor>]
    /// Other long-running work of the service (e.g. a forwarder to an outside system).
    public var background: @Sendable (ServiceResources) -> [any Service]
    /// The service's queue tables (besides the outbox) whose changes wake its background loops
    /// (``ServiceResources/wakeups``); each has the `notify_change` trigger.
    public var wakeTables: [String]

    public init(
        service: LayarServiceName, migrations: [PostgresMigration], consumers: [ConsumerDefinition],
        apiNames: [String], accessPolicies: [AccessPolicy], api: @escaping @Sendable (ServiceResources) -> [any RegistrableRPCService],
        interceptors: @escaping @Sendable (ServiceResources) -> [ConditionalInterceptor<any ServerInterceptor>] = { _ in [] },
        background: @escaping @Sendable (ServiceResources) -> [any Service] = { _ in [] }, wakeTables: [String] = []
    ) {
        self.service = service
        self.migrations = migrations
        self.consumers = consumers
        self.apiNames = apiNames
        self.accessPolicies = accessPolicies
        self.api = api
        self.interceptors = interceptors
        self.background = background
        self.wakeTables = wakeTables
    }
}

/// One consumer group of a service: its topics and the handler that applies their events.
public struct ConsumerDefinition: Sendable {
    /// Suffix of the consumer name: the group id is `layar.<service>.<name>`.
    public var name: String
    public var topics: [String]
    public var handler: @Sendable (ServiceResources) -> any EventHandler

    public init(name: String, topics: [String], handler: @escaping @Sendable (ServiceResources) -> any EventHandler) {
        self.name = name
        self.topics = topics
        self.handler = handler
    }
}

/// What a service's handlers and API are given.
public struct ServiceResources: Sendable {
    public var pool: PostgresPool
    public var outbox: Outbox
    /// Seals the service's personal fields at rest (and the outbox's payloads).
    public var cipher: PersonalDataCipher
    /// The process's one clock: everything the service builds reads "now" from it.
    public var clock: LayarClock
    public var logger: Logger
    /// Creates the topics the service starts writing to while it runs; nil where nothing runs it
    /// (unit tests of stores and handlers).
    public var topics: TopicProvisioner?
    /// Wake-ups of the service's tables; nil where nothing listens (unit tests: loops poll).
    public var wakeups: TableWakeups?

    public init(
        pool: PostgresPool, cipher: PersonalDataCipher, clock: LayarClock, logger: Logger, topics: TopicProvisioner? = nil,
        wakeups: TableWakeups? = nil
    ) {
        self.topics = topics
        self.wakeups = wakeups
        self.pool = pool
        self.outbox = Outbox(cipher: cipher, clock: clock)
        self.cipher = cipher
        self.clock = clock
        self.logger = logger
    }
}
