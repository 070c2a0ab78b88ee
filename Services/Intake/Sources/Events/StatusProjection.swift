import LayarPostgres
import LayarRuntime
import LayarSchema

/// Keeps each referral's status up to date from verification's and assignment's events, so
/// `GetReferral` answers without asking other services.
struct StatusProjection: EventHandler {
    let store: IntakeStore

    let eventTypes: Set<String> = [
        Layar_V1_ReferralVerified.eventType, Layar_V1_ReferralRejected.eventType,
        Layar_V1_CaseAssigned.eventType, Layar_V1_CaseCompleted.eventType,
    ]

    func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        switch event.type {
        case Layar_V1_ReferralVerified.eventType:
            let verified = try event.decode(Layar_V1_ReferralVerified.self)
            try await store.advance(
                verified.referralID, to: .verified, note: "Data telah diverifikasi; menunggu pendamping.",
                at: verified.verifiedAt.date, on: connection
            )
        case Layar_V1_ReferralRejected.eventType:
            let rejected = try event.decode(Layar_V1_ReferralRejected.self)
            let reasons = rejected.findings.map(\.message).joined(separator: "; ")
            try await store.advance(
                rejected.referralID, to: .rejected, note: "Rujukan ditolak: \(reasons).",
                at: rejected.rejectedAt.date, on: connection
            )
        case Layar_V1_CaseAssigned.eventType:
            let assigned = try event.decode(Layar_V1_CaseAssigned.self)
            try await store.advance(
                assigned.referralID, to: .assigned, note: "Pendamping telah ditetapkan.",
                caseWorkerName: assigned.caseWorkerName, at: assigned.assignedAt.date, on: connection
            )
        case Layar_V1_CaseCompleted.eventType:
            let completed = try event.decode(Layar_V1_CaseCompleted.self)
            try await store.advance(
                completed.referralID, to: .completed, note: "Layanan selesai.", at: completed.completedAt.date,
                on: connection
            )
        default:
            break
        }
    }
}
