import Foundation
import LayarDomain

/// Parsing of common request fields, failing with a field violation.
public enum RequestFields {
    /// A UUID field such as `referral_id`.
    public static func uuid(_ text: String, field: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw FieldViolations([FieldProblem(field, "Harus berupa UUID, misalnya 3f0e8c1a-7b2d-4c55-9a61-0d2f5b8e4c17")]).error
        }
        return id
    }
}
