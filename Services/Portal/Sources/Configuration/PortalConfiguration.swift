import LayarPostgres
import LayarRuntime
import LayarSchema
import Logging

/// What the portal reads from its environment (deploy/README.md's configuration section lists the same names).
public struct PortalConfiguration: Sendable {
    /// `LAYAR_DATABASE_URL`: the portal's own role; it keeps only staff accounts and sessions.
    public var databaseURL: String
    /// `LAYAR_PORTAL_HOST` and `LAYAR_PORTAL_PORT`: where the web server listens.
    public var host: String
    public var port: Int
    /// `LAYAR_INTAKE_ADDR` and friends (the names layarctl reads): the services' gRPC APIs, `host:port`.
    public var backends: BackendAddresses
    /// `LAYAR_PORTAL_ADMIN_USER` / `LAYAR_PORTAL_ADMIN_PASSWORD`: an account with every staff role,
    /// created or updated at start when the password is set (until the security work brings
    /// central accounts).
    public var adminUser: String
    public var adminPassword: String?
    /// `LAYAR_PORTAL_SECURE_COOKIES`: mark the staff session cookie `Secure` (behind HTTPS).
    public var secureCookies: Bool
    /// `LAYAR_PORTAL_SESSION_HOURS`: how long a staff login lasts.
    public var sessionHours: Int
    /// `LAYAR_PORTAL_PASSWORD_LOG_N` (16): scrypt's cost as log2 N (r = 8, p = 2); lower only
    /// where hashing speed matters more than guessing cost (the test stacks use 12).
    public var passwordCost: PasswordHasher.Cost = .standard
    /// `LAYAR_PORTAL_HASHING_CONCURRENCY` (2) and `LAYAR_PORTAL_HASHING_QUEUE` (16): how many
    /// password hashes run at once, and how many sign-ins may wait for one (beyond, "busy").
    /// Each running hash holds the cost's table (64 MiB at the standard cost).
    public var hashingConcurrency = 2
    public var hashingQueue = 16
    /// `LAYAR_PORTAL_TRUSTED_PROXIES`: CIDRs of the proxies (the ingress) whose `X-Forwarded-For`
    /// or `Forwarded` names the client; empty: the TCP peer is the client.
    public var trustedProxies = ""
    /// `LAYAR_PORTAL_FORM_LIMIT` (30) and `LAYAR_PORTAL_FORM_CEILING` (1500): citizens' form posts
    /// per client address, and from everyone together, per 10 minutes, over all replicas.
    public var formLimit = 30
    public var formCeiling = 1_500
    /// `LAYAR_TOKEN_SIGNING_KEY_FILE` / `LAYAR_TOKEN_SIGNING_KEY_ID`: the Ed25519 private key (PEM)
    /// that signs staff tokens for the services, and its id (the services hold `<id>.pem`).
    public var tokenSigningKeyFile: String?
    public var tokenSigningKeyID = "portal-1"
    /// `LAYAR_LOG_LEVEL` and `LAYAR_LOG_FORMAT` (`text` or `json`).
    public var logLevel: Logger.Level
    public var logFormat = "text"

    public init(
        databaseURL: String, host: String = "127.0.0.1", port: Int = 8080, backends: BackendAddresses = .local,
        adminUser: String = "admin", adminPassword: String? = nil, secureCookies: Bool = false, sessionHours: Int = 10,
        logLevel: Logger.Level = .info
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.backends = backends
        self.adminUser = adminUser
        self.adminPassword = adminPassword
        self.secureCookies = secureCookies
        self.sessionHours = sessionHours
        self.logLevel = logLevel
    }

    public static func fromEnvironment(_ environment: [String: String]? = nil) throws -> PortalConfiguration {
        var reader = environment.map(EnvironmentReader.init) ?? EnvironmentReader()
        let databaseURL = reader.required(
            "LAYAR_DATABASE_URL", "the PostgreSQL URI with the portal's role, e.g. postgresql://portal:secret@127.0.0.1:5432/layar"
        )
        let host = reader.optional("LAYAR_PORTAL_HOST", default: "127.0.0.1")
        let port = reader.integer("LAYAR_PORTAL_PORT", default: 8080, in: 0...65535)
        var backends = BackendAddresses.local
        for (name, keyPath) in BackendAddresses.variables {
            let text = reader.optional(name, default: backends[keyPath: keyPath].description)
            if let address = ServiceAddress(text) {
                backends[keyPath: keyPath] = address
            } else {
                reader.problems.append("\(name): expected host:port, got '\(text)'")
            }
        }
        let adminUser = reader.optional("LAYAR_PORTAL_ADMIN_USER", default: "admin")
        let adminPassword = reader.optional("LAYAR_PORTAL_ADMIN_PASSWORD", default: "")
        if !adminPassword.isEmpty, adminPassword.count < 10 {
            reader.problems.append("LAYAR_PORTAL_ADMIN_PASSWORD: at least 10 characters")
        }
        let devPasswords = reader.choice("LAYAR_PORTAL_DEV_PASSWORDS", default: "refuse", among: ["refuse", "allow"])
        if devPasswords == "refuse", Self.isPlaceholder(adminPassword) {
            reader.problems.append(
                "LAYAR_PORTAL_ADMIN_PASSWORD is the development or an example password: set a secret one "
                    + "(only the local stack sets LAYAR_PORTAL_DEV_PASSWORDS=allow)"
            )
        }
        let secure = reader.choice("LAYAR_PORTAL_SECURE_COOKIES", default: "false", among: ["true", "false"])
        let hours = reader.integer("LAYAR_PORTAL_SESSION_HOURS", default: 10, in: 1...24)
        let passwordLogN = reader.integer("LAYAR_PORTAL_PASSWORD_LOG_N", default: PasswordHasher.Cost.standard.logN, in: 10...20)
        let hashingConcurrency = reader.integer("LAYAR_PORTAL_HASHING_CONCURRENCY", default: 2, in: 1...16)
        let hashingQueue = reader.integer("LAYAR_PORTAL_HASHING_QUEUE", default: 16, in: 0...1000)
        let trustedProxies = reader.optional("LAYAR_PORTAL_TRUSTED_PROXIES", default: "")
        if TrustedProxies(list: trustedProxies) == nil {
            reader.problems.append("LAYAR_PORTAL_TRUSTED_PROXIES=\(trustedProxies) is invalid: expected CIDRs like 10.0.0.0/8,fd00::/8")
        }
        let formLimit = reader.integer("LAYAR_PORTAL_FORM_LIMIT", default: 30, in: 1...10_000)
        let formCeiling = reader.integer("LAYAR_PORTAL_FORM_CEILING", default: 1_500, in: 1...1_000_000)
        let signingKey = reader.optional("LAYAR_TOKEN_SIGNING_KEY_FILE", default: "")
        let signingKeyID = reader.optional("LAYAR_TOKEN_SIGNING_KEY_ID", default: "portal-1")
        let level = reader.choice("LAYAR_LOG_LEVEL", default: "info", among: Logger.Level.allCases.map(\.rawValue))
        let format = reader.choice("LAYAR_LOG_FORMAT", default: "text", among: ["text", "json"])
        try reader.validate()
        var configuration = PortalConfiguration(
            databaseURL: databaseURL, host: host, port: port, backends: backends, adminUser: adminUser,
            adminPassword: adminPassword.isEmpty ? nil : adminPassword, secureCookies: secure == "true",
            sessionHours: hours, logLevel: Logger.Level(rawValue: level) ?? .info
        )
        configuration.logFormat = format
        configuration.passwordCost.logN = passwordLogN
        configuration.hashingConcurrency = hashingConcurrency
        configuration.trustedProxies = trustedProxies
        configuration.formLimit = formLimit
        configuration.formCeiling = formCeiling
        configuration.hashingQueue = hashingQueue
        configuration.tokenSigningKeyFile = signingKey.isEmpty ? nil : signingKey
        configuration.tokenSigningKeyID = signingKeyID
        return configuration
    }

    /// The local stack's password and the example files' placeholders: never an administrator's
    /// password where real people's data is.
    static func isPlaceholder(_ password: String) -> Bool {
        let lowered = password.lowercased()
        return lowered == "layar-admin-dev" || ["change-me", "changeme", "change_me", "placeholder", "example"].contains { lowered.contains($0) }
    }

    /// What the portal needs besides password hashing (measured: 40-60 MiB resident serving pages).
    public static let baseMemoryBytes = 96 << 20

    /// Fails unless the hashes that may run at once, with the portal's own needs, fit in
    /// `limitBytes` (the container's memory limit): a burst of sign-ins must not get the
    /// portal killed for memory.
    public func checkHashingFitsMemory(limitBytes: Int) throws {
        let needed = Self.baseMemoryBytes + hashingConcurrency * passwordCost.memory
        guard needed <= limitBytes else {
            throw ConfigurationError(problems: [
                "LAYAR_PORTAL_HASHING_CONCURRENCY=\(hashingConcurrency) needs \(needed >> 20) MiB at scrypt log N \(passwordCost.logN) "
                    + "(\(passwordCost.memory >> 20) MiB per hash + \(Self.baseMemoryBytes >> 20) MiB), more than the memory limit of "
                    + "\(limitBytes >> 20) MiB: lower the concurrency or raise the limit",
            ])
        }
    }

    public var postgres: PostgresConfiguration {
        var configuration = PostgresConfiguration(connectionString: databaseURL)
        configuration.applicationName = "layar-portal"
        return configuration
    }
}

/// Where the portal finds each service's gRPC API.
public struct BackendAddresses: Sendable {
    public var intake: ServiceAddress
    public var verification: ServiceAddress
    public var assignment: ServiceAddress
    public var survey: ServiceAddress
    /// The staff inbox (`ListInbox`, `MarkRead`).
    public var notification: ServiceAddress

    /// The local stack's ports, from the service table.
    public static let local = BackendAddresses(
        intake: ServiceAddress(LayarServiceName.intake.localAddress)!, verification: ServiceAddress(LayarServiceName.verification.localAddress)!,
        assignment: ServiceAddress(LayarServiceName.assignment.localAddress)!, survey: ServiceAddress(LayarServiceName.survey.localAddress)!,
        notification: ServiceAddress(LayarServiceName.notification.localAddress)!
    )

    static var variables: [(String, WritableKeyPath<BackendAddresses, ServiceAddress>)] {
        [
            ("LAYAR_INTAKE_ADDR", \.intake), ("LAYAR_VERIFICATION_ADDR", \.verification),
            ("LAYAR_ASSIGNMENT_ADDR", \.assignment), ("LAYAR_SURVEY_ADDR", \.survey), ("LAYAR_NOTIFICATION_ADDR", \.notification),
        ]
    }
}
