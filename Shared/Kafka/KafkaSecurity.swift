/// How a client proves who it is to the brokers and keeps the connection private: librdkafka's
/// `security.protocol`, `sasl.*` and `ssl.*` properties. Each LAYAR service has its own principal,
/// so the brokers' ACLs let it write only the topics it owns and read only those it consumes.
public struct KafkaSecurity: Sendable, Equatable {
    /// `security.protocol`.
    public enum SecurityProtocol: String, Sendable, CaseIterable {
        /// No encryption, no authentication: the dev broker on loopback only.
        case plaintext
        /// TLS; with a client certificate the principal is the certificate's subject (Strimzi `tls`).
        case ssl
        /// SASL over TLS: SCRAM passwords (Strimzi `scram-sha-512`, compose's service users).
        case saslSSL = "sasl_ssl"
    }

    /// `sasl.mechanisms`.
    public enum Mechanism: String, Sendable, CaseIterable {
        case scramSHA512 = "SCRAM-SHA-512"
        case scramSHA256 = "SCRAM-SHA-256"
    }

    /// The user and password of a SASL principal.
    public struct Credentials: Sendable, Equatable {
        public var mechanism: Mechanism
        public var username: String
        public var password: String

        public init(mechanism: Mechanism = .scramSHA512, username: String, password: String) {
            self.mechanism = mechanism
            self.username = username
            self.password = password
        }
    }

    public var securityProtocol: SecurityProtocol
    /// Required with ``SecurityProtocol/saslSSL``.
    public var credentials: Credentials?
    /// `ssl.ca.location`: the CA that signed the brokers' certificates (Strimzi's cluster CA);
    /// unset, the system's trust store.
    public var caFile: String?
    /// `ssl.certificate.location` and `ssl.key.location`: a client certificate (mutual TLS).
    public var certificateFile: String?
    public var keyFile: String?

    public init(
        securityProtocol: SecurityProtocol, credentials: Credentials? = nil, caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil
    ) {
        self.securityProtocol = securityProtocol
        self.credentials = credentials
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    public static let plaintext = KafkaSecurity(securityProtocol: .plaintext)

    /// The librdkafka properties. The broker's host name is always checked against its
    /// certificate (`ssl.endpoint.identification.algorithm=https`, librdkafka's default since 1.9,
    /// set here so that no older default weakens it).
    public var properties: [String: String] {
        var properties = ["security.protocol": securityProtocol.rawValue]
        guard securityProtocol != .plaintext else { return properties }
        properties["ssl.endpoint.identification.algorithm"] = "https"
        if let caFile { properties["ssl.ca.location"] = caFile }
        if let certificateFile { properties["ssl.certificate.location"] = certificateFile }
        if let keyFile { properties["ssl.key.location"] = keyFile }
        if securityProtocol == .saslSSL, let credentials {
            properties["sasl.mechanisms"] = credentials.mechanism.rawValue
            properties["sasl.username"] = credentials.username
            properties["sasl.password"] = credentials.password
        }
        return properties
    }
}

/// Where a client finds the brokers and how it connects to them: what every producer and
/// consumer of a process shares.
public struct KafkaEndpoint: Sendable, Equatable {
    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var bootstrapServers: String
    public var security: KafkaSecurity

    public init(bootstrapServers: String, security: KafkaSecurity = .plaintext) {
        self.bootstrapServers = bootstrapServers
        self.security = security
    }
}
