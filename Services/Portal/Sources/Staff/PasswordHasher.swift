import Crypto
import _CryptoExtras
import Foundation

/// Staff passwords with scrypt, memory-hard so that each guess costs an attacker memory as well
/// as time (OWASP's N = 2^16, r = 8, p = 2: 64 MiB per guess), stored as
/// `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64) so the cost can grow without a migration.
/// Hashes made before (PBKDF2-HMAC-SHA256, `pbkdf2-sha256$<rounds>$<salt>$<hash>`) still verify
/// and are replaced at the account's next sign-in (``needsRehash(_:cost:)``).
public enum PasswordHasher {
    public struct Cost: Sendable, Equatable {
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int = 8, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        /// OWASP Password Storage Cheat Sheet, scrypt: N = 2^16, r = 8, p = 2.
        public static let standard = Cost(logN: 16, p: 2)

        /// Bytes scrypt needs: 128 · r · N for its table, plus 128 · r · p for its blocks.
        public var memory: Int { 128 * r * ((1 << logN) + p) + 1 << 20 }
    }

    public static func hash(_ password: String, cost: Cost = .standard) throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let key = try scrypt(password, salt: salt, cost: cost)
        return "scrypt$\(cost.logN)$\(cost.r)$\(cost.p)$\(salt.base64EncodedString())$\(key.base64EncodedString())"
    }

    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        let derived: Data?
        let expected: Data?
        switch parts.first {
        case "scrypt" where parts.count == 6:
            guard let logN = Int(parts[1]), (10...22).contains(logN), let r = Int(parts[2]), let p = Int(parts[3]),
                  (1...32).contains(r), (1...16).contains(p), let salt = Data(base64Encoded: parts[4])
            else { return false }
            derived = try? scrypt(password, salt: salt, cost: Cost(logN: logN, r: r, p: p))
            expected = Data(base64Encoded: parts[5])
        case "pbkdf2-sha256" where parts.count == 4:
            guard let rounds = Int(parts[1]), (100_000...10_000_000).contains(rounds), let salt = Data(base64Encoded: parts[2])
            else { return false }
            derived = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds
            ).withUnsafeBytes { Data($0) }
            expected = Data(base64Encoded: parts[3])
        default:
            return false
        }
        guard let derived, let expected else { return false }
        // Constant-time comparison: the time taken says nothing about how much matched.
        return derived.count == expected.count && zip(derived, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// True when `stored` is not scrypt at least as costly as `cost` (an older or cheaper hash).
    public static func needsRehash(_ stored: String, cost: Cost = .standard) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3])
        else { return true }
        return (1 << logN) * r * p < (1 << cost.logN) * cost.r * cost.p
    }

    private static func scrypt(_ password: String, salt: Data, cost: Cost) throws -> Data {
        try KDF.Scrypt.deriveKey(
            from: Data(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << cost.logN, blockSize: cost.r,
            parallelism: cost.p, maxMemory: cost.memory
        ).withUnsafeBytes { Data($0) }
    }
}
