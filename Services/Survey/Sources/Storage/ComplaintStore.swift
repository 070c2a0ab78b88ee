import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import LayarRuntime
import LayarSchema
import SwiftProtobuf

/// SQL of complaints: filing, the action ledger, deadlines, statistics, and the LAPOR! queue.
struct ComplaintStore: Sendable {
    let pool: PostgresPool
    let cipher: PersonalDataCipher
    let deadlines: ComplaintDeadlines
    /// The complaints to forward to SP4N-LAPOR!, by id: the runtime's one outbound queue.
    let deliveries = DeliveryQueue<Entities.Complaint>()
    /// "Now" for work no caller times: a data-subject request's export and erasure.
    let clock: LayarClock

    /// Files a complaint; `operatorID` is the signed-in staff member who took it at the office
    /// ("" for the public's own).
    func file(_ request: Layar_V1_FileComplaintRequest, operatorID: String, now: Date) async throws -> Layar_V1_Complaint {
        try await pool.withTransaction { connection in
            let id = ComplaintID()
            while true {
                let inserted = try await connection.query(
                    """
                    INSERT INTO complaints (id, reference, category, channel, priority, status, description, tracking_code,
                        anonymous, operator_id, filed_at, forwarding_due, follow_up_due)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                    ON CONFLICT (reference) DO NOTHING
                    """,
                    [
                        id, SurveyCode.complaint(), request.category.rawValue, request.channel.rawValue,
                        (request.priority == .unspecified ? Layar_V1_ComplaintPriority.normal : request.priority).rawValue,
                        Layar_V1_ComplaintStatus.received.rawValue, cipher.seal(request.description_p, .complaintDescription),
                        request.trackingCode.uppercased(),
                        request.anonymous, operatorID, now,
                        deadlines.calendar.deadline(workingDays: deadlines.forwardingDays, after: now),
                        deadlines.calendar.deadline(workingDays: deadlines.followUpDays, after: now),
                    ]
                )
                if inserted.affectedRows == 1 { break }
            }
            if !request.anonymous && !(request.name.isEmpty && request.phone.isEmpty) {
                try await connection.query(
                    "INSERT INTO complainant_contacts (complaint_id, name, phone) VALUES ($1, $2, $3)",
                    [id, cipher.seal(request.name, .complainantName), cipher.seal(request.phone, .complainantPhone)]
                )
            }
            return try await complaint(id, now: now, on: connection)!
        }
    }

    enum ActionError: Error, Equatable {
        case notFound
        case notAllowed(ComplaintWorkflow.NotAllowed)
    }

    /// Applies one lifecycle action, records it in the ledger under `actorID` (the signed-in staff
    /// member, from the token), and queues LAPOR! forwarding in the same transaction.
    func act(
        _ request: Layar_V1_ComplaintActionRequest, complaintID: ComplaintID, actorID: String, now: Date
    ) async throws -> Layar_V1_Complaint {
        try await pool.withTransaction { connection in
            guard let row = try await connection.query(
                "SELECT status, handler_id, first_action_at FROM complaints WHERE id = $1 FOR UPDATE", [complaintID]
            ).first else { throw ActionError.notFound }
            let status = Layar_V1_ComplaintStatus(rawValue: try row.decode(Int.self, "status")) ?? .received
            let handler = request.action == .assign ? request.handlerID : try row.decode(String.self, "handler_id")
            let next: Layar_V1_ComplaintStatus
            do {
                next = try ComplaintWorkflow.next(after: request.action, from: status, hasHandler: !handler.isEmpty)
            } catch let error as ComplaintWorkflow.NotAllowed {
                throw ActionError.notAllowed(error)
            }
            let firstActionAt = try row.decode(Date?.self, "first_action_at")
            let firstHandling = ComplaintWorkflow.isFirstHandling(request.action) && firstActionAt == nil
            try await connection.query(
                """
                UPDATE complaints SET status = $2, handler_id = $3,
                    first_action_at = CASE WHEN $4 THEN $5 ELSE first_action_at END,
                    response = CASE WHEN $6 = 2 THEN $7 ELSE response END,
                    resolution = CASE WHEN $6 = 3 THEN $7 ELSE resolution END,
                    resolved_at = CASE WHEN $6 = 3 THEN $5 WHEN $6 = 5 THEN NULL ELSE resolved_at END,
                    closed_at = CASE WHEN $6 = 4 THEN $5 WHEN $6 = 5 THEN NULL ELSE closed_at END,
                    reopen_count = reopen_count + CASE WHEN $6 = 5 THEN 1 ELSE 0 END,
                    lapor_status = CASE WHEN $6 = 6 THEN $8 ELSE lapor_status END,
                    lapor_error = CASE WHEN $6 = 6 THEN '' ELSE lapor_error END
                WHERE id = $1
                """,
                [
                    complaintID, next.rawValue, handler, firstHandling, now, request.action.rawValue, request.text,
                    Layar_V1_LaporStatus.pending.rawValue,
                ]
            )
            try await connection.query(
                "INSERT INTO complaint_actions (complaint_id, action, actor_id, text, at) VALUES ($1, $2, $3, $4, $5)",
                [complaintID, request.action.rawValue, actorID, request.text, now]
            )
            if request.action == .forwardToLapor {
                let complaint = try await complaint(complaintID, now: now, on: connection)!
                let payload = try JSONEncoder().encode(LaporReport(complaint))
                try await connection.query(
                    """
                    INSERT INTO lapor_forwards (complaint_id, payload, next_attempt_at) VALUES ($1, $2, $3)
                    ON CONFLICT (complaint_id) DO UPDATE SET payload = EXCLUDED.payload, done_at = NULL, last_error = ''
                    """, [complaintID, cipher.seal(payload, .laporReport), now])
                try await deliveries.enqueue(complaintID, at: now, on: connection)
            }
            return try await complaint(complaintID, now: now, on: connection)!
        }
    }

    func complaint(_ id: ComplaintID, now: Date) async throws -> Layar_V1_Complaint? {
        try await pool.withConnection { try await complaint(id, now: now, on: $0) }
    }

    private func complaint(_ id: ComplaintID, now: Date, on connection: PostgresConnection) async throws -> Layar_V1_Complaint? {
        try await connection.query(
            "SELECT * FROM complaint_views WHERE id = $1", [id]
        ).first.map { try complaint($0, now: now) }
    }

    func list(status: Layar_V1_ComplaintStatus, overdueOnly: Bool, now: Date) async throws -> [Layar_V1_Complaint] {
        try await pool.query(
            "SELECT * FROM complaint_views WHERE ($1 = 0 OR status = $1) ORDER BY filed_at, id LIMIT 1000",
            [status.rawValue]
        ).map { try complaint($0, now: now) }
            .filter { !overdueOnly || $0.forwardingOverdue || $0.followUpOverdue }
    }

    func complaint(_ row: PostgresRow, now: Date) throws -> Layar_V1_Complaint {
        let forwardingDue = try row.decode(Date.self, "forwarding_due")
        let followUpDue = try row.decode(Date.self, "follow_up_due")
        let firstAction = try row.decode(Date?.self, "first_action_at")
        let resolved = try row.decode(Date?.self, "resolved_at")
        let closed = try row.decode(Date?.self, "closed_at")
        return try Layar_V1_Complaint.with {
            $0.complaintID = try row.decode(String.self, "id")
            $0.reference = try row.decode(String.self, "reference")
            $0.category = Layar_V1_ComplaintCategory(rawValue: try row.decode(Int.self, "category")) ?? .unspecified
            $0.channel = Layar_V1_IntakeChannel(rawValue: try row.decode(Int.self, "channel")) ?? .unspecified
            $0.priority = Layar_V1_ComplaintPriority(rawValue: try row.decode(Int.self, "priority")) ?? .unspecified
            $0.status = Layar_V1_ComplaintStatus(rawValue: try row.decode(Int.self, "status")) ?? .unspecified
            $0.description_p = try cipher.openString(try row.decode([UInt8].self, "description"), .complaintDescription)
            $0.trackingCode = try row.decode(String.self, "tracking_code")
            $0.anonymous = try row.decode(Bool.self, "anonymous")
            $0.hasContact_p = try row.decode(Bool.self, "has_contact")
            $0.handlerID = try row.decode(String.self, "handler_id")
            $0.response = try row.decode(String.self, "response")
            $0.resolution = try row.decode(String.self, "resolution")
            $0.filedAt = Google_Protobuf_Timestamp(date: try row.decode(Date.self, "filed_at"))
            if let firstAction { $0.firstActionAt = Google_Protobuf_Timestamp(date: firstAction) }
            if let resolved { $0.resolvedAt = Google_Protobuf_Timestamp(date: resolved) }
            if let closed { $0.closedAt = Google_Protobuf_Timestamp(date: closed) }
            $0.forwardingDue = Google_Protobuf_Timestamp(date: forwardingDue)
            $0.followUpDue = Google_Protobuf_Timestamp(date: followUpDue)
            $0.forwardingOverdue = (firstAction ?? now) > forwardingDue
            $0.followUpOverdue = (resolved ?? now) > followUpDue
            $0.laporStatus = Layar_V1_LaporStatus(rawValue: try row.decode(Int.self, "lapor_status")) ?? .unspecified
            $0.laporID = try row.decode(String.self, "lapor_id")
            $0.laporError = try row.decode(String.self, "lapor_error")
            $0.reopenCount = try row.decode(Int32.self, "reopen_count")
        }
    }

    /// Complaints filed in a period and how they were handled (as of `now`).
    func complaints(filedFrom from: CivilDate, to: CivilDate, now: Date) async throws -> [Layar_V1_Complaint] {
        try await pool.query(
            "SELECT * FROM complaint_views WHERE filed_at >= $1 AND filed_at < $2 ORDER BY filed_at",
            [from.startInBalangan, to.adding(days: 1).startInBalangan]
        ).map { try complaint($0, now: now) }
    }

    // MARK: - The LAPOR! queue

    /// A claimed complaint to forward: the report (`lapor_forwards` keeps it, sealed) and the
    /// attempts made with this one.
    struct Forward: Sendable {
        var complaintID: ComplaintID
        var payload: [UInt8]
        var attempts: Int
    }

    /// How long until the next queued complaint falls due (a retry, or the end of a claim); nil when none waits.
    func nextForwardDue(after now: Date) async throws -> Duration? {
        try await deliveries.nextDue(after: now, on: pool)
    }

    /// Claims one due forward for `lease` (so a crashed forwarder's claim lapses), outside of
    /// any sending: the HTTP call happens after this transaction. A queued complaint whose report
    /// is gone (erased meanwhile) leaves the queue.
    func claimForward(now: Date, lease: Duration = .seconds(60)) async throws -> Forward? {
        try await pool.withTransaction { connection in
            while let claim = try await deliveries.claim(limit: 1, now: now, lease: lease, on: connection).first {
                guard let row = try await connection.query(
                    "SELECT payload FROM lapor_forwards WHERE complaint_id = $1 AND done_at IS NULL", [claim.id]
                ).first else {
                    try await deliveries.finish([claim.id], on: connection)
                    continue
                }
                return Forward(
                    complaintID: claim.id, payload: try cipher.open(try row.decode([UInt8].self, "payload"), .laporReport),
                    attempts: claim.attempts
                )
            }
            return nil
        }
    }

    func forwarded(_ complaintID: ComplaintID, laporID: String, now: Date) async throws {
        try await pool.withTransaction { connection in
            try await connection.query(
                "UPDATE lapor_forwards SET done_at = $2, last_error = '' WHERE complaint_id = $1", [complaintID, now]
            )
            try await deliveries.finish([complaintID], on: connection)
            try await connection.query(
                "UPDATE complaints SET lapor_status = $2, lapor_id = $3, lapor_error = '' WHERE id = $1",
                [complaintID, Layar_V1_LaporStatus.forwarded.rawValue, laporID]
            )
        }
    }

    /// Records a failed attempt: retried at `retryAt`, or given up (`retryAt` nil) and shown to staff.
    func forwardFailed(_ complaintID: ComplaintID, error: String, retryAt: Date?, now: Date) async throws {
        try await pool.withTransaction { connection in
            try await connection.query("UPDATE lapor_forwards SET last_error = $2 WHERE complaint_id = $1", [complaintID, error])
            guard let retryAt else {
                try await connection.query("UPDATE lapor_forwards SET done_at = $2 WHERE complaint_id = $1", [complaintID, now])
                try await deliveries.finish([complaintID], on: connection)
                try await connection.query(
                    "UPDATE complaints SET lapor_status = $2, lapor_error = $3 WHERE id = $1",
                    [complaintID, Layar_V1_LaporStatus.failed.rawValue, error]
                )
                return
            }
            try await deliveries.retry(complaintID, error: error, at: retryAt, on: connection)
        }
    }
}

/// Complaint service levels (SP4N-LAPOR!): forwarding within 3 working days, follow-up within 5.
struct ComplaintDeadlines: Sendable {
    var forwardingDays = 3
    var followUpDays = 5
    var calendar = WorkingCalendar()
}
