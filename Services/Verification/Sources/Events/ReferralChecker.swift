import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema

/// Checks each submitted referral, and again when the applicant adds documents; forgets a
/// withdrawn one. Each decision emits verified, information requested or rejected.
struct ReferralChecker: EventHandler {
    let store: VerificationStore
    let eventTypes: Set<String> = [
        Layar_V1_ReferralSubmitted.eventType, Layar_V1_ReferralDocumentsAdded.eventType,
        Layar_V1_ReferralWithdrawn.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        switch event.type {
        case Layar_V1_ReferralSubmitted.eventType:
            let submitted = try event.decode(Layar_V1_ReferralSubmitted.self)
            guard try await store.saveSubject(submitted, on: connection) else { return }
            try await decide(submitted.referralID, documents: nil, on: connection)
        case Layar_V1_ReferralDocumentsAdded.eventType:
            let added = try event.decode(Layar_V1_ReferralDocumentsAdded.self)
            try await decide(added.referralID, documents: added.allDocuments, on: connection)
        case Layar_V1_ReferralWithdrawn.eventType:
            try await store.markWithdrawn(try event.decode(Layar_V1_ReferralWithdrawn.self).referralID, on: connection)
        default:
            break
        }
    }

    private func decide(_ referralID: String, documents: [Layar_V1_DocumentInfo]?, on connection: PostgresConnection) async throws {
        guard let (subject, submitted) = try await store.subject(referralID, documents: documents, on: connection) else {
            return
        }
        try await store.record(IdentityCheck.decide(subject), for: submitted, at: Date(), on: connection)
    }
}
