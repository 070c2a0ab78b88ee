import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Checks each submitted referral, and again when the applicant adds documents it was asked
/// for; follows withdrawals and completions so that "another open case" stays true.
struct ReferralChecker: EventHandler {
    let store: VerificationStore
    let eventTypes: Set<String> = [
        Layar_V1_ReferralSubmitted.eventType, Layar_V1_ReferralDocumentsAdded.eventType,
        Layar_V1_ReferralWithdrawn.eventType, Layar_V1_CaseCompleted.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        switch event.type {
        case Layar_V1_ReferralSubmitted.eventType:
            let submitted = try event.decode(Layar_V1_ReferralSubmitted.self)
            guard try await store.saveSubject(submitted, on: connection) else { return }
            try await check(submitted.referralID, on: connection)
        case Layar_V1_ReferralDocumentsAdded.eventType:
            let added = try event.decode(Layar_V1_ReferralDocumentsAdded.self)
            try await store.updateDocuments(added.referralID, added.allDocuments, on: connection)
            try await check(added.referralID, on: connection)
        case Layar_V1_ReferralWithdrawn.eventType:
            try await store.setState(try event.decode(Layar_V1_ReferralWithdrawn.self).referralID, "withdrawn", on: connection)
        case Layar_V1_CaseCompleted.eventType:
            try await store.setState(try event.decode(Layar_V1_CaseCompleted.self).referralID, "completed", on: connection)
        default:
            break
        }
    }

    /// Runs the checks on a referral that is waiting for them (new, or back with documents).
    private func check(_ referralID: String, on connection: PostgresConnection) async throws {
        guard let stored = try await store.subject(referralID, on: connection),
              stored.state == "checking" || stored.state == "information_requested"
        else { return }
        let context = try await store.context(for: stored.subject, referralID: referralID, on: connection)
        try await store.apply(ReferralChecks.evaluate(stored.subject, context), to: stored, at: store.clock.now, on: connection)
    }
}
