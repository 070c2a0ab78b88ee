/// The name of a personal field at rest, e.g. `intake.referral.form`. It is bound into every
/// sealed value as associated data, so a value copied into another field does not open, and it
/// keys the blind index, so equal NIKs in two fields do not index alike.
public struct SealedField: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }
}
