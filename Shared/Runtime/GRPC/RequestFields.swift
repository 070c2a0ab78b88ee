import Foundation

/// Parsing of common request fields, failing with a field violation.
public enum RequestFields {
    /// A UUID field such as `referral_id`.
    public static func uuid(_ text: String, field: String) throws -> UUID {
        var violations = FieldViolations()
        guard let id = violations.uuid(text, field: field) else { throw violations.error }
        return id
    }
}
