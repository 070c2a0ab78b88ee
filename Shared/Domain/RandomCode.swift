/// Random codes people read aloud, type on a phone or copy from an SMS (`LYR-7K3M-Q9TX`): an
/// alphabet without look-alikes (no 0/O, 1/I/L, U), drawn from the system's secure generator, so
/// one code says nothing about another.
public enum RandomCode {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// `prefix`, then `groups` groups of `length` characters, joined by dashes.
    public static func generate(prefix: String, groups: Int = 2, length: Int = 4) -> String {
        var generator = SystemRandomNumberGenerator()
        let parts = (0..<groups).map { _ in
            String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
        }
        return ([prefix] + parts).joined(separator: "-")
    }

    /// Whether `code` has the shape `generate(prefix:groups:length:)` produces.
    public static func isWellFormed(_ code: String, prefix: String, groups: Int = 2, length: Int = 4) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == groups + 1 && parts[0] == prefix
            && parts.dropFirst().allSatisfy { $0.count == length && $0.allSatisfy(alphabet.contains) }
    }
}
