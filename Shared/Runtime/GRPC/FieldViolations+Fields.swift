import Foundation
import LayarDomain

/// Common field checks that collect violations instead of stopping at the first one.
extension FieldViolations {
    /// The trimmed text of a free-text field: required or not, at most `maximum` characters.
    public mutating func text(_ value: String, field: String, required: Bool = true, maximum: Int) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty {
            add(field, "Wajib diisi")
        } else if trimmed.count > maximum {
            add(field, "Terlalu panjang (maksimal \(maximum) huruf)")
        }
        return trimmed
    }

    /// A typed id field such as `referral_id` (the field is the entity's); nil (and a violation)
    /// when it is not a UUID.
    public mutating func id<Entity>(_ text: String, as type: EntityID<Entity>.Type = EntityID<Entity>.self) -> EntityID<Entity>? {
        guard let id = EntityID<Entity>(text) else {
            add(EntityID<Entity>.field, "Harus berupa UUID, misalnya 3f0e8c1a-7b2d-4c55-9a61-0d2f5b8e4c17")
            return nil
        }
        return id
    }

    /// Adds `message` for `field` unless `condition` holds.
    public mutating func require(_ condition: Bool, field: String, _ message: String) {
        if !condition { add(field, message) }
    }
}
