import Crypto
import _CryptoExtras
import Foundation

/// Staff passwords as PBKDF2-HMAC-SHA256 with a random salt and OWASP's 600,000 rounds, stored as
/// `pbkdf2-sha256$<rounds>$<salt>$<hash>` (base64) so the rounds can grow without a migration.
enum PasswordHasher {
    static let rounds = 600_000

    static func hash(_ password: String, rounds: Int = rounds) throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let key = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(salt.base64EncodedString())$\(key.base64EncodedString())"
    }

    static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]),
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              let key = try? derive(password, salt: salt, rounds: rounds) else { return false }
        // Constant-time comparison: the time taken says nothing about how much matched.
        return key.count == expected.count && zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ password: String, salt: Data, rounds: Int) throws -> Data {
        try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds
        ).withUnsafeBytes { Data($0) }
    }
}
