import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The case ledger, in the spirit of Primero's transitions: one append-only row per change
/// (type, from and to status, from and to party, reason, who, when), written with the change,
/// and announced as `CaseTransitioned` through the outbox unless the change has its own event.
struct CaseLedger: Sendable {
    let outbox: Outbox

    struct Entry: Sendable {
        var type: Layar_V1_TransitionType
        var from: CaseState?
        var to: CaseState
        var fromParty = ""
        var toParty = ""
        var reason = ""
        var actor: String
        var at: Date
        /// Why an institution declined (its note is in `reason`); announced, not kept in the ledger
        /// table (the offer keeps it).
        var declineReason: Layar_V1_DeclineReason = .unspecified
    }

    /// Records `entry` for `record`; with `announce` it is also queued as `CaseTransitioned`.
    func record(
        _ entry: Entry, for record: CaseRecord, announce: Bool = true, institutionCode: String = "",
        offerID: OfferID? = nil, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO case_transitions (case_id, type, from_status, to_status, from_party, to_party, reason, actor, at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            [
                record.id, entry.type.rawValue, entry.from?.rawValue, entry.to.rawValue, entry.fromParty, entry.toParty,
                entry.reason, entry.actor, entry.at,
            ]
        )
        guard announce else { return }
        var letterNumber = ""
        if let offerID {
            letterNumber = try await connection.query(
                "SELECT letter_number FROM offers WHERE id = $1", [offerID]
            ).first?.decode(String.self, "letter_number") ?? ""
        }
        try await outbox.append(Layar_V1_CaseTransitioned.with {
            $0.referralID = record.referralID
            $0.caseID = record.id.uuidString.lowercased()
            $0.transition = entry.proto
            $0.caseWorkerID = record.workerID ?? ""
            $0.institutionCode = institutionCode
            $0.offerID = offerID?.description ?? ""
            $0.letterNumber = letterNumber
        }, on: connection, at: entry.at)
    }
}

extension CaseLedger.Entry {
    var proto: Layar_V1_CaseTransition {
        .with {
            $0.type = type
            $0.fromStatus = from?.proto ?? .unspecified
            $0.toStatus = to.proto
            $0.fromParty = fromParty
            $0.toParty = toParty
            $0.reason = reason
            $0.actor = actor
            $0.at = Google_Protobuf_Timestamp(date: at)
            $0.declineReason = declineReason
        }
    }
}
