import Foundation
import LayarDomain

/// Parsing of common request fields, failing with a field violation.
public enum RequestFields {
    /// A typed id field such as `referral_id`.
    public static func id<Entity>(_ text: String, as type: EntityID<Entity>.Type = EntityID<Entity>.self) throws -> EntityID<Entity> {
        var violations = FieldViolations()
        guard let id = violations.id(text, as: type) else { throw violations.error }
        return id
    }
}
