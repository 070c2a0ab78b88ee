/// The code an applicant follows a referral with, e.g. `LYR-7K3M-Q9TX`: 8 random characters from
/// an alphabet without look-alikes (no 0/O, 1/I/L, U), easy to read aloud or copy from an SMS.
/// 30^8 ≈ 6.6·10^11 codes: guessing one is impractical, collisions are retried by the store.
public enum TrackingCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] }
        return "LYR-" + String(characters[0..<4]) + "-" + String(characters[4..<8])
    }

    public static func isWellFormed(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "LYR"
            && parts[1...].allSatisfy { $0.count == 4 && $0.allSatisfy(alphabet.contains) }
    }
}
