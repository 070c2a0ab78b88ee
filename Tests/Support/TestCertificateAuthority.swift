import Crypto
import Foundation
import LayarDomain
import NIOSSL
import X509

/// A certificate authority made at test time (P-256) and a server certificate it signs (for
/// `localhost` and `127.0.0.1` unless told otherwise), so a TLS stand-in can be trusted through a
/// CA file, the way a deployment trusts a private CA, and distrusted without it.
public struct TestCertificateAuthority: Sendable {
    /// The CA certificate as PEM, written to ``caFile`` (for `LAYAR_EMAIL_CA_FILE` and the like).
    public let caPEM: String
    public let caFile: String
    /// The TLS server context presenting the signed certificate.
    public let serverContext: NIOSSLContext

    /// `now` is when the certificates start to hold (an hour before it, for a day): the wall clock
    /// the TLS library checks them against, not a test's clock. `serverName` and
    /// `serverAddress` (IPv4 bytes, nil for none) are the names the server certificate is for.
    public init(now: Date = LayarClock.system.now, serverName: String = "localhost", serverAddress: [UInt8]? = [127, 0, 0, 1]) throws {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("LAYAR tests")
            CommonName("LAYAR test CA")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey)
        )
        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: caName, subject: try DistinguishedName { CommonName(serverName) }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(serverName)] + (serverAddress.map { [.ipAddress(.init(contentBytes: $0[...]))] } ?? []))
            },
            issuerPrivateKey: .init(caKey)
        )
        caPEM = try ca.serializeAsPEM().pemString
        caFile = FileManager.default.temporaryDirectory.appendingPathComponent("layar-test-ca-\(UUID().uuidString).pem").path
        try caPEM.write(toFile: caFile, atomically: true, encoding: .utf8)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try server.serializeAsPEM().pemString.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemRepresentation.utf8), format: .pem))
        )
        serverContext = try NIOSSLContext(configuration: configuration)
    }

    /// Removes ``caFile``.
    public func remove() {
        try? FileManager.default.removeItem(atPath: caFile)
    }
}
