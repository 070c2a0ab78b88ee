import Foundation
import LayarDomain
import JWTKit
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarRuntime

/// Staff bearer tokens for tests: a key pair made for this test process, whose public half is
/// written to a directory the services started by tests are given as `LAYAR_TOKEN_KEYS_DIR`.
public enum TestStaffTokens {
    public static let keyID = "test-1"
    private static let privateKey: EdDSA.PrivateKey = try! EdDSA.PrivateKey()

    /// The directory holding `test-1.pem`, created on first use.
    public static let keysDirectory: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layar-test-keys-\(ProcessInfo.processInfo.processIdentifier)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try! privateKey.publicKey.pemRepresentation.write(
            to: directory.appendingPathComponent("\(keyID).pem"), atomically: true, encoding: .utf8
        )
        return directory.path
    }()

    public static func signer() async -> StaffTokenSigner {
        await StaffTokenSigner(privateKey: privateKey, keyID: keyID)
    }

    /// A verifier on `clock` (the system clock, for tokens checked as a running service would).
    public static func verifier(clock: LayarClock = .system) async -> StaffTokenVerifier {
        await StaffTokenVerifier(publicKeys: [keyID: privateKey.publicKey], clock: clock)
    }

    /// A token for `roles` (an `admin`-free supervisor by default), valid for `lifetime` from
    /// `issuedAt` (now on the system clock: the services started by tests run on it).
    public static func token(
        _ roles: [StaffRole] = [.supervisor], username: String = "uji.petugas", caseWorkerID: String = "",
        issuedAt: Date = LayarClock.system.now, lifetime: Duration = StaffClaims.maximumLifetime
    ) async throws -> String {
        try await signer().sign(StaffClaims(
            username: username, roles: roles, caseWorkerID: caseWorkerID, sessionID: "test", issuedAt: issuedAt, lifetime: lifetime
        ))
    }

    /// A token with every staff role.
    public static func everyRole() async throws -> String { try await token(StaffRole.allCases) }
}

extension ServiceAddress {
    /// ``withClient(bearerToken:_:)`` with a test token holding every staff role.
    public func withStaffClient<Result: Sendable>(
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        try await withClient(bearerToken: try await TestStaffTokens.everyRole(), body)
    }
}
