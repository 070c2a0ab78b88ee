import Foundation
import GRPCCore
import LayarDomain
import LayarJobs
import LayarKafka
import LayarPostgres
import LayarSchema
import Logging
import ServiceLifecycle

/// Runs a ``ServiceDefinition`` as a process: reads the environment, migrates the service's
/// schema, then runs producer, outbox relay, consumers and gRPC server in one `ServiceGroup` that
/// shuts down gracefully on SIGTERM or SIGINT (in reverse order: the API stops first, the
/// producer flushes last).
public enum ServiceRunner {
    /// The runtime's commands, as the command line names them (see ``ServiceCommand``).
    public enum Command: String, Sendable {
        case serve, migrate, healthcheck
        case rotateDataKey = "rotate-data-key"
    }

    /// Runs `command` for the service `makeDefinition` builds: exits with status 2 and a clear
    /// message on bad configuration, 1 when the command fails.
    ///
    /// `serve` runs the service; `migrate` applies the schema's migrations and exits (a Kubernetes
    /// Job before a rollout); `healthcheck` asks the local gRPC health endpoint and exits 0 only when
    /// serving (a container health check); `rotate-data-key` announces a new data key.
    public static func main(_ command: Command, _ makeDefinition: () throws -> ServiceDefinition) async {
        let clock = LayarClock.system
        let definition: ServiceDefinition
        let configuration: ServiceConfiguration
        do {
            definition = try makeDefinition()
            configuration = try ServiceConfiguration.fromEnvironment(
                serviceName: definition.name, defaultPort: definition.defaultPort
            )
        } catch {
            FileHandle.standardError.write(Data("layar: \(error)\n".utf8))
            exit(2)
        }
        LogSetup.bootstrap(
            service: "layar-\(definition.name)", level: configuration.logLevel, format: configuration.logFormat, clock: clock
        )
        do {
            switch command {
            case .serve:
                try await run(definition, configuration: configuration, clock: clock)
            case .migrate:
                try await withPool(definition, configuration) { pool, logger in
                    try await migrate(definition, pool: pool, logger: logger)
                }
            case .rotateDataKey:
                // A new sealing key, used from five minutes on (every instance reloads its keys
                // each minute); values sealed before keep opening with their own key.
                try await withPool(definition, configuration) { pool, logger in
                    try await migrate(definition, pool: pool, logger: logger)
                    let store = DataKeyStore(pool: pool, masterKeys: try MasterKeys(directory: configuration.dataKeysDirectory))
                    _ = try await store.prepare(now: clock.now)
                    print("new data key \(try await store.rotate(now: clock.now)) seals from five minutes on")
                }
            case .healthcheck:
                exit(await HealthProbe.isServing(port: configuration.grpcPort) ? 0 : 1)
            }
        } catch {
            Logger(label: "layar.\(definition.name)").critical("stopped: \(error)")
            exit(1)
        }
    }

    /// Runs a one-off command with a pool that is closed whatever happens.
    private static func withPool(
        _ definition: ServiceDefinition, _ configuration: ServiceConfiguration,
        _ body: (PostgresPool, Logger) async throws -> Void
    ) async throws {
        let logger = Logger(label: "layar.\(definition.name)")
        let pool = PostgresPool(configuration: configuration.postgres, logger: logger)
        do {
            try await body(pool, logger)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// Serves `definition` until SIGTERM or SIGINT, with `clock` as the process's one clock.
    public static func run(_ definition: ServiceDefinition, configuration: ServiceConfiguration, clock: LayarClock) async throws {
        _ = LayarMetrics.registry  // metrics and trace propagation are bootstrapped before anything records
        try await withPool(definition, configuration) { pool, logger in
            try await runGroup(definition, configuration: configuration, clock: clock, pool: pool, logger: logger)
            logger.info("layar-\(definition.name) stopped")
        }
    }

    /// The staff-token keys; none configured is allowed (staff RPCs are then refused), keys that
    /// do not load stop the start.
    private static func tokenVerifier(
        _ configuration: ServiceConfiguration, clock: LayarClock, logger: Logger
    ) async throws -> StaffTokenVerifier? {
        guard let directory = configuration.tokenKeysDirectory else {
            logger.warning("LAYAR_TOKEN_KEYS_DIR is not set: every staff RPC will be refused")
            return nil
        }
        let verifier = try await StaffTokenVerifier(directory: directory, clock: clock)
        logger.info("staff tokens checked against key(s) \(verifier.keyIDs.joined(separator: ", "))")
        return verifier
    }

    private static func runGroup(
        _ definition: ServiceDefinition, configuration: ServiceConfiguration, clock: LayarClock, pool: PostgresPool, logger: Logger
    ) async throws {
        try await migrate(definition, pool: pool, logger: logger)

        var producerConfiguration = KafkaProducerConfiguration(endpoint: configuration.kafka)
        producerConfiguration.clientID = "layar.\(definition.name)"
        // Looked up as it connects: only the topics the service writes (its principal may describe no others).
        producerConfiguration.topics = LayarTopic.allCases.filter { $0.writers.contains(definition.service) }.map(\.rawValue)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        // Personal data is sealed under keys the database holds wrapped: nothing starts without them.
        let keyStore = DataKeyStore(pool: pool, masterKeys: try MasterKeys(directory: configuration.dataKeysDirectory))
        let cipher = PersonalDataCipher(keys: try await keyStore.prepare(now: clock.now), clock: clock)
        logger.info("personal data sealed under data key \(cipher.currentKeyID)")
        let topics = TopicProvisioner(
            mode: configuration.topicCreation, endpoint: configuration.kafka, partitions: configuration.topicPartitions,
            replicationFactor: configuration.topicReplication, logger: logger
        )
        // The outbox relay and the service's queue loops wake on their tables' notifications.
        let wakeups = TableWakeups(tables: [TableWakeups.outbox] + definition.wakeTables, configuration: configuration.postgres, logger: logger)
        let context = ServiceResources(pool: pool, cipher: cipher, clock: clock, logger: logger, topics: topics, wakeups: wakeups)
        var relay = OutboxRelay(
            pool: pool, producer: producer, cipher: cipher, source: definition.service.eventSource, clock: clock, logger: logger
        )
        relay.wakeup = wakeups.wakeup(for: TableWakeups.outbox)

        var services: [any Service] = [
            ProducerService(producer: producer),
            wakeups,
            relay,
            DataKeyRefresher(store: keyStore, cipher: cipher, logger: logger),
        ]
        for consumer in definition.consumers {
            services.append(InboxConsumer(
                name: "layar.\(definition.name).\(consumer.name)", topics: consumer.topics,
                handler: consumer.handler(context), pool: pool, producer: producer,
                kafka: configuration.kafka, logger: logger
            ))
        }
        services += definition.background(context)
        let health = HealthService(services: definition.apiNames)
        services.append(ResourceSampler(pool: pool, clock: clock, logger: logger))
        services.append(ObservabilityEndpoint(
            host: configuration.grpcHost, port: configuration.metricsPort, registry: LayarMetrics.registry, health: health, logger: logger
        ))
        // Every call is traced and measured before the service's own interceptors see it, leaves
        // an audit entry, has its deadline reach the work it starts, and is refused unless the
        // access table allows it.
        let verifier = try await tokenVerifier(configuration, clock: clock, logger: logger)
        let observed: [ConditionalInterceptor<any ServerInterceptor>] = [
            .apply(TracingServerInterceptor(), to: .all), .apply(MetricsServerInterceptor(), to: .all),
            .apply(AuditServerInterceptor(pool: pool, clock: clock, logger: logger), to: .all),
            .apply(DeadlineServerInterceptor(logger: logger), to: .all),
            .apply(AuthorizationServerInterceptor(policies: definition.accessPolicies, verifier: verifier, logger: logger), to: .all),
        ]
        services.append(GRPCServerService(
            host: configuration.grpcHost, port: configuration.grpcPort, services: definition.api(context) + [AuditAPI(pool: pool)],
            interceptors: observed + definition.interceptors(context), health: health, logger: logger
        ))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        logger.info("layar-\(definition.name) starting")
        try await group.run()
    }

    /// Applies migrations, waiting for the database while it is not reachable yet (start order).
    static func migrate(_ definition: ServiceDefinition, pool: PostgresPool, logger: Logger) async throws {
        try await migrate(definition.migrations, pool: pool, logger: logger)
    }

    /// Applies `migrations`, waiting up to a minute for the database to become reachable.
    public static func migrate(_ migrations: [PostgresMigration], pool: PostgresPool, logger: Logger) async throws {
        let migrator = PostgresMigrator(migrations: migrations, logger: logger)
        let deadline = ContinuousClock.now + .seconds(60)
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await migrator.migrate(pool)
                return
            } catch let error as PostgresError where error.kind == .connection && ContinuousClock.now < deadline {
                logger.warning("database not reachable yet (\(error.message)); retrying")
                try await Task.sleep(for: Backoff.delay(attempt: attempt))
            }
        }
    }
}

/// Keeps the producer for the group's lifetime and flushes it on shutdown, after the services
/// that use it have stopped.
struct ProducerService: Service {
    let producer: KafkaProducer

    func run() async throws {
        try? await gracefulShutdown()
        await producer.shutdown()
    }
}
