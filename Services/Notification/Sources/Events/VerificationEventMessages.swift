import LayarDomain
import LayarRuntime
import LayarSchema

/// Verification's events: the applicant hears the outcome and what is asked of them; verifiers
/// hear of their queue and registry (or identification) proposals, supervisors of rejections to confirm.
struct VerificationEventMessages {
    let applicants: ApplicantMessages
    let staff: StaffMessages

    var router: EventRouter {
        EventRouter()
            .on(Layar_V1_ReferralQueued.self) { queued, event, connection in
                let checks = queued.checkNames.map(\.displayName).joined(separator: ", ")
                try await staff.tell(.queuedForVerifier, [.role(.verifier)], about: queued.referralID, values: ["checks": checks], event: event, on: connection)
            }
            .on(Layar_V1_RejectionProposed.self) { proposed, event, connection in
                try await staff.tell(.rejectionForSupervisor, [.role(.supervisor)], about: proposed.referralID, event: event, on: connection)
            }
            .on(Layar_V1_ReferralInformationRequested.self) { requested, event, connection in
                let names = requested.missingDocuments.map(\.displayName)
                let documents = names.isEmpty ? "dokumen tambahan" : names.joined(separator: " atau ")
                try await applicants.tell(.informationRequested, about: requested.referralID, values: ["documents": documents], event: event, on: connection)
            }
            .on(Layar_V1_RegistryProposalRaised.self) { proposal, event, connection in
                let desa = BalanganRegions.desa[proposal.desaCode] ?? proposal.desaCode
                let (forStaff, forApplicant): (NotificationTemplates.Kind, NotificationTemplates.Kind) = proposal.identificationNeeded
                    ? (.identificationProposalForVerifier, .identificationProposal) : (.registryProposalForVerifier, .registryProposal)
                try await staff.tell(forStaff, [.role(.verifier)], about: proposal.referralID, values: ["desa": desa], kecamatanCode: proposal.kecamatanCode, event: event, on: connection)
                try await applicants.tell(forApplicant, about: proposal.referralID, event: event, on: connection)
            }
            .on(Layar_V1_ReferralVerified.self) { verified, event, connection in
                try await applicants.tell(.verified, about: verified.referralID, event: event, on: connection)
            }
            .on(Layar_V1_ReferralRejected.self) { rejected, event, connection in
                try await applicants.tell(.rejected, about: rejected.referralID, event: event, on: connection)
            }
    }
}
