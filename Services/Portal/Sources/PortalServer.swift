import Hummingbird
import LayarDomain
import LayarPostgres
import LayarRuntime
import Logging

/// Runs the portal: migrates its schema, makes sure the configured administrator exists, then
/// serves HTTP with the gRPC clients in the same service group (graceful stop on SIGTERM/SIGINT).
public enum PortalServer {
    /// Serves with `clock` as the portal's one clock (sessions, lockouts, throttles, tokens, dates).
    public static func run(
        _ configuration: PortalConfiguration, clock: LayarClock, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        var logger = Logger(label: "layar.portal")
        logger.logLevel = configuration.logLevel
        let pool = PostgresPool(configuration: configuration.postgres, logger: logger)
        do {
            try await serve(configuration, clock: clock, pool: pool, logger: logger, onServerRunning: onServerRunning)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
        logger.info("layar-portal stopped")
    }

    private static func serve(
        _ configuration: PortalConfiguration, clock: LayarClock, pool: PostgresPool, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        try await ServiceRunner.migrate(PortalMigrations.all, pool: pool, logger: logger)
        if let limit = ContainerMemoryLimit.current() {
            try configuration.checkHashingFitsMemory(limitBytes: limit)
        }
        let accounts = StaffAccounts(
            pool: pool, clock: clock, sessionHours: configuration.sessionHours, passwordCost: configuration.passwordCost,
            hashing: PasswordHashingPool(concurrency: configuration.hashingConcurrency, queueLimit: configuration.hashingQueue)
        )
        if let password = configuration.adminPassword {
            let created = try await accounts.createIfAbsent(
                username: configuration.adminUser, displayName: "Administrator", roles: Set(StaffRole.allCases), password: password
            )
            logger.notice(
                created ? "administrator account created" : "administrator account exists: left as it is (LAYAR_PORTAL_ADMIN_PASSWORD only creates it)",
                metadata: ["username": "\(configuration.adminUser)"]
            )
        }
        var signer: StaffTokenSigner?
        if let keyFile = configuration.tokenSigningKeyFile {
            signer = try await StaffTokenSigner(privateKeyFile: keyFile, keyID: configuration.tokenSigningKeyID)
        } else {
            logger.warning("LAYAR_TOKEN_SIGNING_KEY_FILE is not set: the staff console's calls will be refused")
        }
        let backends = try Backends(configuration.backends, signer: signer, clock: clock)
        var portal = Portal(
            backends: backends, accounts: accounts, secureCookies: configuration.secureCookies, logger: logger,
            trustedProxies: configuration.trustedProxies
        )
        portal.formThrottle = PublicFormThrottle(limiter: portal.limiter, perClient: configuration.formLimit, ceiling: configuration.formCeiling)
        let application = Application(
            router: portal.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "layar-portal"),
            services: [backends.connections],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("layar-portal serving", metadata: ["url": "http://\(configuration.host):\(port)/"])
                await onServerRunning(port)
            },
            logger: logger
        )
        try await application.runService()
    }
}
