import LayarPostgres
import SwiftProtobuf

/// Protobuf enum values kept in `integer[]` columns (bind as `$n::integer[]`).
extension PostgresTextArray {
    public init<E: SwiftProtobuf.Enum>(enumValues: some Sequence<E>) {
        self.init(enumValues.map { String($0.rawValue) })
    }

    /// The enum values of the array; numbers this build does not know are dropped.
    public func enumValues<E: SwiftProtobuf.Enum>(_ type: E.Type = E.self) -> [E] {
        elements.compactMap { Int($0).flatMap(E.init(rawValue:)) }
    }
}
