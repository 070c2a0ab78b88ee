/// The single-use code a citizen enters to answer the satisfaction survey, e.g. `SKM-4K7PQ2XM`.
/// Random, from an alphabet without look-alikes, so it can be typed from an SMS.
public enum SurveyCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "SKM-" + String((0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// How long an invitation stays open.
    public static let validity: Duration = .seconds(30 * 24 * 3600)
}
