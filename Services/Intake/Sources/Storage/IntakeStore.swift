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

    /// What a submitter is answered. A person with an open referral gets the same kind of answer
    /// as a new one (its own code and PIN), so the answer never reveals another referral.
    public struct Submission: Sendable, Equatable {
        /// The new referral's id, or the linked submission's.
        public var referralID: ReferralID
        public var trackingCode: String
        public var trackingPIN: String
        /// Whether it was linked to the person's open referral: for the office and the tests,
        /// never told to the caller.
        public var linkedToExisting: Bool
    }

    /// Stores a validated form. A retry with the same `requestID` and the same form returns the
    /// first answer (the same `requestID` with another form throws ``RequestReused``); a person
    /// with an open referral gets a submission linked to it, not a second case. Races between
    /// concurrent submissions are settled by unique indexes and one more attempt. `operatorID` is
    /// the signed-in operator of a walk-in submission (from the token).
    public func submit(_ form: Layar_V1_ReferralForm, requestID: UUID?, operatorID: String = "") async throws -> Submission {
        let now = clock.now
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await submitOnce(form, requestID: requestID, operatorID: operatorID, now: now)
            } catch let error as PostgresError where error.isUniqueViolation && attempt < 3 {
                continue  // A concurrent twin won: the next attempt finds it.
            }
        }
    }

    private func submitOnce(
        _ form: Layar_V1_ReferralForm, requestID: UUID?, operatorID: String, now: Date
    ) async throws -> Submission {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let formBytes: [UInt8] = try form.serializedBytes(options: options)
        let fingerprint = cipher.blindIndex(Data(formBytes).base64EncodedString(), .requestBody)
        return try await pool.withTransaction { connection in
            if let requestID, let earlier = try await submission(forRequest: requestID, fingerprint: fingerprint, on: connection) {
                return earlier
            }
            let sealedForm = cipher.seal(formBytes, .referralForm)
            // A person without papers has no NIK to link by: their duplicates are proposed to a
            // verifier instead (``possibleDuplicates``).
            let nikIndex = form.person.hasUnknownIdentity ? nil : cipher.blindIndex(form.person.nik, .nik)
            if let nikIndex, let open = try await connection.query(
                "SELECT id, request_id FROM referrals WHERE nik_index = $1 AND status <> ALL ($2::integer[]) FOR UPDATE",
                [nikIndex, Self.closedStatuses]
            ).first {
                // The open referral may be this very request, committed by a concurrent retry
                // after our first look (read committed: this second look sees it).
                if let requestID, try open.decode(UUID?.self, "request_id") == requestID,
                   let earlier = try await submission(forRequest: requestID, fingerprint: fingerprint, on: connection) {
                    return earlier
                }
                return try await link(
                    form, to: try open.decode(ReferralID.self, "id"), sealedForm: sealedForm, requestID: requestID,
                    fingerprint: fingerprint, now: now, on: connection
                )
            }
            let id = ReferralID()
            let pin = TrackingPIN.generate()
            let personID = try await connection.query(
                """
                INSERT INTO persons (id, nik_index) VALUES ($1, $2)
                ON CONFLICT (nik_index) DO UPDATE SET nik_index = EXCLUDED.nik_index RETURNING id
                """, [UUID(), nikIndex]
            ).first!.decode(UUID.self, "id")
            let duplicates = form.person.hasUnknownIdentity
                ? try await possibleDuplicates(of: form, now: now, on: connection) : []
            let code = try await insertReferral(
                id: id, personID: personID, form: form, sealedForm: sealedForm, nikIndex: nikIndex, requestID: requestID,
                fingerprint: fingerprint, pin: pin, operatorID: operatorID, now: now, on: connection
            )
            let documents = form.documents.map { StoredDocument($0) }
            try await insert(documents, referralID: id, now: now, on: connection)
            try await appendTimeline(id, .submitted, at: now, explanation: StatusExplanation.text(for: .submitted), on: connection)
            var submitted = submittedEvent(id: id, code: code, form: form, documents: documents, now: now)
            submitted.personID = personID.uuidString.lowercased()
            submitted.possibleDuplicates = duplicates
            try await outbox.append(submitted, on: connection, at: now)
            try await outbox.append(contactRecorded(id: id, code: code, form: form), on: connection, at: now)
            return Submission(referralID: id, trackingCode: code, trackingPIN: pin, linkedToExisting: false)
        }
    }

    /// A submission for a person whose referral is still open: kept beside that referral with its
    /// own code and PIN (no second case). Its applicant is acknowledged like any new one, the open
    /// referral's applicant is told through their own contact, and the office sees the link.
    private func link(
        _ form: Layar_V1_ReferralForm, to referralID: ReferralID, sealedForm: [UInt8], requestID: UUID?, fingerprint: [UInt8],
        now: Date, on connection: PostgresConnection
    ) async throws -> Submission {
        let id = ReferralID()
        let pin = TrackingPIN.generate()
        let code = try await insertUnderFreshCode(on: connection) { code in
            try await connection.query(
                """
                INSERT INTO linked_submissions (id, referral_id, request_id, form, submitted_at, request_fingerprint,
                    tracking_code, tracking_pin, channel, status, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $5)
                ON CONFLICT (tracking_code) DO NOTHING
                """,
                [
                    id, referralID, requestID, sealedForm, now, fingerprint, code, cipher.seal(pin, .trackingPIN),
                    form.channel.rawValue, Layar_V1_ReferralStatus.submitted.rawValue,
                ]
            ).affectedRows == 1
        }
        let at = Google_Protobuf_Timestamp(date: now)
        try await outbox.append(contactRecorded(id: id, code: code, form: form), on: connection, at: now)
        try await outbox.append(Layar_V1_LinkedSubmissionReceived.with {
            $0.referralID = id.description
            $0.receivedAt = at
        }, on: connection, at: now)
        try await outbox.append(Layar_V1_DuplicateSubmitted.with {
            $0.referralID = referralID.description
            $0.submittedAt = at
        }, on: connection, at: now)
        return Submission(referralID: id, trackingCode: code, trackingPIN: pin, linkedToExisting: true)
    }

    /// The applicant's contact, for notification alone (its own topic).
    func contactRecorded(id: ReferralID, code: String, form: Layar_V1_ReferralForm) -> Layar_V1_ApplicantContactRecorded {
        .with {
            $0.referralID = id.description
            $0.trackingCode = code
            $0.phone = PhoneNumber.normalized(form.applicant.phone.isEmpty ? form.person.phone : form.applicant.phone) ?? ""
            $0.email = form.applicant.email
            $0.preferredChannel = form.applicant.preferredChannel
            $0.consentPurposes = form.consent.purposes
        }
    }

    /// Draws tracking codes until `insert` stores one that no referral or linked submission holds
    /// (`insert` answers false on a collision within its own table; 30^8 codes make either rare).
    private func insertUnderFreshCode(
        on connection: PostgresConnection, _ insert: (String) async throws -> Bool
    ) async throws -> String {
        while true {
            let code = TrackingCode.generate()
            let taken = try await connection.query(
                """
                SELECT 1 FROM referrals WHERE tracking_code = $1
                UNION ALL SELECT 1 FROM linked_submissions WHERE tracking_code = $1
                """, [code]
            ).first != nil
            if !taken, try await insert(code) { return code }
        }
    }

    static let closedStatuses = PostgresTextArray(enumValues: Layar_V1_ReferralStatus.closed)

    /// The answer given to `requestID` before, when it came with the same form (`fingerprint`).
    private func submission(forRequest requestID: UUID, fingerprint: [UInt8], on connection: PostgresConnection) async throws -> Submission? {
        guard let row = try await connection.query(
            """
            SELECT id, tracking_code, tracking_pin, request_fingerprint, false AS linked FROM referrals WHERE request_id = $1
            UNION ALL
            SELECT id, tracking_code, tracking_pin, request_fingerprint, true FROM linked_submissions WHERE request_id = $1
            """, [requestID]
        ).first else { return nil }
        guard try row.decode([UInt8]?.self, "request_fingerprint").map({ $0 == fingerprint }) ?? true else { throw RequestReused() }
        return Submission(
            referralID: try row.decode(ReferralID.self, "id"), trackingCode: try row.decode(String?.self, "tracking_code") ?? "",
            trackingPIN: try row.decode([UInt8]?.self, "tracking_pin").map { try cipher.openString($0, .trackingPIN) } ?? "",
            linkedToExisting: try row.decode(Bool.self, "linked")
        )
    }

    /// Inserts the referral under a fresh tracking code (drawing again on the rare collision).
    private func insertReferral(
        id: ReferralID, personID: UUID, form: Layar_V1_ReferralForm, sealedForm: [UInt8], nikIndex: [UInt8]?, requestID: UUID?,
        fingerprint: [UInt8], pin: String, operatorID: String, now: Date, on connection: PostgresConnection
    ) async throws -> String {
        let unknown = form.person.hasUnknownIdentity
        let birth = unknown ? nil : CivilDate(form.person.birthDate).description
        let urgency = form.urgency == .unspecified ? Layar_V1_Urgency.normal : form.urgency
        return try await insertUnderFreshCode(on: connection) { code in
            try await connection.query(
                """
                INSERT INTO referrals (id, tracking_code, nik_index, birth_date, kecamatan_code, desa_code,
                    ppks_kind, urgency, channel, form, consent_purposes, consented_at,
                    status, status_progress, submitted_at, updated_at, request_id, is_child, consent_giver,
                    consent_channel, operator_id, person_id, request_fingerprint, tracking_pin, sex, estimated_age, match_name)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $12, $12, $15, $16,
                    $17, $18, $19, $20, $21, $22, $23, $24, $25)
                ON CONFLICT (tracking_code) DO NOTHING
                """,
                [
                    id, code, nikIndex, birth, form.person.address.kecamatanCode,
                    form.person.address.desaCode, form.ppksKind, urgency.rawValue, form.channel.rawValue, sealedForm,
                    Self.purposes(form.consent.purposes), now,
                    Layar_V1_ReferralStatus.submitted.rawValue, Layar_V1_ReferralStatus.submitted.progress, requestID,
                    form.person.isChild, form.consent.giver.rawValue, form.consent.channel.rawValue, operatorID,
                    personID, fingerprint, cipher.seal(pin, .trackingPIN), form.person.sex.rawValue,
                    unknown ? Int(form.person.unknownIdentity.estimatedAge) : nil,
                    unknown ? cipher.seal(form.person.fullName, .unidentifiedName) : nil,
                ]
            ).affectedRows == 1
        }
    }

    private func submittedEvent(
        id: ReferralID, code: String, form: Layar_V1_ReferralForm, documents: [StoredDocument], now: Date
    ) -> Layar_V1_ReferralSubmitted {
        .with {
            $0.referralID = id.description
            $0.trackingCode = code
            $0.nik = form.person.nik
            if form.person.hasBirthDate { $0.birthDate = form.person.birthDate }
            $0.identityUnknown = form.person.hasUnknownIdentity
            $0.estimatedAge = form.person.unknownIdentity.estimatedAge
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

    private func insert(_ documents: [StoredDocument], referralID: ReferralID, now: Date, on connection: PostgresConnection) async throws {
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
        _ referralID: ReferralID, _ status: Layar_V1_ReferralStatus, at time: Date, explanation: String,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            "INSERT INTO timeline (referral_id, status, at, explanation) VALUES ($1, $2, $3, $4)",
            [referralID, status.rawValue, time, explanation]
        )
    }

    // MARK: - The applicant's side: tracking code + PIN

    /// What a tracking key opens: a referral, or a submission linked to one, whose applicant sees
    /// only their own submission (never the referral it was linked to).
    enum Tracked {
        case referral(ReferralID)
        case linked(ReferralID)
    }

    public enum TrackingError: Error, Equatable {
        /// Wrong code or PIN (deliberately the same answer for both).
        case notFound
        /// Too many wrong attempts on this code recently.
        case throttled
        /// The referral is not in a status that allows the action.
        case notAllowed(Layar_V1_ReferralStatus)
    }

    /// Wrong attempts allowed per code in ``throttleWindow`` before answers are refused.
    static let maximumFailures = 5
    static let throttleWindowSeconds = 15 * 60

    /// Checks a tracking key on a connection of its own, outside the caller's transaction: a
    /// wrong attempt is recorded and stays recorded, a code with too many is refused, and no
    /// second connection is held while a transaction waits (a burst of lookups cannot exhaust
    /// the pool).
    func authenticate(_ key: Layar_V1_TrackingKey, now: Date) async throws -> Tracked {
        let code = key.trackingCode.uppercased()
        return try await pool.withConnection { connection in
            let failures = try await connection.query(
                "SELECT count(*) AS n FROM tracking_failures WHERE tracking_code = $1 AND failed_at > $2",
                [code, now.addingTimeInterval(-Double(Self.throttleWindowSeconds))]
            ).first!.decode(Int.self, "n")
            guard failures < Self.maximumFailures else { throw TrackingError.throttled }
            if let row = try await connection.query(
                """
                SELECT id, tracking_pin, false AS linked FROM referrals WHERE tracking_code = $1
                UNION ALL SELECT id, tracking_pin, true FROM linked_submissions WHERE tracking_code = $1
                """, [code]
            ).first, let sealed = try row.decode([UInt8]?.self, "tracking_pin"),
               TrackingPIN.matches(key.pin, try cipher.openString(sealed, .trackingPIN)) {
                let id = try row.decode(ReferralID.self, "id")
                return try row.decode(Bool.self, "linked") ? .linked(id) : .referral(id)
            }
            try await connection.query("INSERT INTO tracking_failures (tracking_code, failed_at) VALUES ($1, $2)", [code, now])
            throw TrackingError.notFound
        }
    }

    public func statusView(_ key: Layar_V1_TrackingKey) async throws -> Layar_V1_ReferralStatusView {
        let tracked = try await authenticate(key, now: clock.now)
        return try await pool.withConnection { connection in
            switch tracked {
            case .referral(let id): try await statusView(of: id, on: connection)
            case .linked(let id): try await linkedStatusView(of: id, on: connection)
            }
        }
    }

    /// Adds the documents verification asked for and sends the referral back to verification.
    /// Nobody asks a linked submission for documents: the office works on the referral.
    public func addDocuments(
        _ uploads: [Layar_V1_DocumentUpload], key: Layar_V1_TrackingKey
    ) async throws -> Layar_V1_ReferralStatusView {
        let now = clock.now
        let tracked = try await authenticate(key, now: now)
        return try await pool.withTransaction { connection in
            let status = try await lockedStatus(of: tracked, on: connection)
            guard case .referral(let id) = tracked, status == .needsDocuments else { throw TrackingError.notAllowed(status) }
            let documents = uploads.map { StoredDocument($0) }
            try await insert(documents, referralID: id, now: now, on: connection)
            try await setStatus(id, .submitted, missingDocuments: [], at: now, on: connection)
            try await appendTimeline(
                id, .submitted, at: now,
                explanation: "Dokumen tambahan diterima. Rujukan diperiksa kembali oleh petugas.", on: connection
            )
            let all = try await documentInfos(of: id, on: connection)
            try await outbox.append(Layar_V1_ReferralDocumentsAdded.with {
                $0.referralID = id.description
                $0.documents = documents.map(\.info)
                $0.allDocuments = all
                $0.addedAt = Google_Protobuf_Timestamp(date: now)
            }, on: connection, at: now)
            return try await statusView(of: id, on: connection)
        }
    }

    /// Withdraws a referral that is still open; notification confirms it to the applicant's own
    /// recorded contact. A linked submission's applicant withdraws only their own submission.
    public func withdraw(
        _ key: Layar_V1_TrackingKey, reason: String
    ) async throws -> Layar_V1_ReferralStatusView {
        let now = clock.now
        let tracked = try await authenticate(key, now: now)
        return try await pool.withTransaction { connection in
            let status = try await lockedStatus(of: tracked, on: connection)
            guard !Layar_V1_ReferralStatus.closed.contains(status) else { throw TrackingError.notAllowed(status) }
            switch tracked {
            case .linked(let id):
                try await connection.query(
                    "UPDATE linked_submissions SET status = $2, updated_at = $3 WHERE id = $1",
                    [id, Layar_V1_ReferralStatus.withdrawn.rawValue, now]
                )
                return try await linkedStatusView(of: id, on: connection)
            case .referral(let id):
                try await setStatus(id, .withdrawn, missingDocuments: [], at: now, on: connection)
                try await appendTimeline(id, .withdrawn, at: now, explanation: StatusExplanation.text(for: .withdrawn), on: connection)
                try await outbox.append(Layar_V1_ReferralWithdrawn.with {
                    $0.referralID = id.description
                    $0.reason = reason
                    $0.withdrawnAt = Google_Protobuf_Timestamp(date: now)
                }, on: connection, at: now)
                return try await statusView(of: id, on: connection)
            }
        }
    }

    /// The status of what a key opens, locked for the caller's transaction: a referral's, or a
    /// linked submission's own (submitted, or withdrawn by its applicant).
    private func lockedStatus(of tracked: Tracked, on connection: PostgresConnection) async throws -> Layar_V1_ReferralStatus {
        let row = switch tracked {
        case .referral(let id): try await connection.query("SELECT status FROM referrals WHERE id = $1 FOR UPDATE", [id]).first
        case .linked(let id): try await connection.query("SELECT status FROM linked_submissions WHERE id = $1 FOR UPDATE", [id]).first
        }
        guard let row else { throw TrackingError.notFound }  // Erased between the check and the action.
        return Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
    }

    /// What a linked submission's applicant sees: their own submission, shaped like a new
    /// referral's view (the documents they sent, the steps of their submission), nothing of the
    /// referral it was linked to.
    private func linkedStatusView(of id: ReferralID, on connection: PostgresConnection) async throws -> Layar_V1_ReferralStatusView {
        guard let row = try await connection.query(
            "SELECT tracking_code, status, form, submitted_at, updated_at FROM linked_submissions WHERE id = $1", [id]
        ).first else { throw TrackingError.notFound }
        let status = Layar_V1_ReferralStatus(rawValue: try row.decode(Int.self, "status")) ?? .submitted
        let form = try openForm(try row.decode([UInt8].self, "form"))
        let submittedAt = try row.decode(Date.self, "submitted_at")
        var steps = [(Layar_V1_ReferralStatus.submitted, submittedAt)]
        if status == .withdrawn { steps.append((.withdrawn, try row.decode(Date?.self, "updated_at") ?? submittedAt)) }
        let timeline = steps.map { step, at in
            Layar_V1_TimelineEntry.with {
                $0.status = step
                $0.at = Google_Protobuf_Timestamp(date: at)
                $0.explanation = StatusExplanation.text(for: step)
            }
        }
        return try Layar_V1_ReferralStatusView.with {
            $0.trackingCode = try row.decode(String.self, "tracking_code")
            $0.status = status
            $0.explanation = StatusExplanation.text(for: status)
            $0.timeline = timeline
            $0.documents = form.documents.enumerated().map { index, upload in
                StoredDocument(upload, id: StoredDocument.derivedID(submission: id, index: index)).info
            }
        }
    }

    private func setStatus(
        _ id: ReferralID, _ status: Layar_V1_ReferralStatus, missingDocuments: [Layar_V1_DocumentKind], at time: Date,
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

    private func documentInfos(of id: ReferralID, on connection: PostgresConnection) async throws -> [Layar_V1_DocumentInfo] {
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

    private func statusView(of id: ReferralID, on connection: PostgresConnection) async throws -> Layar_V1_ReferralStatusView {
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
        case id(ReferralID)
    }

    public func summary(_ key: Key) async throws -> Layar_V1_ReferralSummary? {
        try await pool.withConnection { connection in
            let rows: PostgresRows
            switch key {
            case .trackingCode(let code):
                rows = try await connection.query(
                    """
                    SELECT id, tracking_code, status, status_note, ppks_kind, case_worker_name, submitted_at, updated_at
                    FROM referrals
                    WHERE tracking_code = $1 OR id = (SELECT referral_id FROM linked_submissions WHERE tracking_code = $1)
                    """, [code])
            case .id(let id):
                rows = try await connection.query(
                    """
                    SELECT id, tracking_code, status, status_note, ppks_kind, case_worker_name, submitted_at, updated_at
                    FROM referrals WHERE id = $1
                    """, [id])
            }
            guard let row = rows.first else { return nil }
            let id = try row.decode(ReferralID.self, "id")
            let documents = try await documentInfos(of: id, on: connection)
            let linked = try await connection.query(
                """
                SELECT id, tracking_code, channel, submitted_at FROM linked_submissions
                WHERE referral_id = $1 AND tracking_code IS NOT NULL ORDER BY submitted_at, id
                """, [id]
            ).map { linked in
                try Layar_V1_LinkedSubmission.with {
                    $0.submissionID = try linked.decode(String.self, "id")
                    $0.trackingCode = try linked.decode(String.self, "tracking_code")
                    $0.channel = Layar_V1_IntakeChannel(rawValue: try linked.decode(Int.self, "channel")) ?? .unspecified
                    $0.submittedAt = Google_Protobuf_Timestamp(date: try linked.decode(Date.self, "submitted_at"))
                }
            }
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
                $0.linkedSubmissions = linked
            }
        }
    }

    /// One document of a referral, with its bytes (staff only).
    public func document(_ documentID: DocumentID, of referralID: ReferralID) async throws -> Layar_V1_DocumentContent? {
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
        guard let id = ReferralID(referralID),
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
