import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// The only place with intake's SQL: storing referrals with their documents and events (one
/// transaction each), the applicant's timeline, and the tracking checks.
public struct IntakeStore: Sendable {
    let pool: PostgresPool
    let outbox: Outbox
    let cipher: PersonalDataCipher
    /// When submissions, tracking attempts and withdrawals happen (and the outbox's stamps).
    let clock: LayarClock

    public init(pool: PostgresPool, cipher: PersonalDataCipher, clock: LayarClock) {
        self.pool = pool
        self.outbox = Outbox(cipher: cipher, clock: clock)
        self.cipher = cipher
        self.clock = clock
    }

    /// A `request_id` already used with another form: nothing is stored, and the earlier
    /// submission is not disclosed.
    public struct RequestReused: Error {}

    public struct Submission: Sendable, Equatable {
        public var referralID: UUID
        public var trackingCode: String
        public var status: Layar_V1_ReferralStatus
        public var linkedToExisting: Bool
    }

    /// Stores a validated form. A retry with the same `requestID` and the same form returns the
    /// first answer (the same `requestID` with another form throws ``RequestReused``); a person
    /// with an open referral gets that one back (linked), not a second case. Races between
    /// concurrent submissions are settled by unique indexes and one more attempt.
    public func submit(_ form: Layar_V1_ReferralForm, requestID: UUID?) async throws -> Submission {
        let now = clock.now
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await submitOnce(form, requestID: requestID, now: now)
            } catch let error as PostgresError where error.isUniqueViolation && attempt < 3 {
                continue  // A concurrent twin won: the next attempt finds it.
            }
        }
    }

    private func submitOnce(_ form: Layar_V1_ReferralForm, requestID: UUID?, now: Date) async throws -> Submission {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let formBytes: [UInt8] = try form.serializedBytes(options: options)
        let fingerprint = cipher.blindIndex(Data(formBytes).base64EncodedString(), .requestBody)
        return try await pool.withTransaction { connection in
            if let requestID, let earlier = try await submission(forRequest: requestID, fingerprint: fingerprint, on: connection) {
                return earlier
            }
            let sealedForm = cipher.seal(formBytes, .referralForm)
            let nikIndex = cipher.blindIndex(form.person.nik, .nik)
            if let open = try await connection.query(
                """
                SELECT id, tracking_code, status, request_id, request_fingerprint FROM referrals
                WHERE nik_index = $1 AND status <> ALL ($2::integer[]) FOR UPDATE
                """,
                [nikIndex, Self.closedStatuses]
            ).first {
                let referralID = try open.decode(UUID.self, "id")
                // The open referral may be this very request, committed by a concurrent retry
                // after our first look.
                let openRequestID = try open.decode(UUID?.self, "request_id")
                if requestID != nil && openRequestID == requestID {
                    guard try open.decode([UInt8]?.self, "request_fingerprint").map({ $0 == fingerprint }) ?? true else { throw RequestReused() }
                    return try Submission(open, linked: false)
                }
                try await connection.query(
                    """
                    INSERT INTO linked_submissions (id, referral_id, request_id, form, submitted_at, request_fingerprint)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """,
                    [UUID(), referralID, requestID, sealedForm, now, fingerprint]
                )
                return try Submission(open, linked: true)
            }
            let id = UUID()
            let personID = try await connection.query(
                """
                INSERT INTO persons (id, nik_index) VALUES ($1, $2)
                ON CONFLICT (nik_index) DO UPDATE SET nik_index = EXCLUDED.nik_index RETURNING id
                """, [UUID(), nikIndex]
            ).first!.decode(UUID.self, "id")
            let code = try await insertReferral(
                id: id, personID: personID, form: form, sealedForm: sealedForm, nikIndex: nikIndex, requestID: requestID,
                fingerprint: fingerprint, now: now, on: connection
            )
            let documents = form.documents.map(StoredDocument.init)
            try await insert(documents, referralID: id, now: now, on: connection)
            try await appendTimeline(id, .submitted, at: now, explanation: StatusExplanation.text(for: .submitted), on: connection)
            var submitted = submittedEvent(id: id, code: code, form: form, documents: documents, now: now)
            submitted.personID = personID.uuidString.lowercased()
            try await outbox.append(submitted, on: connection, at: now)
            try await outbox.append(Layar_V1_ApplicantContactRecorded.with {
                $0.referralID = id.uuidString.lowercased()
                $0.trackingCode = code
                $0.phone = PhoneNumber.normalized(form.applicant.phone.isEmpty ? form.person.phone : form.applicant.phone) ?? ""
                $0.email = form.applicant.email
                $0.preferredChannel = form.applicant.preferredChannel
                $0.consentPurposes = form.consent.purposes
            }, on: connection, at: now)
            return Submission(referralID: id, trackingCode: code, status: .submitted, linkedToExisting: false)
        }
    }

    static let closedStatuses = PostgresTextArray(enumValues: Layar_V1_ReferralStatus.closed)

    /// The answer given to `requestID` before, when it came with the same form (`fingerprint`).
    private func submission(forRequest requestID: UUID, fingerprint: [UInt8], on connection: PostgresConnection) async throws -> Submission? {
        guard let row = try await connection.query(
            """
            SELECT r.id, r.tracking_code, r.status, false AS linked, r.request_fingerprint FROM referrals r WHERE r.request_id = $1
            UNION ALL
            SELECT r.id, r.tracking_code, r.status, true, l.request_fingerprint
            FROM linked_submissions l JOIN referrals r ON r.id = l.referral_id
            WHERE l.request_id = $1
            """, [requestID]
        ).first else { return nil }
        guard try row.decode([UInt8]?.self, "request_fingerprint").map({ $0 == fingerprint }) ?? true else { throw RequestReused() }
        return try Submission(row, linked: try row.decode(Bool.self, "linked"))
    }

    /// Inserts the referral under a fresh tracking code (drawing again on the rare collision).
    private func insertReferral(
        id: UUID, personID: UUID, form: Layar_V1_ReferralForm, sealedForm: [UInt8], nikIndex: [UInt8], requestID: UUID?,
        fingerprint: [UInt8], now: Date, on connection: PostgresConnection
    ) async throws -> String {
        let birth = CivilDate(form.person.birthDate)
        let urgency = form.urgency == .unspecified ? Layar_V1_Urgency.normal : form.urgency
        while true {
            let code = TrackingCode.generate()
            let inserted = try await connection.query(
                """
                INSERT INTO referrals (id, tracking_code, nik_index, birth_date, kecamatan_code, desa_code,
                    ppks_kind, urgency, channel, form, consent_purposes, consented_at,
                    status, status_progress, submitted_at, updated_at, request_id, is_child, consent_giver,
                    consent_channel, operator_id, person_id, request_fingerprint)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $12, $12, $15, $16,
                    $17, $18, $19, $20, $21)
                ON CONFLICT (tracking_code) DO NOTHING
                """,
                [
                    id, code, nikIndex, birth.description, form.person.address.kecamatanCode,
                    form.person.address.desaCode, form.ppksKind, urgency.rawValue, form.channel.rawValue, sealedForm,
                    PostgresTextArray(form.consent.purposes.map { "\($0)" }), now,
                    Layar_V1_ReferralStatus.submitted.rawValue, Layar_V1_ReferralStatus.submitted.progress, requestID,
                    form.person.isChild, form.consent.giver.rawValue, form.consent.channel.rawValue, form.operatorID,
                    personID, fingerprint,
                ]
            )
            if inserted.affectedRows == 1 { return code }
        }
    }

    private func submittedEvent(
        id: UUID, code: String, form: Layar_V1_ReferralForm, documents: [StoredDocument], now: Date
    ) -> Layar_V1_ReferralSubmitted {
        .with {
            $0.referralID = id.uuidString.lowercased()
            $0.trackingCode = code
            $0.nik = form.person.nik
            $0.birthDate = form.person.birthDate
            $0.sex = form.person.sex
            $0.kecamatanCode = form.person.address.kecamatanCode
            $0.desaCode = form.person.address.desaCode
            $0.ppksKind = form.ppksKind
            $0.urgency = form.urgency == .unspecified ? .normal : form.urgency
            $0.channel = form.channel
            $0.submittedAt = Google_Protobuf_Timestamp(date: now)
            $0.isChild = form.person.isChild
            $0.needs = form.needs
            $0.documents = documents.map(\.info)
            $0.consentPurposes = form.consent.purposes
        }
    }

    private func insert(_ documents: [StoredDocument], referralID: UUID, now: Date, on connection: PostgresConnection) async throws {
        for document in documents {
            try await connection.query(
                """
                INSERT INTO documents (id, referral_id, kind, file_name, media_type, size_bytes, sha256, content, added_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                [
                    document.id, referralID, document.upload.kind.rawValue, cipher.seal(document.upload.fileName, .documentFileName),
                    document.mediaType, document.upload.content.count, document.sha256,
                    cipher.seal(document.upload.content, .documentContent), now,
                ]
            )
        }
    }

    func appendTimeline(
        _ referralID: UUID, _ status: Layar_V1_ReferralStatus, at time: Date, explanation: String,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            "INSERT INTO timeline (referral_id, status, at, explanation) VALUES ($1, $2, $3, $4)",
            [referralID, status.rawValue, time, explanation]
        )
    }

    // MARK: - The applicant's side: tracking code + birth date

    /// A referral as the applicant may act on it, locked for the caller's transaction.
    struct Tracked {
        var id: UUID
        var status: Layar_V1_ReferralStatus
    }

    public enum TrackingError: Error, Equatable {
        /// Wrong code or birth date (deliberately the same answer for both).
        case notFound
        /// Too many wrong attempts on this code recently.
        case throttled
        /// The referral is not in a status that allows the action.
        case notAllowed(Layar_V1_ReferralStatus)
    }

    /// Wrong attempts allowed per code in ``throttleWindow`` before answers are refused.
    static let maximumFailures = 5
    static let throttleWindowSeconds = 15 * 60

    /// Finds the referral for a tracking key inside the caller's transaction, recording wrong
    /// attempts (in their own statement, so a rollback does not erase them) and refusing a code
    /// that had too many.
    func tracked(_ key: Layar_V1_TrackingKey, now: Date, on connection: PostgresConnection) async throws -> Tracked {
        let code = key.trackingCode.uppercased()
        let failures = try await pool.query(
            "SELECT count(*) AS n FROM tracking_failures WHERE tracking_code = $1 AND failed_at > $2",
            [code, now.addingTimeInterval(-Double(Self.throttleWindowSeconds))]
        ).first!.decode(Int.self, "n")
        guard failures < Self.maximumFailures else { throw TrackingError.throttled }
        let birth = CivilDate(key.birthDate)
        let row = birth.isValid ? try await connection.query(
            "SELECT id, status FROM referrals WHERE tracking_code = $1 AND birth_date = $2::date FOR UPDATE",
            [code, birth.description]
        ).first : nil
        guard let row else {
            try await pool.query("INSERT INTO tracking_failures (tracking_code, failed_at) VALUES ($1, $2)", [code, now])
            throw TrackingError.notFound
        }
        return Tracked(
            id: try row.decode(UUID.self, "id"),
            status: Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
        )
    }

    public func statusView(_ key: Layar_V1_TrackingKey) async throws -> Layar_V1_ReferralStatusView {
        try await pool.withTransaction { connection in
            let tracked = try await tracked(key, now: clock.now, on: connection)
            return try await statusView(of: tracked.id, on: connection)
        }
    }

    /// Adds the documents verification asked for and sends the referral back to verification.
    public func addDocuments(
        _ uploads: [Layar_V1_DocumentUpload], key: Layar_V1_TrackingKey
    ) async throws -> Layar_V1_ReferralStatusView {
        let now = clock.now
        return try await pool.withTransaction { connection in
            let tracked = try await tracked(key, now: now, on: connection)
            guard tracked.status == .needsDocuments else { throw TrackingError.notAllowed(tracked.status) }
            let documents = uploads.map(StoredDocument.init)
            try await insert(documents, referralID: tracked.id, now: now, on: connection)
            try await setStatus(tracked.id, .submitted, missingDocuments: [], at: now, on: connection)
            try await appendTimeline(
                tracked.id, .submitted, at: now,
                explanation: "Dokumen tambahan diterima. Rujukan diperiksa kembali oleh petugas.", on: connection
            )
            let all = try await documentInfos(of: tracked.id, on: connection)
            try await outbox.append(Layar_V1_ReferralDocumentsAdded.with {
                $0.referralID = tracked.id.uuidString.lowercased()
                $0.documents = documents.map(\.info)
                $0.allDocuments = all
                $0.addedAt = Google_Protobuf_Timestamp(date: now)
            }, on: connection, at: now)
            return try await statusView(of: tracked.id, on: connection)
        }
    }

    /// Withdraws a referral that is still open.
    public func withdraw(
        _ key: Layar_V1_TrackingKey, reason: String
    ) async throws -> Layar_V1_ReferralStatusView {
        let now = clock.now
        return try await pool.withTransaction { connection in
            let tracked = try await tracked(key, now: now, on: connection)
            guard !Layar_V1_ReferralStatus.closed.contains(tracked.status) else {
                throw TrackingError.notAllowed(tracked.status)
            }
            try await setStatus(tracked.id, .withdrawn, missingDocuments: [], at: now, on: connection)
            try await appendTimeline(tracked.id, .withdrawn, at: now, explanation: StatusExplanation.text(for: .withdrawn), on: connection)
            try await outbox.append(Layar_V1_ReferralWithdrawn.with {
                $0.referralID = tracked.id.uuidString.lowercased()
                $0.reason = reason
                $0.withdrawnAt = Google_Protobuf_Timestamp(date: now)
            }, on: connection, at: now)
            return try await statusView(of: tracked.id, on: connection)
        }
    }

    private func setStatus(
        _ id: UUID, _ status: Layar_V1_ReferralStatus, missingDocuments: [Layar_V1_DocumentKind], at time: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            UPDATE referrals SET status = $2, status_progress = $3, updated_at = $4, missing_documents = $5::integer[],
                status_note = $6
            WHERE id = $1
            """,
            [
                id, status.rawValue, status.progress, time,
                PostgresTextArray(enumValues: missingDocuments),
                StatusExplanation.text(for: status, missingDocuments: missingDocuments),
            ]
        )
    }

    private func documentInfos(of id: UUID, on connection: PostgresConnection) async throws -> [Layar_V1_DocumentInfo] {
        try await connection.query(
            "SELECT id, kind, media_type, size_bytes, sha256 FROM documents WHERE referral_id = $1 ORDER BY added_at, kind, id", [id]
        ).map(Self.documentInfo)
    }

    private static func documentInfo(_ row: PostgresRow) throws -> Layar_V1_DocumentInfo {
        try Layar_V1_DocumentInfo.with {
            $0.documentID = try row.decode(String.self, "id")
            $0.kind = Layar_V1_DocumentKind(rawValue: try row.decode(Int.self, "kind")) ?? .unspecified
            $0.mediaType = try row.decode(String.self, "media_type")
            $0.sizeBytes = try row.decode(Int64.self, "size_bytes")
            $0.sha256 = try row.decode(String.self, "sha256")
        }
    }

    private func statusView(of id: UUID, on connection: PostgresConnection) async throws -> Layar_V1_ReferralStatusView {
        let row = try await connection.query(
            "SELECT tracking_code, status, status_note, missing_documents FROM referrals WHERE id = $1", [id]
        ).first!
        let timeline = try await connection.query(
            "SELECT status, at, explanation FROM timeline WHERE referral_id = $1 ORDER BY at, id", [id]
        ).map { entry in
            try Layar_V1_TimelineEntry.with {
                $0.status = Layar_V1_ReferralStatus(rawValue: try entry.decode(Int.self, "status")) ?? .unspecified
                $0.at = Google_Protobuf_Timestamp(date: try entry.decode(Date.self, "at"))
                $0.explanation = try entry.decode(String.self, "explanation")
            }
        }
        let documents = try await documentInfos(of: id, on: connection)
        return try Layar_V1_ReferralStatusView.with {
            $0.trackingCode = try row.decode(String.self, "tracking_code")
            $0.status = Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
            $0.explanation = try row.decode(String.self, "status_note")
            $0.timeline = timeline
            $0.missingDocuments = try row.decode(PostgresTextArray.self, "missing_documents").enumValues()
            $0.documents = documents
        }
    }

    // MARK: - Staff view and the status projection

    public enum Key: Sendable {
        case trackingCode(String)
        case id(UUID)
    }

    public func summary(_ key: Key) async throws -> Layar_V1_ReferralSummary? {
        try await pool.withConnection { connection in
            let rows: PostgresRows
            switch key {
            case .trackingCode(let code):
                rows = try await connection.query(
                    """
                    SELECT id, tracking_code, status, status_note, ppks_kind, case_worker_name, submitted_at, updated_at
                    FROM referrals WHERE tracking_code = $1
                    """, [code])
            case .id(let id):
                rows = try await connection.query(
                    """
                    SELECT id, tracking_code, status, status_note, ppks_kind, case_worker_name, submitted_at, updated_at
                    FROM referrals WHERE id = $1
                    """, [id])
            }
            guard let row = rows.first else { return nil }
            let documents = try await documentInfos(of: try row.decode(UUID.self, "id"), on: connection)
            return try Layar_V1_ReferralSummary.with {
                $0.referralID = try row.decode(String.self, "id")
                $0.trackingCode = try row.decode(String.self, "tracking_code")
                $0.status = Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
                $0.statusNote = try row.decode(String.self, "status_note")
                $0.ppksKind = try row.decode(String.self, "ppks_kind")
                $0.caseWorkerName = try row.decode(String.self, "case_worker_name")
                $0.submittedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "submitted_at"))
                $0.updatedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "updated_at"))
                $0.documents = documents
            }
        }
    }

    /// One document of a referral, with its bytes (staff only).
    public func document(_ documentID: UUID, of referralID: UUID) async throws -> Layar_V1_DocumentContent? {
        let rows = try await pool.query(
            """
            SELECT id, kind, media_type, size_bytes, sha256, content FROM documents WHERE id = $1 AND referral_id = $2
            """, [documentID, referralID])
        return try rows.first.map { row in
            try Layar_V1_DocumentContent.with {
                $0.info = try Self.documentInfo(row)
                $0.content = Data(try cipher.open(try row.decode([UInt8].self, "content"), .documentContent))
            }
        }
    }

    /// Applies a downstream status: the timeline always gets the step (unless the referral was
    /// withdrawn), the current status only moves forward (see `progress`).
    func advance(
        _ referralID: String, to status: Layar_V1_ReferralStatus, explanation: String,
        missingDocuments: [Layar_V1_DocumentKind] = [], caseWorkerName: String = "", at time: Date,
        on connection: PostgresConnection
    ) async throws {
        guard let id = UUID(uuidString: referralID),
              let current = try await connection.query(
                "SELECT status FROM referrals WHERE id = $1 FOR UPDATE", [id]
              ).first.map({ Layar_V1_ReferralStatus(rawValue: try $0.decode(Int.self, "status")) ?? .unspecified }),
              current != .withdrawn
        else { return }
        try await appendTimeline(id, status, at: time, explanation: explanation, on: connection)
        guard status.progress > current.progress else { return }
        try await connection.query(
            """
            UPDATE referrals SET status = $2, status_progress = $3, updated_at = $4, status_note = $5,
                missing_documents = $6::integer[],
                case_worker_name = CASE WHEN $7 = '' THEN case_worker_name ELSE $7 END
            WHERE id = $1
            """,
            [
                id, status.rawValue, status.progress, time, explanation,
                PostgresTextArray(enumValues: missingDocuments), caseWorkerName,
            ]
        )
    }
}

extension IntakeStore.Submission {
    /// From a `referrals` row with `id`, `tracking_code` and `status`.
    init(_ row: PostgresRow, linked: Bool) throws {
        self.init(
            referralID: try row.decode(UUID.self, "id"), trackingCode: try row.decode(String.self, "tracking_code"),
            status: Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .submitted,
            linkedToExisting: linked
        )
    }
}
