import LayarDomain

/// Codes of the survey: the single-use invitation code (`SKM-4K7P-Q2XM`) and the reference a
/// complainant keeps (`ADU-7K3M-Q9TX`).
public enum SurveyCode {
    public static func invitation() -> String { RandomCode.generate(prefix: "SKM") }
    public static func complaint() -> String { RandomCode.generate(prefix: "ADU") }

    /// How long an invitation stays open.
    public static let validity: Duration = .seconds(30 * 24 * 3600)
}
