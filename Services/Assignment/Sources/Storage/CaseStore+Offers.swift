import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// Referral offers to institutions: suggestions, sending, revoking and withdrawing. Offers and
/// their withdrawals are published on the institution's own topic through the outbox.
extension CaseStore {
    struct OfferDraft: Sendable {
        var institutionCode: String
        var letterNumber: String
        var summary: String
        var personName: String
    }

    /// Institutions that fit the case, best first, leaving out those that already declined it
    /// or let an offer for it expire.
    func suggestInstitutions(referralID: ReferralID) async throws -> [Layar_V1_Institution] {
        try await pool.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT c.ppks_kind, c.service, c.kecamatan_code,
                    coalesce(array_agg(o.institution_code) FILTER (WHERE o.status IN ('declined', 'expired')), '{}') AS tried
                FROM cases c LEFT JOIN offers o ON o.case_id = c.id WHERE c.referral_id = $1 GROUP BY c.id
                """, [referralID])
            guard let row = rows.first else { throw CaseActionError.caseNotFound }
            let need = InstitutionMatcher.Need(
                ppksKind: try row.decode(String.self, "ppks_kind"),
                service: Layar_V1_Need(rawValue: try row.decode(Int.self, "service")) ?? .unspecified,
                kecamatanCode: try row.decode(String.self, "kecamatan_code"),
                excluded: Set(try row.decode(PostgresTextArray.self, "tried").elements)
            )
            return InstitutionMatcher.suggest(for: need, among: try await RegistryStore.institutions(on: connection))
        }
    }

    /// Sends an offer for an assessed case routed to an institution.
    func sendOffer(referralID: ReferralID, _ draft: OfferDraft, actor: String, at time: Date) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            try record.require([.assessed], toDo: "dirujuk sekarang")
            guard record.route == .refer else {
                throw CaseActionError.notAllowed("Asesmen kasus ini memilih layanan oleh daerah sendiri, bukan rujukan ke lembaga")
            }
            guard let institution = try await RegistryStore.institution(code: draft.institutionCode, on: connection),
                institution.active
            else {
                throw CaseActionError.invalidField(field: "institution_code", message: "Lembaga tidak ditemukan atau tidak aktif")
            }
            if institution.requiresIdentification && draft.personName.isEmpty {
                throw CaseActionError.invalidField(
                    field: "person_name", message: "Nama wajib diisi karena lembaga ini memerlukan identitas"
                )
            }
            let offerID = OfferID()
            let offer = try await offerMessage(
                id: offerID, for: record, to: institution, draft: draft, at: time, on: connection
            )
            try await connection.query(
                """
                INSERT INTO offers (id, case_id, institution_code, letter_number, status, sent_at, answer_due_at)
                VALUES ($1, $2, $3, $4, 'pending', $5, $6)
                """,
                [offerID, record.id, institution.code, draft.letterNumber, time, offer.answerDueAt.date]
            )
            try await move(
                &record, to: .offered, as: .offered, fromParty: record.workerID ?? "", toParty: institution.code,
                reason: draft.letterNumber, actor: actor, at: time, institutionCode: institution.code, offerID: offerID,
                on: connection
            )
            try await outbox.append(offer, topic: LayarTopic.partnerOffers(prefix: institution.topicPrefix), on: connection, at: time)
        }
    }

    /// The sender takes back the live offer; the case returns to the case worker.
    func revokeOffer(referralID: ReferralID, reason: String, actor: String, at time: Date) async throws -> Layar_V1_Case {
        try await change(referralID: referralID) { record, connection in
            try record.require([.offered, .accepted], toDo: "ditarik rujukannya")
            let institution = try await withdrawLiveOffer(of: record, as: .revoked, note: reason, at: time, on: connection)
            try await move(
                &record, to: .assessed, as: .revoked, fromParty: institution?.code ?? "", toParty: record.workerID ?? "",
                reason: reason, actor: actor, at: time, institutionCode: institution?.code ?? "",
                offerID: institution?.offerID, on: connection
            )
        }
    }

    /// Ends the case's pending or accepted offer as revoked or expired and tells the institution.
    /// Answers the offer and institution concerned, nil when there was none.
    @discardableResult
    func withdrawLiveOffer(
        of record: CaseRecord, as state: OfferState, note: String, at time: Date, on connection: PostgresConnection
    ) async throws -> (code: String, offerID: OfferID)? {
        let rows = try await connection.query(
            """
            UPDATE offers o SET status = $2, note = $3, answered_at = coalesce(o.answered_at, $4)
            FROM institutions i
            WHERE i.code = o.institution_code AND o.case_id = $1 AND o.status IN ('pending', 'accepted')
            RETURNING o.id, o.institution_code, i.topic_prefix
            """, [record.id, state.rawValue, note, time])
        guard let row = rows.first else { return nil }
        let offerID = try row.decode(OfferID.self, "id")
        try await outbox.append(Layar_Partner_V1_ReferralOfferWithdrawn.with {
            $0.offerID = offerID.description
            $0.reason = state == .expired ? "EXPIRED" : "REVOKED"
            $0.note = note
            $0.withdrawnAt = Google_Protobuf_Timestamp(date: time)
        }, topic: LayarTopic.partnerOffers(prefix: try row.decode(String.self, "topic_prefix")), on: connection, at: time)
        return (try row.decode(String.self, "institution_code"), offerID)
    }

    /// What the institution receives: the person's identity only when it must identify them.
    private func offerMessage(
        id: OfferID, for record: CaseRecord, to institution: Layar_V1_Institution, draft: OfferDraft, at time: Date,
        on connection: PostgresConnection
    ) async throws -> Layar_Partner_V1_ReferralOffer {
        let people = try await connection.query(
            """
            SELECT p.nik, p.sex, p.desa_code, p.is_child, p.needs, p.estimated_age IS NOT NULL AS identity_unknown,
                coalesce(date_part('year', age(($2::timestamptz AT TIME ZONE 'Asia/Makassar')::date, p.birth_date))::integer,
                    p.estimated_age) AS age
            FROM referral_people p WHERE p.referral_id = $1::uuid
            """, [record.referralID, time])
        if institution.requiresIdentification && people.isEmpty {
            throw CaseActionError.notAllowed("Data identitas rujukan ini belum diterima dari layanan penerimaan")
        }
        let workers = try await connection.query("SELECT name FROM case_workers WHERE id = $1", [record.workerID ?? ""])
        var offer = Layar_Partner_V1_ReferralOffer.with {
            $0.offerID = id.description
            $0.institutionCode = institution.code
            $0.letterNumber = draft.letterNumber
            $0.ppksKind = record.ppksKind
            $0.ppksName = PPKSKind.all[record.ppksKind]?.name ?? ""
            $0.urgency = (Layar_V1_Urgency(rawValue: Int(record.urgency)) ?? .unspecified).code
            $0.kecamatanCode = record.kecamatanCode
            $0.kecamatanName = BalanganRegions.kecamatan[record.kecamatanCode] ?? ""
            $0.summary = draft.summary
            $0.caseWorkerName = (try? workers.first?.decode(String.self, "name")) ?? ""
            $0.officeContact = officeContact
            $0.sentAt = Google_Protobuf_Timestamp(date: time)
            $0.answerDueAt = Google_Protobuf_Timestamp(date: deadlines.answerDue(sentAt: time))
        }
        if let person = people.first {
            offer.sex = (Layar_V1_Sex(rawValue: try person.decode(Int.self, "sex")) ?? .unspecified).code
            offer.ageYears = try person.decode(Int32.self, "age")
            offer.isChild = try person.decode(Bool.self, "is_child")
            offer.desaCode = try person.decode(String.self, "desa_code")
            offer.identityUnknown = try person.decode(Bool.self, "identity_unknown")
            offer.needs = try person.decode(PostgresTextArray.self, "needs").enumValues(Layar_V1_Need.self).map(\.code)
            if institution.requiresIdentification {
                offer.nik = try cipher.openString(try person.decode([UInt8].self, "nik"), .personNIK)
                offer.personName = draft.personName
            }
        }
        return offer
    }
}
