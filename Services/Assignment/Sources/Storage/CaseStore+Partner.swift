import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// What a partner agency may do, always scoped to its own institution code: another agency's
/// offer is answered exactly like an offer that does not exist.
extension CaseStore {
    func partnerOffers(institutionCode: String) async throws -> [Layar_V1_PartnerOffer] {
        try await pool.withConnection { try await partnerOffers(institutionCode: institutionCode, on: $0) }
    }

    struct PartnerAnswer: Sendable {
        var accept: Bool
        var reason: Layar_V1_DeclineReason
        var note: String
    }

    /// Accepts or declines a pending offer; a decline returns the case to its case worker.
    func answerOffer(
        _ offerID: OfferID, institutionCode: String, _ answer: PartnerAnswer, at time: Date
    ) async throws -> Layar_V1_PartnerOffer {
        try await changeOffer(offerID, institutionCode: institutionCode, expecting: .pending) { record, connection in
            let actor = "partner:\(institutionCode)"
            try await connection.query(
                """
                UPDATE offers SET status = $2, decline_reason = $3, note = $4, answered_at = $5 WHERE id = $1
                """,
                [
                    offerID, answer.accept ? OfferState.accepted.rawValue : OfferState.declined.rawValue,
                    answer.accept ? 0 : answer.reason.rawValue, answer.note, time,
                ]
            )
            let reason = answer.accept ? answer.note : answer.reason.code + (answer.note.isEmpty ? "" : ": \(answer.note)")
            try await move(
                &record, to: answer.accept ? .accepted : .assessed, as: answer.accept ? .accepted : .declined,
                fromParty: institutionCode, toParty: answer.accept ? institutionCode : record.workerID ?? "", reason: reason,
                declineReason: answer.accept ? .unspecified : answer.reason, actor: actor, at: time, institutionCode: institutionCode, offerID: offerID, on: connection
            )
        }
    }

    /// The institution admitted the person.
    func partnerAdmission(
        _ offerID: OfferID, institutionCode: String, on day: CivilDate, at time: Date
    ) async throws -> Layar_V1_PartnerOffer {
        try await changeOffer(offerID, institutionCode: institutionCode, expecting: .accepted) { record, connection in
            try await admit(&record, on: day, note: "", actor: "partner:\(institutionCode)", at: time, on: connection)
        }
    }

    /// The institution reports how the service ended.
    func partnerOutcome(
        _ offerID: OfferID, institutionCode: String, outcome: Layar_V1_ServiceOutcome, note: String, at time: Date
    ) async throws -> Layar_V1_PartnerOffer {
        try await changeOffer(offerID, institutionCode: institutionCode, expecting: .admitted) { record, connection in
            try await setOutcome(
                &record, outcome: outcome, note: note, actor: "partner:\(institutionCode)", at: time, on: connection
            )
        }
    }

    /// Locks the offer's case, then the offer, checks the offer belongs to the institution and is
    /// in `state`, runs `body`, and answers the offer as the institution sees it after.
    private func changeOffer(
        _ offerID: OfferID, institutionCode: String, expecting state: OfferState,
        _ body: @Sendable (inout CaseRecord, PostgresConnection) async throws -> Void
    ) async throws -> Layar_V1_PartnerOffer {
        try await pool.withTransaction { connection in
            let owned = try await connection.query(
                "SELECT case_id FROM offers WHERE id = $1 AND institution_code = $2", [offerID, institutionCode]
            )
            guard let caseID = try owned.first?.decode(UUID.self, "case_id") else { throw CaseActionError.offerNotFound }
            var record = try await lockCase(id: caseID, on: connection)
            let status = try await connection.query("SELECT status FROM offers WHERE id = $1 FOR UPDATE", [offerID])
            let current = OfferState(rawValue: try status[0].decode(String.self, "status"))
            guard current == state else {
                throw CaseActionError.notAllowed(Self.partnerRefusal(current ?? .revoked, wanted: state))
            }
            try await body(&record, connection)
            let offers = try await partnerOffers(institutionCode: institutionCode, on: connection)
            return offers.first { $0.offerID == offerID.description }!
        }
    }

    private func partnerOffers(institutionCode: String, on connection: PostgresConnection) async throws -> [Layar_V1_PartnerOffer] {
        try await connection.query(
            """
            SELECT o.id, o.status, o.letter_number, o.answer_due_at, o.outcome, o.sent_at, c.ppks_kind
            FROM offers o JOIN cases c ON c.id = o.case_id
            WHERE o.institution_code = $1 ORDER BY o.sent_at DESC LIMIT 500
            """, [institutionCode]
        ).map { row in
            try Layar_V1_PartnerOffer.with {
                $0.offerID = try row.decode(String.self, "id")
                $0.status = OfferState(rawValue: try row.decode(String.self, "status"))?.proto ?? .unspecified
                $0.letterNumber = try row.decode(String.self, "letter_number")
                $0.ppksKind = try row.decode(String.self, "ppks_kind")
                $0.answerDueAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "answer_due_at"))
                $0.outcome = Layar_V1_ServiceOutcome(rawValue: try row.decode(Int.self, "outcome")) ?? .unspecified
                $0.sentAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "sent_at"))
            }
        }
    }

    private static func partnerRefusal(_ current: OfferState, wanted: OfferState) -> String {
        switch current {
        case .expired: "Rujukan ini sudah kedaluwarsa karena tidak dijawab tepat waktu"
        case .revoked: "Rujukan ini sudah ditarik oleh Dinas Sosial"
        case .declined: "Rujukan ini sudah ditolak"
        default:
            switch wanted {
            case .pending: "Rujukan ini sudah dijawab"
            case .accepted: "Penerimaan hanya dapat dicatat untuk rujukan yang sudah disetujui dan belum dicatat masuk"
            default: "Hasil layanan hanya dapat dicatat setelah penerima layanan masuk dan sebelum hasil tercatat"
            }
        }
    }
}
