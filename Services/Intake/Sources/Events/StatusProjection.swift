import LayarPostgres
import LayarRuntime
import LayarSchema

/// Keeps the applicant's timeline and current status from verification's and assignment's
/// events: intake's own read model, so tracking never asks other services.
struct StatusProjection {
    let store: IntakeStore

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ReferralVerified.self) { verified, _, connection in
                try await store.advance(
                    verified.referralID, to: .verified, explanation: StatusExplanation.text(for: .verified),
                    at: verified.verifiedAt.date, on: connection
                )
            }
            .on(Layar_V1_ReferralRejected.self) { rejected, _, connection in
                try await store.advance(
                    rejected.referralID, to: .rejected,
                    explanation: StatusExplanation.text(for: .rejected, reasons: rejected.findings.map(\.message)),
                    at: rejected.rejectedAt.date, on: connection
                )
            }
            .on(Layar_V1_ReferralInformationRequested.self) { requested, _, connection in
                try await store.advance(
                    requested.referralID, to: .needsDocuments,
                    explanation: StatusExplanation.text(for: .needsDocuments, missingDocuments: requested.missingDocuments),
                    missingDocuments: requested.missingDocuments, at: requested.requestedAt.date, on: connection
                )
            }
            .on(Layar_V1_CaseAssigned.self) { assigned, _, connection in
                try await store.advance(
                    assigned.referralID, to: .assigned, explanation: StatusExplanation.text(for: .assigned),
                    caseWorkerName: assigned.caseWorkerName, at: assigned.assignedAt.date, on: connection
                )
            }
            .on(Layar_V1_CaseCompleted.self) { completed, _, connection in
                try await store.advance(
                    completed.referralID, to: .completed, explanation: StatusExplanation.text(for: .completed),
                    at: completed.completedAt.date, on: connection
                )
            }
            // Staff-side steps: the applicant's timeline shows the outcome, not the office's queue.
            .ignoring(
                Layar_V1_ReferralQueued.self, Layar_V1_RejectionProposed.self, Layar_V1_RegistryProposalRaised.self,
                Layar_V1_CaseTransitioned.self, Layar_V1_CaseDeadlineMissed.self
            )
    }
}
