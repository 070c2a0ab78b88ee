import LayarPostgres
import LayarSchema

/// What a service does for a data-subject request about some referrals, inside the inbox
/// transaction that records the request as handled (so it is done once).
public protocol PersonalDataHolder: Sendable {
    /// Everything the service holds about the referrals, opened, as a JSON-encodable value, and
    /// how many records that is.
    func export(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> (records: Int, data: any Encodable & Sendable)
    /// Applies a correction to what the service holds; how many records changed.
    func correct(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int
    /// Anonymises the referrals' personal data (keeping what monitoring counts); how many records.
    func anonymise(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int
}

extension PersonalDataHolder {
    /// Most services hold nothing a correction changes.
    public func correct(_ request: Layar_V1_DataSubjectRequested, on connection: PostgresConnection) async throws -> Int { 0 }
}
