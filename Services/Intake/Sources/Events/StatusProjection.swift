import LayarPostgres
import LayarRuntime
import LayarSchema

/// Keeps the applicant's timeline and current status from verification's and assignment's
/// events: intake's own read model, so tracking never asks other services.
struct StatusProjection: EventHandler {
    let store: IntakeStore

    let eventTypes: Set<String> = [
        Layar_V1_ReferralVerified.eventType, Layar_V1_ReferralRejected.eventType,
        Layar_V1_ReferralInformationRequested.eventType, Layar_V1_CaseAssigned.eventType,
        Layar_V1_CaseCompleted.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        switch event.type {
        case Layar_V1_ReferralVerified.eventType:
            let verified = try event.decode(Layar_V1_ReferralVerified.self)
            try await store.advance(
                verified.referralID, to: .verified, explanation: StatusExplanation.text(for: .verified),
                at: verified.verifiedAt.date, on: connection
            )
        case Layar_V1_ReferralRejected.eventType:
            let rejected = try event.decode(Layar_V1_ReferralRejected.self)
            try await store.advance(
                rejected.referralID, to: .rejected,
                explanation: StatusExplanation.text(for: .rejected, reasons: rejected.findings.map(\.message)),
                at: rejected.rejectedAt.date, on: connection
            )
        case Layar_V1_ReferralInformationRequested.eventType:
            let requested = try event.decode(Layar_V1_ReferralInformationRequested.self)
            try await store.advance(
                requested.referralID, to: .needsDocuments,
                explanation: StatusExplanation.text(for: .needsDocuments, missingDocuments: requested.missingDocuments),
                missingDocuments: requested.missingDocuments, at: requested.requestedAt.date, on: connection
            )
        case Layar_V1_CaseAssigned.eventType:
            let assigned = try event.decode(Layar_V1_CaseAssigned.self)
            try await store.advance(
                assigned.referralID, to: .assigned, explanation: StatusExplanation.text(for: .assigned),
                caseWorkerName: assigned.caseWorkerName, at: assigned.assignedAt.date, on: connection
            )
        case Layar_V1_CaseCompleted.eventType:
            let completed = try event.decode(Layar_V1_CaseCompleted.self)
            try await store.advance(
                completed.referralID, to: .completed, explanation: StatusExplanation.text(for: .completed),
                at: completed.completedAt.date, on: connection
            )
        default:
            break
        }
    }
}
