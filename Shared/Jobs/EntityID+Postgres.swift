import Foundation
import LayarDomain
import LayarPostgres

/// Typed ids are bound and read as the UUIDs they are.
extension EntityID: PostgresEncodable, PostgresDecodable {
    public var postgresBinding: PostgresBinding { uuid.postgresBinding }

    public init(postgresText text: String) throws {
        self.init(try UUID(postgresText: text))
    }
}
