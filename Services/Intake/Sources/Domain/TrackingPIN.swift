/// The applicant's second factor beside the tracking code: six random digits answered once with
/// the code. Unlike the birth date it replaced, nothing in the NIK or the form gives it away, so
/// a stranger who knows a person's NIK cannot follow, change or withdraw their referral; wrong
/// guesses are throttled per code (five in fifteen minutes: 5 in 10^6).
public enum TrackingPIN {
    public static let length = 6

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in Character(String(generator.next(upperBound: UInt(10)))) })
    }

    public static func isWellFormed(_ pin: String) -> Bool {
        pin.count == length && pin.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Compares in time that does not depend on where the two differ.
    public static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
