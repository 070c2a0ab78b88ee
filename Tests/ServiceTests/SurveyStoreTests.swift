import Foundation
import LayarDomain
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Logging
import SwiftProtobuf
import Testing

@testable import LayarSurvey

/// The survey service's storage and API against the real PostgreSQL server, with injected time.
@Suite("Survey store")
struct SurveyStoreTests {
    struct Fixture {
        let database: ScratchDatabase
        let surveys: SurveyStore
        let complaints: ComplaintStore
        let monitoring: MonitoringStore
        /// The one clock of the stores and the API.
        let clock: TestClock

        /// The API with the clock moved to `now` (the stores see the same instant).
        func api(now: Date, lapor: Bool = false) -> SurveyAPI {
            clock.set(now)
            return SurveyAPI(surveys: surveys, complaints: complaints, monitoring: monitoring, laporEnabled: lapor, clock: clock.clock)
        }

        /// The complaint with this id as the store shows it now.
        func complaint(_ id: String) async throws -> Layar_V1_Complaint? {
            try await complaints.complaint(try #require(ComplaintID(id)), now: clock.now)
        }

        func forwarder(_ client: any LaporClient) -> LaporForwarder {
            LaporForwarder(store: complaints, client: client, clock: clock.clock, logger: TestEnvironment.logger)
        }
    }

    static func prepare() async throws -> Fixture {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: SurveyMigrations.all, logger: TestEnvironment.logger).migrate(database.pool)
        let clock = TestClock(Self.now)
        let cipher = try await TestDataKeys.cipher(on: database.pool, clock: clock.clock)
        return Fixture(
            database: database, surveys: SurveyStore(pool: database.pool, outbox: Outbox(cipher: cipher, clock: clock.clock)),
            complaints: ComplaintStore(pool: database.pool, cipher: cipher, deadlines: ComplaintDeadlines(), clock: clock.clock),
            monitoring: MonitoringStore(pool: database.pool), clock: clock
        )
    }

    static func answers(_ scores: [Int32]) -> [Layar_V1_ElementAnswer] {
        zip(SKMQuestionnaire.elements.map(\.id), scores).map { element, score in
            .with {
                $0.element = element
                $0.score = score
            }
        }
    }

    static let now = Date(timeIntervalSince1970: 1_796_349_600)  // Friday 2026-12-04 10:00 WITA.
    static let today = CivilDate(year: 2026, month: 12, day: 4)

    @Test("no survey invitation for an applicant who did not consent to the survey")
    func surveyConsent() async throws {
        let fixture = try await Self.prepare()
        let declined = UUID().uuidString.lowercased()
        let consented = UUID().uuidString.lowercased()
        try await fixture.database.pool.withTransaction { connection in
            for (referral, purposes) in [(declined, [Layar_V1_ConsentPurpose.verification, .referral, .notification]),
                                         (consented, [.verification, .referral, .notification, .survey])] {
                try await fixture.monitoring.recordSubmitted(.with {
                    $0.referralID = referral
                    $0.ppksKind = "PPKS-08"
                    $0.kecamatanCode = "63.11.06"
                    $0.submittedAt = Google_Protobuf_Timestamp(date: Self.now)
                    $0.consentPurposes = purposes
                }, on: connection)
                try await fixture.surveys.invite(referralID: referral, at: Self.now, on: connection)
            }
        }
        let declinedReferralID = try #require(ReferralID(declined))
        #expect(try await fixture.surveys.invitation(for: declinedReferralID, now: Self.now) == nil)
        let consentedReferralID = try #require(ReferralID(consented))
        #expect(try await fixture.surveys.invitation(for: consentedReferralID, now: Self.now) != nil)
        let outboxRows = try await fixture.database.pool.query("SELECT count(*) AS n FROM outbox").first?.decode(Int.self, "n")
        #expect(outboxRows == 1, "one invitation, for the applicant who consented")
        try await fixture.database.drop()
    }

    @Test("an invitation's code answers once, and not after it expires")
    func tokens() async throws {
        let fixture = try await Self.prepare()
        let referral = UUID().uuidString.lowercased()
        let other = UUID().uuidString.lowercased()
        try await fixture.database.pool.withTransaction { connection in
            try await fixture.surveys.invite(referralID: referral, at: Self.now, on: connection)
            try await fixture.surveys.invite(referralID: referral, at: Self.now, on: connection)  // redelivered: no second
            try await fixture.surveys.invite(referralID: other, at: Self.now.addingTimeInterval(-40 * 86_400), on: connection)
        }
        let invitedReferralID = try #require(ReferralID(referral))
        let invitation = try #require(try await fixture.surveys.invitation(for: invitedReferralID, now: Self.now))
        #expect(invitation.status == .open && invitation.code.hasPrefix("SKM-"))
        let scores: [Int32] = [4, 4, 3, 4, 3, 4, 4, 3, 3]
        _ = try await fixture.surveys.submit(code: invitation.code.lowercased(), answers: Self.answers(scores), suggestion: "", profile: .init(), now: Self.now)
        await #expect(throws: SurveyStore.ResponseError.alreadyUsed) {
            try await fixture.surveys.submit(code: invitation.code, answers: Self.answers(scores), suggestion: "", profile: .init(), now: Self.now)
        }
        let otherReferralID = try #require(ReferralID(other))
        let expired = try #require(try await fixture.surveys.invitation(for: otherReferralID, now: Self.now))
        #expect(expired.status == .expired)
        await #expect(throws: SurveyStore.ResponseError.expired) {
            try await fixture.surveys.submit(code: expired.code, answers: Self.answers(scores), suggestion: "", profile: .init(), now: Self.now)
        }
        await #expect(throws: SurveyStore.ResponseError.unknownCode) {
            try await fixture.surveys.submit(code: "SKM-AAAA-AAAA", answers: Self.answers(scores), suggestion: "", profile: .init(), now: Self.now)
        }
        let outboxRows = try await fixture.database.pool.query("SELECT count(*) AS n FROM outbox").first?.decode(Int.self, "n")
        #expect(outboxRows == 2, "one SurveyInvitationCreated per referral")
        try await fixture.database.drop()
    }

    @Test("the IKM report counts token and paper responses against the people served")
    func ikmReport() async throws {
        let fixture = try await Self.prepare()
        // Four people completed in the period (one of them twice), one outside it.
        let person = UUID().uuidString.lowercased()
        try await fixture.database.pool.withTransaction { connection in
            for (index, personID) in [person, person, UUID().uuidString, UUID().uuidString, UUID().uuidString].enumerated() {
                let referral = UUID().uuidString.lowercased()
                try await fixture.monitoring.recordSubmitted(.with {
                    $0.referralID = referral
                    $0.personID = personID.lowercased()
                    $0.ppksKind = "PPKS-08"
                    $0.kecamatanCode = "63.11.06"
                    $0.submittedAt = Google_Protobuf_Timestamp(date: Self.now.addingTimeInterval(-10 * 86_400))
                }, on: connection)
                let completed = index == 4 ? Self.now.addingTimeInterval(40 * 86_400) : Self.now
                try await fixture.monitoring.recordCompleted(.with {
                    $0.referralID = referral
                    $0.completedAt = Google_Protobuf_Timestamp(date: completed)
                }, on: connection)
            }
        }
        let api = fixture.api(now: Self.now)
        for scores in [[3, 4, 3, 3, 3, 3, 4, 3, 3], [4, 3, 3, 4, 3, 4, 4, 3, 3], [3, 3, 3, 4, 3, 4, 3, 2, 3]] as [[Int32]] {
            _ = try await StaffIdentity.$current.withValue(StaffIdentity(username: "OP-01", roles: [.supervisor, .operator])) { try await api.recordPaperResponse(request: .with {
                $0.answeredOn = .with { $0.year = 2026; $0.month = 12; $0.day = 3 }
                $0.answers = Self.answers(scores)
            }, context: ServerContextStub.context) }
        }
        let report = try await api.ikmReport(from: CivilDate(year: 2026, month: 12, day: 1), to: CivilDate(year: 2026, month: 12, day: 31))
        #expect(report.respondents == 3)
        #expect(report.population == 3)  // distinct people served in December (not the one in January)
        #expect(report.minimumSample == 3)
        #expect(report.sampleSufficient)
        // NRR: 10/3, 10/3, 3, 11/3, 3, 11/3, 11/3, 8/3, 3 -> Σ = 88/3; IKM = 88/27 = 3.2593; × 25 = 81.48.
        #expect(report.ikmConverted == 81.48)
        #expect(report.grade == "B")
        #expect(report.weakestElements == [.u8Complaints])
        try await fixture.database.drop()
    }

    @Test("complaints: lifecycle, confidential identity, deadlines in working days, statistics")
    func complaints() async throws {
        let fixture = try await Self.prepare()
        let filedAt = Self.now
        let complaint = try await fixture.api(now: filedAt).fileComplaint(request: .with {
            $0.description_p = "Petugas tidak datang sesuai janji."
            $0.category = .serviceDelay
            $0.channel = .web
            $0.name = "Ahmad"
            $0.phone = "081200000000"
            $0.trackingCode = "lyr-7k3m-q9tx"
        }, context: ServerContextStub.context)
        #expect(complaint.status == .received && complaint.reference.hasPrefix("ADU-"))
        #expect(complaint.hasContact_p && !complaint.anonymous)
        #expect(complaint.forwardingDue.date == CivilDate(year: 2026, month: 12, day: 10).startInBalangan)
        #expect(complaint.followUpDue.date == CivilDate(year: 2026, month: 12, day: 12).startInBalangan)
        let json = try complaint.jsonString()
        #expect(!json.contains("Ahmad") && !json.contains("081200000000"), "identity stays confidential")

        // Thursday 10 December 09:00 WITA: the forwarding deadline passed without action.
        let late = CivilDate(year: 2026, month: 12, day: 10).startInBalangan.addingTimeInterval(3600)
        let overdue = try await fixture.api(now: late).listComplaints(request: .with { $0.overdueOnly = true }, context: ServerContextStub.context)
        try #require(overdue.complaints.map(\.complaintID) == [complaint.complaintID])
        #expect(overdue.complaints[0].forwardingOverdue && !overdue.complaints[0].followUpOverdue)

        func act(_ action: Layar_V1_ComplaintAction, at time: Date, text: String = "", handler: String = "") async throws -> Layar_V1_Complaint {
            try await StaffIdentity.$current.withValue(StaffIdentity(username: "SPV-01", roles: [.supervisor, .operator])) { try await fixture.api(now: time).actOnComplaint(request: .with {
                $0.complaintID = complaint.complaintID
                $0.action = action
                $0.handlerID = handler
                $0.text = text
            }, context: ServerContextStub.context) }
        }
        let assigned = try await act(.assign, at: late, handler: "PS-01")
        #expect(assigned.status == .assigned && assigned.forwardingOverdue)
        let responded = try await act(.respond, at: late.addingTimeInterval(3600), text: "Kami jadwalkan ulang besok.")
        #expect(responded.status == .responded && responded.response == "Kami jadwalkan ulang besok.")
        let resolved = try await act(.resolve, at: late.addingTimeInterval(86_400), text: "Kunjungan sudah dilakukan.")
        #expect(resolved.status == .resolved && !resolved.followUpOverdue)
        let reopened = try await act(.reopen, at: late.addingTimeInterval(2 * 86_400), text: "Belum tuntas.")
        #expect(reopened.status == .assigned && reopened.reopenCount == 1 && !reopened.hasResolvedAt)
        let refused = await #expect(throws: RPCErrorMatcher.self) {
            do { _ = try await act(.close, at: late.addingTimeInterval(3 * 86_400)) } catch { throw RPCErrorMatcher(error) }
        }
        #expect(refused?.code == "failedPrecondition")
        _ = try await act(.resolve, at: late.addingTimeInterval(3 * 86_400), text: "Selesai.")
        let closed = try await act(.close, at: late.addingTimeInterval(4 * 86_400))
        #expect(closed.status == .closed)
        let ledger = try await fixture.database.pool.query("SELECT count(*) AS n FROM complaint_actions").first?.decode(Int.self, "n")
        #expect(ledger == 6)
        // The complainant's contact stays for the retention period after closing, then goes.
        let closedAt = late.addingTimeInterval(4 * 86_400)
        #expect(try await fixture.complaints.forgetComplainants(closedBefore: closedAt) == 0)
        #expect(try await fixture.complaints.forgetComplainants(closedBefore: closedAt.addingTimeInterval(1)) == 1)
        #expect(try await fixture.complaint(complaint.complaintID)?.hasContact_p == false)

        // An anonymous complaint, filed the same morning as the first, keeps no identity at all.
        let anonymous = try await fixture.api(now: filedAt).fileComplaint(request: .with {
            $0.description_p = "Ada pungutan."
            $0.category = .charges
            $0.channel = .mobile
            $0.anonymous = true
        }, context: ServerContextStub.context)
        #expect(!anonymous.hasContact_p)

        let report = try await fixture.api(now: late.addingTimeInterval(5 * 86_400)).getMonitoringReport(request: .with {
            $0.from = .with { $0.year = 2026; $0.month = 12; $0.day = 1 }
            $0.to = .with { $0.year = 2026; $0.month = 12; $0.day = 31 }
        }, context: ServerContextStub.context)
        #expect(report.complaintsFiled == 2 && report.complaintsResolved == 1)
        #expect(report.complaintResolutionRatio == 0.5 && !report.resolutionTargetMet)
        // First complaint: handled late, and resolved for good (after the reopening) on 13 December,
        // past its follow-up deadline; second: never handled, both deadlines passed by now.
        #expect(report.complaintDeadlineMisses == 4)
        try await fixture.database.drop()
    }

    @Test("the monitoring report from a seeded event history, with its CSV")
    func monitoringReport() async throws {
        let fixture = try await Self.prepare()
        let handler = MonitoringProjection(store: fixture.monitoring).router
        let personA = UUID().uuidString.lowercased()
        // (person, PPKS kind, kecamatan, submitted days before now, completed after days or nil)
        let history: [(String, String, String, Double, Double?)] = [
            (personA, "PPKS-08", "63.11.06", 20, 2),
            (personA, "PPKS-08", "63.11.06", 10, 4),
            (UUID().uuidString, "PPKS-09", "63.11.01", 15, 6),
            (UUID().uuidString, "PPKS-17", "63.11.01", 3, nil),
        ]
        try await fixture.database.pool.withTransaction { connection in
            for (person, kind, kecamatan, ago, after) in history {
                let referral = UUID().uuidString.lowercased()
                let submitted = Self.now.addingTimeInterval(-ago * 86_400)
                try await handler.handle(try Self.event(Layar_V1_ReferralSubmitted.with {
                    $0.referralID = referral
                    $0.personID = person.lowercased()
                    $0.ppksKind = kind
                    $0.kecamatanCode = kecamatan
                    $0.submittedAt = Google_Protobuf_Timestamp(date: submitted)
                }), on: connection)
                if let after {
                    try await handler.handle(try Self.event(Layar_V1_CaseCompleted.with {
                        $0.referralID = referral
                        $0.completedAt = Google_Protobuf_Timestamp(date: submitted.addingTimeInterval(after * 86_400))
                    }), on: connection)
                }
                // What notification delivered for it: the receipt by SMS (once, though announced
                // twice), a failed WhatsApp attempt (not counted), a staff inbox message (not the applicant's).
                let receipt = UUID().uuidString
                for (channel, outcome, audience, messageID) in [
                    (Layar_V1_DeliveryChannel.sms, Layar_V1_NotificationOutcome.sent, Layar_V1_Audience.applicant, receipt),
                    (.sms, .sent, .applicant, receipt), (.whatsapp, .failed, .applicant, UUID().uuidString),
                    (.inbox, .sent, .supervisor, UUID().uuidString),
                ] {
                    try await handler.handle(try Self.event(Layar_V1_NotificationDelivered.with {
                        $0.referralID = referral
                        $0.messageID = messageID
                        $0.channel = Int32(channel.rawValue)
                        $0.audience = Int32(audience.rawValue)
                        $0.outcome = outcome
                        $0.at = Google_Protobuf_Timestamp(date: submitted.addingTimeInterval(60))
                    }), on: connection)
                }
            }
        }
        let report = try await fixture.api(now: Self.now).getMonitoringReport(request: .with {
            $0.from = .with { $0.year = 2026; $0.month = 11; $0.day = 1 }
            $0.to = .with { $0.year = 2026; $0.month = 12; $0.day = 31 }
        }, context: ServerContextStub.context)
        #expect(report.referralsSubmitted == 4)
        #expect(report.referralsCompleted == 3)
        #expect(report.uniqueBeneficiaries == 2)
        #expect(report.byPpksKind.map { "\($0.key)=\($0.count)" } == ["PPKS-08=2", "PPKS-09=1", "PPKS-17=1"])
        #expect(report.byKecamatan.map { "\($0.label)=\($0.count)" } == ["Juai=2", "Paringin=2"])
        #expect(report.byMonth.map { "\($0.key)=\($0.count)" } == ["2026-11=3", "2026-12=1"])
        #expect(report.medianDaysToCompletion == 4)
        #expect(report.p90DaysToCompletion == 5.6)
        #expect(report.csv.hasPrefix("section,key,label,value\r\n"))
        #expect(report.csv.contains("total,unique_beneficiaries,Penerima manfaat (orang),2\r\n"))
        #expect(report.csv.contains("ppks_kind,PPKS-08,Lanjut Usia Terlantar,2\r\n"))
        #expect(report.messagesByChannel.map { "\($0.key)=\($0.count)" } == ["sms=4"], "one receipt per referral, by SMS")
        #expect(report.messagesPerReferral == 1)
        #expect(report.csv.contains("messages,sms,SMS,4\r\n"))
        try await fixture.database.drop()
    }

    static func event<E: LayarEvent>(_ event: E) throws -> InboundEvent {
        try InboundEvent(KafkaConsumerMessageFactory.message(event, time: Self.now))
    }

    @Test("complaints are forwarded to a LAPOR! stand-in: retried on 500, without identity, once")
    func laporForwarding() async throws {
        let fixture = try await Self.prepare()
        let server = try await LocalHTTPServer { request, index in
            index == 0 ? .init(status: 500) : .init(status: 201, body: #"{"id":"LAPOR-2026-0042"}"#)
        }
        let client = HTTPLaporClient(baseURL: server.baseURL, token: "rahasia", client: .shared)
        var forwarder = fixture.forwarder(client)
        forwarder.retries.maximumAttempts = 3
        let api = fixture.api(now: Self.now, lapor: true)
        let complaint = try await api.fileComplaint(request: .with {
            $0.description_p = "Bantuan tidak sampai."
            $0.category = .institution
            $0.channel = .web
            $0.name = "Siti"
            $0.phone = "081300000000"
        }, context: ServerContextStub.context)
        _ = try await StaffIdentity.$current.withValue(StaffIdentity(username: "SPV-01", roles: [.supervisor, .operator])) { try await api.actOnComplaint(request: .with {
            $0.complaintID = complaint.complaintID
            $0.action = .forwardToLapor
        }, context: ServerContextStub.context) }

        #expect(try await forwarder.forwardOne(now: Self.now))  // 500: retried later
        var pending = try #require(try await fixture.complaint(complaint.complaintID))
        #expect(pending.laporStatus == .pending)
        #expect(try await forwarder.forwardOne(now: Self.now) == false, "not due before its backoff")
        #expect(try await forwarder.forwardOne(now: Self.now.addingTimeInterval(3600)))
        pending = try #require(try await fixture.complaint(complaint.complaintID))
        #expect(pending.laporStatus == .forwarded && pending.laporID == "LAPOR-2026-0042")
        #expect(try await forwarder.forwardOne(now: Self.now.addingTimeInterval(7200)) == false, "sent once")

        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.method == "POST" && $0.path == "/complaints" })
        #expect(requests.allSatisfy { $0.header("Idempotency-Key") == complaint.reference })
        #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer rahasia" })
        let body = String(decoding: try #require(requests.last).body, as: UTF8.self)
        #expect(body.contains("Bantuan tidak sampai."))
        #expect(!body.contains("Siti") && !body.contains("081300000000"))
        try await server.stop()
        try await fixture.database.drop()
    }

    @Test("a refusal from LAPOR! stops at once and is shown on the complaint")
    func laporRefusal() async throws {
        let fixture = try await Self.prepare()
        let server = try await LocalHTTPServer { _, _ in .init(status: 400, body: #"{"error":"kategori"}"#) }
        let forwarder = fixture.forwarder(HTTPLaporClient(baseURL: server.baseURL, token: "", client: .shared))
        let api = fixture.api(now: Self.now, lapor: true)
        let complaint = try await api.fileComplaint(request: .with {
            $0.description_p = "Lainnya."
            $0.category = .other
            $0.channel = .web
            $0.anonymous = true
        }, context: ServerContextStub.context)
        _ = try await StaffIdentity.$current.withValue(StaffIdentity(username: "SPV-01", roles: [.supervisor, .operator])) { try await api.actOnComplaint(request: .with {
            $0.complaintID = complaint.complaintID
            $0.action = .forwardToLapor
        }, context: ServerContextStub.context) }
        #expect(try await forwarder.forwardOne(now: Self.now))
        #expect(try await forwarder.forwardOne(now: Self.now.addingTimeInterval(3600)) == false)
        let failed = try #require(try await fixture.complaint(complaint.complaintID))
        #expect(failed.laporStatus == .failed && failed.laporError.contains("400"))
        #expect(server.requests.count == 1)
        try await server.stop()
        try await fixture.database.drop()
    }
}
