import Foundation
import JWTKit
import LayarDomain

/// Checks staff bearer tokens against the public keys in a directory: one PEM file per key,
/// named `<key id>.pem`. Rotation without downtime: add the new public key to every service, let
/// the portal sign with it, remove the old one once the longest token lifetime has passed.
public struct StaffTokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let clock: LayarClock
    public let keyIDs: [String]

    /// Reads every `*.pem` in `directory`; throws when there is none or one does not parse.
    public init(directory: String, clock: LayarClock) async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pem") }
        guard !names.isEmpty else { throw StaffTokenError.noKeys(directory) }
        var publicKeys: [String: EdDSA.PublicKey] = [:]
        for name in names {
            let pem = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
            publicKeys[String(name.dropLast(4))] = try EdDSA.PublicKey(pem: pem)
        }
        await self.init(publicKeys: publicKeys, clock: clock)
    }

    public init(publicKeys: [String: EdDSA.PublicKey], clock: LayarClock) async {
        let keys = JWTKeyCollection()
        for (kid, key) in publicKeys { await keys.add(eddsa: key, kid: JWKIdentifier(string: kid)) }
        self.keys = keys
        self.clock = clock
        self.keyIDs = publicKeys.keys.sorted()
    }

    /// The token's claims when its signature, key id, issuer, audience and expiry (on the
    /// verifier's clock) all check out.
    public func verify(_ token: String) async throws -> StaffClaims {
        let claims = try await keys.verify(token, as: StaffClaims.self)
        try claims.verifyTimes(at: clock.now)
        return claims
    }
}

/// Makes staff bearer tokens (the portal only: it holds the private key).
public struct StaffTokenSigner: Sendable {
    private let keys: JWTKeyCollection
    public let keyID: String

    /// Reads a PEM Ed25519 private key (`openssl genpkey -algorithm ed25519`).
    public init(privateKeyFile: String, keyID: String) async throws {
        let pem = try String(contentsOfFile: privateKeyFile, encoding: .utf8)
        await self.init(privateKey: try EdDSA.PrivateKey(pem: pem), keyID: keyID)
    }

    public init(privateKey: EdDSA.PrivateKey, keyID: String) async {
        let keys = JWTKeyCollection()
        await keys.add(eddsa: privateKey, kid: JWKIdentifier(string: keyID))
        self.keys = keys
        self.keyID = keyID
    }

    public func sign(_ claims: StaffClaims) async throws -> String {
        try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    }
}

public enum StaffTokenError: Error, CustomStringConvertible {
    case noKeys(String)

    public var description: String {
        switch self {
        case .noKeys(let directory): "no token public keys (*.pem) in \(directory)"
        }
    }
}
