import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// Data-subject requests (UU 27/2022): intake finds the person's referrals by NIK, does its own
/// part, records the request and announces it to the other services in one transaction, then
/// collects their answers. The retention job opens requests of its own through the same path.
extension IntakeStore {
    public enum DataSubjectError: Error, Equatable {
        /// No referral (not yet anonymised) for this NIK.
        case noReferrals
        /// Erasure asked while these referrals (tracking codes) are still open.
        case openReferrals([String])
    }

    /// Every service answers, intake first (in the opening transaction).
    static let answeringServices = ["intake", "verification", "assignment", "notification", "survey"]
    /// UU 27/2022: a data subject's request is answered within 3 × 24 hours.
    static let answerWindow: TimeInterval = 72 * 3600

    /// A referral a request covers, read once with the lock: intake's part needs nothing more.
    struct ReferralRef {
        var id: ReferralID
        var trackingCode: String
        var status: Layar_V1_ReferralStatus
        var sealedForm: [UInt8]
        var submittedAt: Date
        var updatedAt: Date
    }

    public func openDataSubjectRequest(
        nik: String, kind: Layar_V1_DataSubjectRequestKind, reason: String, correction: Layar_V1_PersonCorrection,
        openedBy: String
    ) async throws -> Layar_V1_DataSubjectRequest {
        let now = clock.now
        return try await pool.withTransaction { connection in
            let referrals = try await connection.query(
                """
                SELECT id, tracking_code, status, form, submitted_at, updated_at FROM referrals
                WHERE nik_index = $1 AND anonymised_at IS NULL ORDER BY submitted_at, id FOR UPDATE
                """, [cipher.blindIndex(nik, .nik)]
            ).map(Self.referralRef)
            guard !referrals.isEmpty else { throw DataSubjectError.noReferrals }
            let open = referrals.filter { !Layar_V1_ReferralStatus.closed.contains($0.status) }
            if kind == .erasure && !open.isEmpty { throw DataSubjectError.openReferrals(open.map(\.trackingCode)) }
            return try await openRequest(
                kind: kind, referrals: referrals, reason: reason, correction: correction, openedBy: openedBy, now: now,
                on: connection
            )
        }
    }

    /// Opens a retention request for up to `limit` referrals closed before `cutoff` and not yet
    /// anonymised; nil when there are none. Several instances share the work (SKIP LOCKED).
    public func openRetentionRequest(closedBefore cutoff: Date, limit: Int = 200, now: Date) async throws -> Layar_V1_DataSubjectRequest? {
        try await pool.withTransaction { connection in
            let referrals = try await connection.query(
                """
                SELECT id, tracking_code, status, form, submitted_at, updated_at FROM referrals
                WHERE anonymised_at IS NULL AND status = ANY ($1::integer[]) AND updated_at < $2
                ORDER BY updated_at, id LIMIT $3 FOR UPDATE SKIP LOCKED
                """, [Self.closedStatuses, cutoff, limit]
            ).map(Self.referralRef)
            guard !referrals.isEmpty else { return nil }
            return try await openRequest(
                kind: .retention, referrals: referrals, reason: "Masa retensi berakhir", correction: .init(),
                openedBy: "retention", now: now, on: connection
            )
        }
    }

    private func openRequest(
        kind: Layar_V1_DataSubjectRequestKind, referrals: [ReferralRef], reason: String, correction: Layar_V1_PersonCorrection,
        openedBy: String, now: Date, on connection: PostgresConnection
    ) async throws -> Layar_V1_DataSubjectRequest {
        let requestID = DataSubjectRequestID()
        let ids = referrals.map(\.id)
        // Submissions linked to these referrals: notification keeps their applicants' contacts
        // under their own ids, so an erasure names them too (an export does not: those are other
        // people's contacts).
        let linkedIDs = kind == .export || kind == .correction ? [] : try await connection.query(
            "SELECT id FROM linked_submissions WHERE referral_id = ANY ($1::uuid[]) ORDER BY submitted_at, id",
            [PostgresTextArray(ids.map(\.description))]
        ).map { try $0.decode(ReferralID.self, "id") }
        var records = referrals.count
        var export: [UInt8]?
        switch kind {
        case .export:
            export = cipher.seal(Array(try ExportJSON.text(try await exportPart(referrals, on: connection)).utf8), .exportPart)
        case .correction:
            records = try await correct(referrals, correction, on: connection)
        default:
            try await anonymise(referrals, at: now, on: connection)
        }
        try await connection.query(
            """
            INSERT INTO data_subject_requests (id, kind, opened_by, reason, referral_ids, tracking_codes, opened_at, due_at)
            VALUES ($1, $2, $3, $4, $5::uuid[], $6::text[], $7, $8)
            """,
            [
                requestID, kind.rawValue, openedBy, cipher.seal(reason, .requestReason),
                PostgresTextArray(ids.map(\.description)), PostgresTextArray(referrals.map(\.trackingCode)), now,
                now.addingTimeInterval(Self.answerWindow),
            ]
        )
        try await insertAnswer(requestID, service: "intake", records: records, sealedExport: export, at: now, on: connection)
        try await outbox.append(Layar_V1_DataSubjectRequested.with {
            $0.requestID = requestID.description
            $0.kind = kind
            $0.referralIds = (ids + linkedIDs).map(\.description)
            $0.trackingCodes = referrals.map(\.trackingCode)
            $0.correction = correction
            $0.requestedAt = Google_Protobuf_Timestamp(date: now)
        }, on: connection, at: now)
        return try await dataSubjectRequest(requestID, on: connection)!
    }

    /// Records another service's answer; the request completes with the last one.
    func recordAnswer(_ answered: Layar_V1_DataSubjectRequestAnswered, at time: Date, on connection: PostgresConnection) async throws {
        guard let requestID = DataSubjectRequestID(answered.requestID),
              Self.answeringServices.contains(answered.answer.service)
        else { throw EventRejection("answer to data-subject request \(answered.requestID) from '\(answered.answer.service)'") }
        let export = answered.answer.exportJson.isEmpty ? nil : cipher.seal(answered.answer.exportJson, .exportPart)
        try await insertAnswer(
            requestID, service: answered.answer.service, records: Int(answered.answer.records), sealedExport: export,
            at: answered.answer.answeredAt.date, on: connection
        )
        try await connection.query(
            """
            UPDATE data_subject_requests SET completed_at = $2
            WHERE id = $1 AND completed_at IS NULL
                AND (SELECT count(*) FROM data_subject_answers WHERE request_id = $1) >= $3
            """, [requestID, time, Self.answeringServices.count]
        )
    }

    private func insertAnswer(
        _ requestID: DataSubjectRequestID, service: String, records: Int, sealedExport: [UInt8]?, at time: Date, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO data_subject_answers (request_id, service, answered_at, records, export_json)
            SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM data_subject_requests WHERE id = $1)
            ON CONFLICT (request_id, service) DO NOTHING
            """, [requestID, service, time, records, sealedExport]
        )
    }

    public func dataSubjectRequest(_ id: DataSubjectRequestID) async throws -> Layar_V1_DataSubjectRequest? {
        try await pool.withConnection { try await dataSubjectRequest(id, on: $0) }
    }

    func dataSubjectRequest(_ id: DataSubjectRequestID, on connection: PostgresConnection) async throws -> Layar_V1_DataSubjectRequest? {
        guard let row = try await connection.query(
            """
            SELECT id, kind, opened_by, reason, referral_ids::text[] AS referral_ids, opened_at, due_at, completed_at
            FROM data_subject_requests WHERE id = $1
            """, [id]
        ).first else { return nil }
        let answers = try await connection.query(
            "SELECT service, answered_at, records, export_json FROM data_subject_answers WHERE request_id = $1 ORDER BY answered_at, service",
            [id]
        ).map { answer in
            try Layar_V1_DataSubjectAnswer.with {
                $0.service = try answer.decode(String.self, "service")
                $0.answeredAt = Google_Protobuf_Timestamp(date: try answer.decode(Date.self, "answered_at"))
                $0.records = try answer.decode(Int32.self, "records")
                $0.exportJson = try answer.decode([UInt8]?.self, "export_json").map { try cipher.openString($0, .exportPart) } ?? ""
            }
        }
        return try Layar_V1_DataSubjectRequest.with {
            $0.requestID = try row.decode(String.self, "id")
            $0.kind = Layar_V1_DataSubjectRequestKind(rawValue: try row.decode(Int.self, "kind")) ?? .unspecified
            $0.openedBy = try row.decode(String.self, "opened_by")
            $0.reason = try cipher.openString(try row.decode([UInt8].self, "reason"), .requestReason)
            $0.referralIds = try row.decode(PostgresTextArray.self, "referral_ids").elements
            $0.openedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "opened_at"))
            $0.dueAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "due_at"))
            if let completed = try row.decode(Date?.self, "completed_at") {
                $0.completedAt = Google_Protobuf_Timestamp(date: completed)
            }
            $0.status = $0.hasCompletedAt ? .completed : .inProgress
            $0.answers = answers
        }
    }

    private static func referralRef(_ row: PostgresRow) throws -> ReferralRef {
        ReferralRef(
            id: try row.decode(ReferralID.self, "id"), trackingCode: try row.decode(String.self, "tracking_code"),
            status: Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified,
            sealedForm: try row.decode([UInt8].self, "form"), submittedAt: try row.decode(Date.self, "submitted_at"),
            updatedAt: try row.decode(Date.self, "updated_at")
        )
    }

    // MARK: - Intake's own part

    /// One referral as intake holds it, for an export.
    struct ExportedReferral: Encodable, Sendable {
        var referralID: String
        var trackingCode: String
        var status: String
        var submittedAt: Date
        var updatedAt: Date
        /// The form as submitted; document bytes are listed in `documents`, fetched with GetDocument.
        var form: JSONValue
        var documents: [ExportedDocument]
        var timeline: [ExportedStep]
    }

    struct ExportedDocument: Encodable, Sendable {
        var documentID: String
        var kind: String
        var fileName: String
        var mediaType: String
        var sizeBytes: Int
        var sha256: String
        var addedAt: Date
    }

    struct ExportedStep: Encodable, Sendable {
        var status: String
        var at: Date
        var explanation: String
    }

    private func exportPart(_ referrals: [ReferralRef], on connection: PostgresConnection) async throws -> [ExportedReferral] {
        var exported: [ExportedReferral] = []
        for referral in referrals {
            let id = referral.id
            var form = try openForm(referral.sealedForm)
            form.documents = []
            let documents = try await connection.query(
                "SELECT id, kind, file_name, media_type, size_bytes, sha256, added_at FROM documents WHERE referral_id = $1 ORDER BY added_at, id",
                [id]
            ).map { document in
                ExportedDocument(
                    documentID: try document.decode(String.self, "id"),
                    kind: "\(Layar_V1_DocumentKind(rawValue: try document.decode(Int.self, "kind")) ?? .unspecified)",
                    fileName: try cipher.openString(try document.decode([UInt8].self, "file_name"), .documentFileName),
                    mediaType: try document.decode(String.self, "media_type"), sizeBytes: try document.decode(Int.self, "size_bytes"),
                    sha256: try document.decode(String.self, "sha256"), addedAt: try document.decode(Date.self, "added_at")
                )
            }
            let timeline = try await connection.query(
                "SELECT status, at, explanation FROM timeline WHERE referral_id = $1 ORDER BY at, id", [id]
            ).map { step in
                ExportedStep(
                    status: "\(Layar_V1_ReferralStatus(rawValue: try step.decode(Int.self, "status")) ?? .unspecified)",
                    at: try step.decode(Date.self, "at"), explanation: try step.decode(String.self, "explanation")
                )
            }
            exported.append(ExportedReferral(
                referralID: id.description, trackingCode: referral.trackingCode, status: "\(referral.status)",
                submittedAt: referral.submittedAt, updatedAt: referral.updatedAt,
                form: try JSONValue(form), documents: documents, timeline: timeline
            ))
        }
        return exported
    }

    /// Sets the corrected fields in each referral's stored form; how many forms changed.
    private func correct(
        _ referrals: [ReferralRef], _ correction: Layar_V1_PersonCorrection, on connection: PostgresConnection
    ) async throws -> Int {
        var changed = 0
        for referral in referrals {
            let original = try openForm(referral.sealedForm)
            var form = original
            if !correction.fullName.isEmpty { form.person.fullName = correction.fullName }
            if !correction.birthPlace.isEmpty { form.person.birthPlace = correction.birthPlace }
            if !correction.street.isEmpty { form.person.address.street = correction.street }
            if !correction.phone.isEmpty {
                // The number messages go to: the applicant's, or the person's own when they applied themselves.
                if form.applicant.phone.isEmpty { form.person.phone = correction.phone } else { form.applicant.phone = correction.phone }
            }
            if !correction.email.isEmpty { form.applicant.email = correction.email }
            guard form != original else { continue }
            try await connection.query(
                "UPDATE referrals SET form = $2 WHERE id = $1",
                [referral.id, cipher.seal(try form.serializedBytes() as [UInt8], .referralForm)]
            )
            changed += 1
        }
        return changed
    }

    /// Keeps of each referral only what the office's figures count (kecamatan, PPKS kind, needs,
    /// dates, status, the consent's record) and removes the rest: identity, contact, description,
    /// documents, the link to the person's other referrals.
    private func anonymise(_ referrals: [ReferralRef], at time: Date, on connection: PostgresConnection) async throws {
        for referral in referrals {
            let form = try openForm(referral.sealedForm)
            let kept = Layar_V1_ReferralForm.with {
                $0.person.address.kecamatanCode = form.person.address.kecamatanCode
                $0.ppksKind = form.ppksKind
                $0.needs = form.needs
                $0.urgency = form.urgency
                $0.channel = form.channel
                $0.consent.given = form.consent.given
                $0.consent.giver = form.consent.giver
                $0.consent.channel = form.consent.channel
                $0.consent.purposes = form.consent.purposes
            }
            try await connection.query(
                """
                UPDATE referrals SET form = $2, nik_index = sha256(gen_random_uuid()::text::bytea), desa_code = '',
                    birth_date = make_date(extract(year FROM birth_date)::integer, 1, 1), anonymised_at = $3,
                    tracking_pin = NULL, match_name = NULL
                WHERE id = $1
                """, [referral.id, cipher.seal(try kept.serializedBytes() as [UInt8], .referralForm), time]
            )
        }
        let list = PostgresTextArray(referrals.map(\.id.description))
        try await connection.query("DELETE FROM documents WHERE referral_id = ANY ($1::uuid[])", [list])
        try await connection.query("DELETE FROM linked_submissions WHERE referral_id = ANY ($1::uuid[])", [list])
        // The person's pseudonymous id stays (counts of people), unlinked from the NIK once no
        // referral of theirs keeps it.
        try await connection.query(
            """
            UPDATE persons p SET nik_index = sha256(gen_random_uuid()::text::bytea)
            WHERE p.id IN (SELECT person_id FROM referrals WHERE id = ANY ($1::uuid[]))
                AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.person_id = p.id AND r.anonymised_at IS NULL)
            """, [list]
        )
    }

    func openForm(_ sealed: [UInt8]) throws -> Layar_V1_ReferralForm {
        try Layar_V1_ReferralForm(serializedBytes: try cipher.open(sealed, .referralForm))
    }
}
