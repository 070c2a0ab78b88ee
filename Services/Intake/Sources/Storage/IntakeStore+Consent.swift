import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Consent changes after submission.
extension IntakeStore {
    /// The applicant answered STOP or BERHENTI: NOTIFICATION and SURVEY leave the referral's consent
    /// (its stored form and its purposes column), the change is recorded with its channel and
    /// time, and notification hears the new consent (`ApplicantContactRecorded`), which it had
    /// already applied on its side. A referral erased meanwhile, or one without those purposes,
    /// changes nothing.
    func recordOptOut(_ optedOut: Layar_V1_ApplicantOptedOut, eventID: String, on connection: PostgresConnection) async throws {
        guard let id = ReferralID(optedOut.referralID), let row = try await connection.query(
            "SELECT tracking_code, form FROM referrals WHERE id = $1 FOR UPDATE", [id]
        ).first else { return }
        var form = try openForm(try row.decode([UInt8].self, "form"))
        let before = form.consent.purposes
        form.consent.purposes.removeAll { $0 == .notification || $0 == .survey }
        guard form.consent.purposes != before else { return }
        let now = clock.now
        try await connection.query(
            "UPDATE referrals SET form = $2, consent_purposes = $3, updated_at = $4 WHERE id = $1",
            [id, cipher.seal(try form.serializedBytes() as [UInt8], .referralForm), Self.purposes(form.consent.purposes), now]
        )
        try await connection.query(
            """
            INSERT INTO consent_changes (referral_id, event_id, purposes_before, purposes_after, channel, changed_at, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
            """,
            [
                id, eventID, Self.purposes(before), Self.purposes(form.consent.purposes), optedOut.channel.rawValue,
                optedOut.optedOutAt.date, now,
            ]
        )
        try await outbox.append(contactRecorded(id: id, code: try row.decode(String.self, "tracking_code"), form: form), on: connection, at: now)
    }

    /// The consent purposes as the `consent_purposes` column keeps them.
    static func purposes(_ purposes: [Layar_V1_ConsentPurpose]) -> PostgresTextArray {
        PostgresTextArray(purposes.map { "\($0)" })
    }

    /// The consent changes of a referral, oldest first (for the data-subject export and tests).
    func consentChanges(_ referralID: ReferralID) async throws -> [(before: [String], after: [String], channel: Int, changedAt: Date)] {
        try await pool.query(
            """
            SELECT purposes_before, purposes_after, channel, changed_at FROM consent_changes WHERE referral_id = $1
            ORDER BY changed_at, event_id
            """, [referralID]
        ).map {
            (
                try $0.decode(PostgresTextArray.self, "purposes_before").elements, try $0.decode(PostgresTextArray.self, "purposes_after").elements,
                try $0.decode(Int.self, "channel"), try $0.decode(Date.self, "changed_at")
            )
        }
    }
}
