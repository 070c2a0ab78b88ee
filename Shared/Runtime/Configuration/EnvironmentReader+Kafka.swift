import Foundation
import LayarKafka

extension EnvironmentReader {
    /// The brokers and how to connect to them, from `KAFKA_*` (deploy/README.md's configuration table):
    ///
    /// - `KAFKA_BROKERS`: bootstrap servers (required).
    /// - `KAFKA_SECURITY_PROTOCOL`: `plaintext` (dev broker only), `ssl` or `sasl_ssl`.
    /// - `KAFKA_SASL_MECHANISM`: `SCRAM-SHA-512` (default) or `SCRAM-SHA-256`.
    /// - `KAFKA_SASL_USERNAME`: the principal, `defaultUsername` when unset (`layar-<service>`).
    /// - `KAFKA_SASL_PASSWORD_FILE`: a file holding its password (a mounted secret, never a variable
    ///   that `docker inspect` or `/proc/<pid>/environ` would show).
    /// - `KAFKA_SSL_CA_FILE`: the CA of the brokers' certificates (the system's trust store when unset).
    /// - `KAFKA_SSL_CERT_FILE`, `KAFKA_SSL_KEY_FILE`: a client certificate, for mutual TLS.
    public mutating func kafkaEndpoint(defaultUsername: String) -> KafkaEndpoint {
        let brokers = required("KAFKA_BROKERS", "Kafka bootstrap servers, e.g. 127.0.0.1:9092")
        let protocolName = choice(
            "KAFKA_SECURITY_PROTOCOL", default: KafkaSecurity.SecurityProtocol.plaintext.rawValue,
            among: KafkaSecurity.SecurityProtocol.allCases.map(\.rawValue)
        )
        let mechanismName = choice(
            "KAFKA_SASL_MECHANISM", default: KafkaSecurity.Mechanism.scramSHA512.rawValue,
            among: KafkaSecurity.Mechanism.allCases.map(\.rawValue)
        )
        let securityProtocol = KafkaSecurity.SecurityProtocol(rawValue: protocolName) ?? .plaintext
        var security = KafkaSecurity(securityProtocol: securityProtocol)
        guard securityProtocol != .plaintext else { return KafkaEndpoint(bootstrapServers: brokers, security: security) }
        security.caFile = readableFile("KAFKA_SSL_CA_FILE", "the CA of the brokers' certificates")
        security.certificateFile = readableFile("KAFKA_SSL_CERT_FILE", "this client's TLS certificate")
        security.keyFile = readableFile("KAFKA_SSL_KEY_FILE", "this client's TLS private key")
        if (security.certificateFile == nil) != (security.keyFile == nil) {
            problems.append("KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: set both for mutual TLS, or neither")
        }
        if securityProtocol == .saslSSL {
            if optional("KAFKA_SASL_PASSWORD_FILE", default: "").isEmpty {
                problems.append("KAFKA_SASL_PASSWORD_FILE is not set: \(protocolName) needs the file holding the Kafka password")
            }
            let passwordFile = readableFile("KAFKA_SASL_PASSWORD_FILE", "the file holding this service's Kafka password")
            let password = passwordFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if passwordFile != nil && password.isEmpty {
                problems.append("KAFKA_SASL_PASSWORD_FILE holds no password")
            }
            security.credentials = .init(
                mechanism: KafkaSecurity.Mechanism(rawValue: mechanismName) ?? .scramSHA512,
                username: optional("KAFKA_SASL_USERNAME", default: defaultUsername), password: password
            )
        }
        return KafkaEndpoint(bootstrapServers: brokers, security: security)
    }

    /// A path that, when set, names a readable file.
    private mutating func readableFile(_ name: String, _ purpose: String) -> String? {
        let path = optional(name, default: "")
        guard !path.isEmpty else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else {
            problems.append("\(name)=\(path) is not a readable file: \(purpose)")
            return nil
        }
        return path
    }
}
