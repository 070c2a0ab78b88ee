import Foundation
import GRPCCore
import GRPCProtobuf
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import Testing

/// Typed ids: the wire form every service and event already uses (lowercase UUID text), a
/// malformed id answered as a violation of the entity's own field, and PostgreSQL `uuid` columns
/// bound and read without conversions at the call sites.
@Suite("Typed ids")
struct EntityIDTests {
    @Test("parsed from any UUID spelling, written lowercase, compared by value")
    func wireForm() throws {
        let id = try #require(ReferralID("3F0E8C1A-7B2D-4C55-9A61-0D2F5B8E4C17"))
        #expect(id.description == "3f0e8c1a-7b2d-4c55-9a61-0d2f5b8e4c17")
        #expect(ReferralID(id.description) == id)
        #expect(ReferralID("LYR-7K3M-Q9TX") == nil && ReferralID("") == nil)
        #expect(ReferralID() != ReferralID())
        #expect(OfferID.field == "offer_id" && ComplaintID.field == "complaint_id")
    }

    @Test("a malformed id names its entity's field")
    func violations() throws {
        var violations = FieldViolations()
        #expect(violations.id("bukan-uuid", as: OfferID.self) == nil)
        #expect(violations.violations.map(\.field) == ["offer_id"])
        #expect(throws: GoogleRPCStatus.self) { try RequestFields.id("x", as: ReferralID.self) }
        let parsed = try RequestFields.id("3f0e8c1a-7b2d-4c55-9a61-0d2f5b8e4c17", as: MessageID.self)
        #expect(parsed.description == "3f0e8c1a-7b2d-4c55-9a61-0d2f5b8e4c17")
    }

    @Test("bound to and read from uuid columns")
    func postgres() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        let id = ReferralID()
        let row = try #require(try await database.pool.query("SELECT $1::uuid AS id, $1::uuid::text AS text", [id]).first)
        #expect(try row.decode(ReferralID.self, "id") == id)
        #expect(try row.decode(String.self, "text") == id.description)
        #expect(throws: PostgresError.self) { try ReferralID(postgresText: "not-a-uuid") }
        try await database.drop()
    }
}
