import Foundation
import GRPCCore
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema

/// The verification gRPC API: decisions, the verifiers' queue, the two-person rejection.
struct VerificationAPI: Layar_V1_VerificationService.SimpleServiceProtocol {
    let store: VerificationStore
    var now: Date { store.clock.now }

    func getVerification(
        request: Layar_V1_GetVerificationRequest, context: ServerContext
    ) async throws -> Layar_V1_Verification {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        try await CaseWorkerScope.requireAccess(
            to: id, unscoped: VerificationAccessPolicy.policy.rolesBeyondOwnCases("GetVerification"), pool: store.pool
        )
        guard let verification = try await store.verification(of: id) else {
            throw RPCError(code: .notFound, message: "Belum ada keputusan verifikasi untuk rujukan ini")
        }
        return verification
    }

    func listQueue(request: Layar_V1_ListQueueRequest, context: ServerContext) async throws -> Layar_V1_ListQueueResponse {
        let items = try await store.queue(request, now: now)
        return .with { $0.items = items }
    }

    func getCase(request: Layar_V1_GetVerificationCaseRequest, context: ServerContext) async throws -> Layar_V1_VerificationCase {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        guard let found = try await store.verificationCase(id) else {
            throw RPCError(code: .notFound, message: "Rujukan belum diterima verifikasi")
        }
        return found
    }

    func decide(request: Layar_V1_DecideRequest, context: ServerContext) async throws -> Layar_V1_VerificationCase {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        let actor = try ActingStaff.username()
        var problems: [FieldProblem] = []
        switch request.decision {
        case .requestInformation(let ask) where ask.message.trimmingCharacters(in: .whitespaces).isEmpty:
            problems.append(FieldProblem("request_information.message", "Tuliskan apa yang diminta dari pemohon"))
        case .proposeRejection(let proposal):
            if proposal.reason == .unspecified || !Layar_V1_RejectionReason.allCases.contains(proposal.reason) {
                problems.append(FieldProblem("propose_rejection.reason", "Alasan penolakan wajib dipilih"))
            }
            if proposal.note.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldProblem("propose_rejection.note", "Keterangan penolakan wajib diisi"))
            }
        case nil:
            problems.append(FieldProblem("decision", "Pilih keputusan: verifikasi, minta informasi, atau usulkan penolakan"))
        default:
            break
        }
        try FieldViolations(problems).check()
        if let decision = request.decision {
            try await store.decide(id, decision, actor: actor, at: now)
        }
        return try await store.verificationCase(id)!
    }

    func confirmRejection(
        request: Layar_V1_ConfirmRejectionRequest, context: ServerContext
    ) async throws -> Layar_V1_VerificationCase {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        let supervisor = try ActingStaff.username()
        try await store.answerProposedRejection(id, confirm: request.confirm, supervisor: supervisor, note: request.note, at: now)
        return try await store.verificationCase(id)!
    }

    func getRegistrySnapshot(
        request: Layar_V1_GetRegistrySnapshotRequest, context: ServerContext
    ) async throws -> Layar_V1_RegistrySnapshot {
        guard let snapshot = try await store.snapshot() else {
            throw RPCError(code: .notFound, message: "Belum ada data DTSEN yang diimpor")
        }
        return snapshot
    }
}
