import Foundation
import GRPCCore
import LayarDomain
import LayarPostgres
import LayarSchema

/// A verifier's decision and a supervisor's answer to a proposed rejection, each one transaction
/// of the store on the referral locked in the state it must be in.
extension VerificationStore {
    /// Why a decision cannot be taken now: the caller gets its gRPC status (grpc-swift converts
    /// a thrown ``RPCErrorConvertible``; the audit log and metrics read the same code).
    enum DecisionRefusal: Error, Equatable, RPCErrorConvertible {
        /// Verification has not received the referral (yet).
        case notReceived
        /// The referral is not waiting for this decision.
        case notWaiting(VerificationState)
        /// The proposer of a rejection may not confirm or decline it.
        case ownProposal

        var rpcErrorCode: RPCError.Code {
            switch self {
            case .notReceived: .notFound
            case .notWaiting, .ownProposal: .failedPrecondition
            }
        }

        var rpcErrorMessage: String {
            switch self {
            case .notReceived: "Rujukan belum diterima verifikasi"
            case .notWaiting(let state): "Rujukan tidak sedang menunggu keputusan ini (status: \(state.rawValue))"
            case .ownProposal: "Penolakan harus dikonfirmasi oleh orang lain, bukan pengusulnya"
            }
        }
    }

    /// A verifier's decision on a queued referral.
    func decide(
        _ referralID: ReferralID, _ decision: Layar_V1_DecideRequest.OneOf_Decision, actor: String, at time: Date
    ) async throws {
        try await pool.withTransaction { connection in
            let stored = try await waiting(referralID.description, in: .queued, on: connection)
            switch decision {
            case .verify(let verify):
                try await self.verify(stored, result: nil, actor: actor, note: verify.note, action: .verified, at: time, on: connection)
            case .requestInformation(let ask):
                try await requestInformation(stored, missing: ask.missingDocuments, message: ask.message, actor: actor, at: time, on: connection)
            case .proposeRejection(let proposal):
                try await proposeRejection(stored, reason: proposal.reason, note: proposal.note, actor: actor, at: time, on: connection)
            }
        }
    }

    /// Another person's answer to a proposed rejection: confirmed, it takes effect; declined,
    /// the referral goes back to the queue.
    func answerProposedRejection(_ referralID: ReferralID, confirm: Bool, supervisor: String, note: String, at time: Date) async throws {
        try await pool.withTransaction { connection in
            let stored = try await waiting(referralID.description, in: .rejectionProposed, on: connection)
            guard stored.proposedBy != supervisor else { throw DecisionRefusal.ownProposal }
            if confirm {
                try await confirmRejection(stored, supervisor: supervisor, note: note, at: time, on: connection)
            } else {
                try await declineRejection(stored, supervisor: supervisor, note: note, at: time, on: connection)
            }
        }
    }

    /// The subject, locked, when it is in `state`.
    private func waiting(_ referralID: String, in state: VerificationState, on connection: PostgresConnection) async throws -> Stored {
        guard let stored = try await subject(referralID, on: connection) else { throw DecisionRefusal.notReceived }
        guard stored.state == state else { throw DecisionRefusal.notWaiting(stored.state) }
        return stored
    }
}
