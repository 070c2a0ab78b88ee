import AsyncHTTPClient
import Foundation
import LayarDomain
import LayarJobs
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Synchronization
import Testing

@testable import LayarNotification

/// Notification planning and delivery against the real PostgreSQL server and a real local HTTP
/// server standing in for the SMS/WhatsApp/mail gateways.
@Suite("Notification delivery")
struct NotificationDeliveryTests {
    struct Fixture {
        let database: ScratchDatabase
        let store: NotificationStore
        let planner: EventRouter
        /// The one clock of the store, the planner and the dispatcher (through the store).
        let clock: TestClock

        func dispatcher(
            sms: (any MessageSender)? = nil, email: (any MessageSender)? = nil, maximumAttempts: Int = 4
        ) -> Dispatcher {
            var senders: [Layar_V1_DeliveryChannel: any MessageSender] = [:]
            senders[.sms] = sms
            senders[.email] = email
            var dispatcher = Dispatcher(store: store, senders: senders, limiters: [:], logger: TestEnvironment.logger)
            dispatcher.retries = DeliveryRetries(maximumAttempts: maximumAttempts, base: .milliseconds(100), cap: .seconds(1800))
            return dispatcher
        }

        func count(_ sql: StaticString, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
            try #require(try await database.pool.query(sql, parameters).first).decode(Int.self, "n")
        }
    }

    /// Friday 4 December 2026, 10:00 WITA: a working morning outside any quiet hours.
    static let fridayMorning = TestClock(CivilDate(year: 2026, month: 12, day: 4), hour: 10).now

    static func prepare(
        quietHours: QuietHours = QuietHours(startHour: 0, endHour: 0), at start: Date = fridayMorning, coalescing: Duration = .zero
    ) async throws -> Fixture {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: NotificationMigrations.all, logger: TestEnvironment.logger).migrate(database.pool)
        let clock = TestClock(start)
        let store = NotificationStore(
            pool: database.pool, cipher: try await TestDataKeys.cipher(on: database.pool, clock: clock.clock), clock: clock.clock
        )
        let planner = NotificationPlanner(store: store, quietHours: quietHours, coalescing: coalescing)
        return Fixture(database: database, store: store, planner: planner.router, clock: clock)
    }

    /// Feeds events to the planner as the inbox consumer would, a second apart on the fixture's
    /// clock (what is planned later is recorded later, as in production).
    static func feed(_ fixture: Fixture, _ events: [any LayarEvent], ids: [String]? = nil) async throws {
        for (index, event) in events.enumerated() {
            let message = try KafkaConsumerMessageFactory.message(event, id: ids?[index] ?? UUID().uuidString, time: fixture.clock.now)
            try await fixture.database.pool.withTransaction { connection in
                try await fixture.planner.handle(try InboundEvent(message), on: connection)
            }
            fixture.clock.advance(1)
        }
    }

    /// The messages of `referral`, oldest first.
    static func messages(_ fixture: Fixture, _ referral: String) async throws -> [Layar_V1_NotificationMessage] {
        try await fixture.store.messages(for: try #require(ReferralID(referral)))
    }

    static func referral(
        phone: String = "+6281234567890", email: String = "", preferred: Layar_V1_ContactChannel = .sms,
        urgency: Layar_V1_Urgency = .normal, consent: [Layar_V1_ConsentPurpose] = [.verification, .referral, .notification, .survey]
    ) -> (id: String, events: [any LayarEvent]) {
        let id = UUID().uuidString.lowercased()
        let submitted = Layar_V1_ReferralSubmitted.with {
            $0.referralID = id
            $0.trackingCode = "LYR-ABCD-EFGH"
            $0.ppksKind = "PPKS-08"
            $0.kecamatanCode = "63.11.06"
            $0.urgency = urgency
        }
        let contact = Layar_V1_ApplicantContactRecorded.with {
            $0.referralID = id
            $0.trackingCode = "LYR-ABCD-EFGH"
            $0.phone = phone
            $0.email = email
            $0.preferredChannel = preferred
            $0.consentPurposes = consent
        }
        return (id, [submitted, contact])
    }

    static func gateway(_ respond: @escaping @Sendable (LocalHTTPServer.Request, Int) -> LocalHTTPServer.Response) async throws
        -> (LocalHTTPServer, WebhookSender)
    {
        let server = try await LocalHTTPServer(respond: respond)
        var call = HTTPGatewayCall(client: .shared)
        call.timeout = .milliseconds(500)
        return (server, WebhookSender(url: server.baseURL + "/sms", token: "t0ken", call: call))
    }

    @Test("a message sent through the gateway is recorded and announced once; redelivered events add nothing")
    func success() async throws {
        let fixture = try await Self.prepare()
        let (server, sms) = try await Self.gateway { _, index in .init(status: 200, body: #"{"id":"gw-\#(index)"}"#) }
        let (referral, events) = Self.referral()
        let ids = [UUID().uuidString, UUID().uuidString]
        try await Self.feed(fixture, events, ids: ids)
        try await Self.feed(fixture, events, ids: ids)  // the same events again
        let dispatcher = fixture.dispatcher(sms: sms)
        #expect(try await dispatcher.dispatchBatch() == 1)
        #expect(try await dispatcher.dispatchBatch() == 0)

        let log = try await Self.messages(fixture, referral)
        try #require(log.count == 1)
        #expect(log[0].status == .sent && log[0].channel == .sms && log[0].attempts == 1)
        #expect(log[0].recipient == "+62812****7890", "addresses are masked")
        #expect(server.requests.count == 1)
        let request = try #require(server.requests.first)
        #expect(request.header("Idempotency-Key") == log[0].id && request.header("Authorization") == "Bearer t0ken")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
        #expect(body["to"] == "+6281234567890" && body["text"]?.contains("LYR-ABCD-EFGH") == true)
        #expect(try await fixture.count("SELECT count(*) AS n FROM outbox WHERE event_type = $1", [Layar_V1_NotificationDelivered.eventType]) == 1)
        // Past the retention period the message keeps its record, not its address.
        #expect(try await fixture.store.forgetAddresses(before: fixture.clock.now.addingTimeInterval(-60)) == 0)
        #expect(try await fixture.store.forgetAddresses(before: fixture.clock.now.addingTimeInterval(60)) == 1)
        let forgotten = try #require(try await Self.messages(fixture, referral).first)
        #expect(forgotten.status == .sent && forgotten.recipient.isEmpty)
        try await server.stop()
        try await fixture.database.drop()
    }

    @Test("steps a minute apart go to the applicant as one SMS, announced once; an urgent referral's go at once")
    func coalescing() async throws {
        let fixture = try await Self.prepare(coalescing: .seconds(120))
        let (server, sms) = try await Self.gateway { _, index in .init(status: 200, body: #"{"id":"gw-\#(index)"}"#) }
        var dispatcher = fixture.dispatcher(sms: sms)
        dispatcher.coalescing = .seconds(120)
        let (referral, events) = Self.referral()
        try await Self.feed(fixture, events)  // the receipt, due in two minutes
        fixture.clock.advance(30)
        try await Self.feed(fixture, [Layar_V1_ReferralVerified.with { $0.referralID = referral }])
        #expect(try await dispatcher.dispatchBatch() == 0)  // both wait for what may follow
        fixture.clock.advance(100)  // the receipt is due, the verification 30 s later: within the window
        #expect(try await dispatcher.dispatchBatch() == 2)

        let log = try await Self.messages(fixture, referral)
        #expect(log.count == 2 && log.allSatisfy { $0.status == .sent })
        try #require(server.requests.count == 1)
        let request = try #require(server.requests.first)
        let text = try #require((try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])?["text"])
        let receipt = try #require(text.range(of: "diterima"))
        let verified = try #require(text.range(of: "lolos verifikasi"))
        #expect(receipt.lowerBound < verified.lowerBound, "in the order they happened")
        let key = try #require(request.header("Idempotency-Key"))
        let sent = try log.map { due in
            NotificationStore.Due(
                id: try #require(MessageID(due.id)), referralID: referral, eventID: "", eventType: "", audience: .applicant, channel: .sms,
                recipient: "", body: "", shortBody: "", longBody: "", urgent: false, requiredNotice: false, attempts: 1, kind: "",
                createdAt: fixture.clock.now
            )
        }
        #expect(!log.map(\.id).contains(key) && key == Dispatcher.idempotencyKey(sent))
        // One SMS paid for, one NotificationDelivered: the monitoring report counts sends.
        #expect(try await fixture.count("SELECT count(*) AS n FROM outbox WHERE event_type = $1", [Layar_V1_NotificationDelivered.eventType]) == 1)

        // An urgent referral's messages are not held.
        let (urgent, urgentEvents) = Self.referral(urgency: .urgent)
        try await Self.feed(fixture, urgentEvents)
        #expect(try await dispatcher.dispatchBatch() == 1)
        #expect(try await Self.messages(fixture, urgent).first?.status == .sent)
        try await server.stop()
        try await fixture.database.drop()
    }

    @Test("consent purposes gate the applicant's messages: without NOTIFICATION only required notices, without SURVEY no invitation")
    func consentGates() async throws {
        let fixture = try await Self.prepare()
        func story(_ referral: String) -> [any LayarEvent] {
            [
                Layar_V1_ReferralVerified.with { $0.referralID = referral },
                Layar_V1_ReferralRejected.with { $0.referralID = referral },
                Layar_V1_SurveyInvitationCreated.with {
                    $0.referralID = referral
                    $0.code = "SKM-ABCD-2345"
                },
            ]
        }
        func statuses(_ referral: String) async throws -> [String: Layar_V1_DeliveryStatus] {
            Dictionary(try await Self.messages(fixture, referral).map { ($0.eventType, $0.status) }) { first, _ in first }
        }
        // Consent to verification and referral only.
        let (quiet, quietEvents) = Self.referral(consent: [.verification, .referral])
        try await Self.feed(fixture, quietEvents + story(quiet))
        let told = try await statuses(quiet)
        #expect(told[Layar_V1_ReferralSubmitted.eventType] == .suppressed)
        #expect(told[Layar_V1_ReferralVerified.eventType] == .suppressed)
        #expect(told[Layar_V1_ReferralRejected.eventType] == .pending, "a decision against the applicant is a required notice")
        #expect(told[Layar_V1_SurveyInvitationCreated.eventType] == .suppressed)
        // Consent to notification, not to the survey.
        let (noSurvey, noSurveyEvents) = Self.referral(consent: [.verification, .referral, .notification])
        try await Self.feed(fixture, noSurveyEvents + story(noSurvey))
        let noSurveyTold = try await statuses(noSurvey)
        #expect(noSurveyTold[Layar_V1_ReferralVerified.eventType] == .pending)
        #expect(noSurveyTold[Layar_V1_SurveyInvitationCreated.eventType] == .suppressed)
        // The contact may arrive after the invitation was planned: the gate holds then too.
        let (late, lateEvents) = Self.referral(consent: [.verification, .referral, .notification])
        try await Self.feed(fixture, [lateEvents[0]] + [story(late)[2], lateEvents[1]])
        #expect(try await statuses(late)[Layar_V1_SurveyInvitationCreated.eventType] == .suppressed)
        try await fixture.database.drop()
    }

    @Test("a 500 and a timeout are retried with backoff; then the message goes")
    func retries() async throws {
        let fixture = try await Self.prepare()
        let (server, sms) = try await Self.gateway { _, index in
            switch index {
            case 0: .init(status: 503)
            case 1: .init(status: 200, delay: .seconds(2))  // longer than the client's timeout
            default: .init(status: 200, body: #"{"id":"ok"}"#)
            }
        }
        let (referral, events) = Self.referral()
        try await Self.feed(fixture, events)
        let dispatcher = fixture.dispatcher(sms: sms)
        #expect(try await dispatcher.dispatchBatch() == 1)  // 503
        #expect(try await dispatcher.dispatchBatch() == 0, "waits for its backoff")
        fixture.clock.advance(60)
        #expect(try await dispatcher.dispatchBatch() == 1)  // timeout
        fixture.clock.advance(60)
        #expect(try await dispatcher.dispatchBatch() == 1)  // accepted
        let message = try #require(try await Self.messages(fixture, referral).first)
        #expect(message.status == .sent && message.attempts == 3)
        #expect(Set(server.requests.map { $0.header("Idempotency-Key") }).count == 1, "one key for every attempt")
        try await server.stop()
        try await fixture.database.drop()
    }

    @Test("a 400 is permanent: a dead letter at once, and the next channel gets the message")
    func permanentFailure() async throws {
        let fixture = try await Self.prepare()
        let (server, sms) = try await Self.gateway { _, _ in .init(status: 400, body: #"{"error":"invalid number"}"#) }
        let mailbox = try await LocalHTTPServer { _, _ in .init(status: 202, body: #"{"id":"mail-1"}"#) }
        let email = HTTPMailSender(url: mailbox.baseURL + "/mail", token: "", from: "layar@dinsos.balangankab.go.id", call: HTTPGatewayCall(client: .shared))
        let (referral, events) = Self.referral(email: "siti@example.id")
        try await Self.feed(fixture, events)
        let dispatcher = fixture.dispatcher(sms: sms, email: email)
        #expect(try await dispatcher.dispatchBatch() == 1)  // SMS refused
        fixture.clock.advance(1)
        #expect(try await dispatcher.dispatchBatch() == 1)  // e-mail instead
        let log = try await Self.messages(fixture, referral)
        try #require(log.map(\.channel) == [.sms, .email])
        #expect(log.map(\.status) == [.failed, .sent])
        #expect(log[0].attempts == 1 && log[0].error.contains("400"))
        #expect(log[1].recipient == "s***@example.id")
        #expect(server.requests.count == 1 && mailbox.requests.count == 1)
        let dead = try await NotificationAPI(store: fixture.store).listDeadLetters(request: .init(), context: ServerContextStub.context)
        #expect(dead.messages.map(\.id) == [log[0].id])
        try await server.stop()
        try await mailbox.stop()
        try await fixture.database.drop()
    }

    @Test("a provider down longer than the retry budget leaves a dead letter with the reason")
    func retriesExhausted() async throws {
        let fixture = try await Self.prepare()
        let (server, sms) = try await Self.gateway { _, _ in .init(status: 502) }
        let (referral, events) = Self.referral()
        try await Self.feed(fixture, events)
        let dispatcher = fixture.dispatcher(sms: sms, maximumAttempts: 3)
        for _ in 0..<3 {
            #expect(try await dispatcher.dispatchBatch() == 1)
            fixture.clock.advance(3600)
        }
        #expect(try await dispatcher.dispatchBatch() == 0)
        let message = try #require(try await Self.messages(fixture, referral).first)
        #expect(message.status == .failed && message.attempts == 3 && message.error.contains("502"))
        #expect(server.requests.count == 3)
        let outcomes = try await fixture.database.pool.query("SELECT payload FROM outbox").map {
            try Layar_V1_NotificationDelivered(
                serializedBytes: try fixture.store.cipher.open(try $0.decode([UInt8].self, "payload"), Outbox.payloadField)
            ).outcome
        }
        #expect(outcomes == [.failed])
        try await server.stop()
        try await fixture.database.drop()
    }

    @Test("a crash between sending and recording re-sends with the same idempotency key, recorded once")
    func crashBetweenSendAndRecord() async throws {
        let fixture = try await Self.prepare()
        // A gateway that honours idempotency keys: a repeated key gets the first answer back.
        let (server, sms) = try await Self.gateway { request, _ in
            .init(status: 200, body: #"{"id":"gw-\#(request.header("Idempotency-Key") ?? "")"}"#)
        }
        let (referral, events) = Self.referral()
        try await Self.feed(fixture, events)
        // The process claims and sends, then dies before recording.
        let claimed = try await fixture.store.claimDue(limit: 10, now: fixture.clock.now, lease: .seconds(60))
        try #require(claimed.count == 1)
        _ = try await sms.send(OutgoingMessage(id: claimed[0].id.description, to: claimed[0].recipient, text: claimed[0].body, subject: ""))
        // After the lease the next process sends again.
        let dispatcher = fixture.dispatcher(sms: sms)
        #expect(try await dispatcher.dispatchBatch() == 0, "the claim still holds")
        fixture.clock.advance(61)
        #expect(try await dispatcher.dispatchBatch() == 1)
        let message = try #require(try await Self.messages(fixture, referral).first)
        #expect(message.status == .sent && message.attempts == 2)
        #expect(server.requests.count == 2)
        #expect(Set(server.requests.map { $0.header("Idempotency-Key") }) == [message.id])
        try await server.stop()
        try await fixture.database.drop()
    }

    @Test("the contact may come after the event; do-not-contact suppresses all but required notices")
    func contactAndConsent() async throws {
        let fixture = try await Self.prepare()
        let (referral, events) = Self.referral(preferred: .none)
        try #require(events.count == 2)
        try await Self.feed(fixture, [events[0]])  // submitted, contact not yet known
        var log = try await Self.messages(fixture, referral)
        try #require(log.map(\.status) == [.pending])
        #expect(log[0].channel == .unspecified)
        try await Self.feed(fixture, [events[1]])  // contact: do not contact
        try await Self.feed(fixture, [Layar_V1_ReferralRejected.with { $0.referralID = referral }])
        log = try await Self.messages(fixture, referral)
        try #require(log.map(\.status) == [.suppressed, .pending])
        #expect(log[1].eventType == Layar_V1_ReferralRejected.eventType && log[1].channel == .sms)
        try await fixture.database.drop()
    }

    @Test("a step announced before intake's events waits for them and then names the tracking code")
    func stepBeforeIntake() async throws {
        let fixture = try await Self.prepare()
        let (referral, events) = Self.referral()
        try #require(events.count == 2)
        // Verification's topic was read first: neither the code nor the contact is known yet.
        try await Self.feed(fixture, [Layar_V1_ReferralInformationRequested.with {
            $0.referralID = referral
            $0.missingDocuments = [.ktp]
        }])
        var log = try await Self.messages(fixture, referral)
        try #require(log.count == 1)
        #expect(log[0].status == .pending && log[0].channel == .unspecified)
        try await Self.feed(fixture, [events[1], events[0]])  // the contact, then the submission
        log = try await Self.messages(fixture, referral)
        let request = try #require(log.first { $0.eventType == Layar_V1_ReferralInformationRequested.eventType })
        #expect(request.channel == .sms && request.body.contains("LYR-ABCD-EFGH"))
        #expect(!request.body.contains(FactPlaceholder.code.token) && !request.body.contains("Anda"))
        let waiting = try #require(try await fixture.database.pool.query(
            "SELECT body_short, body_long FROM messages WHERE event_type = $1", [Layar_V1_ReferralInformationRequested.eventType]
        ).first)
        #expect(try waiting.decode(String.self, "body_short").contains("LYR-ABCD-EFGH"))
        #expect(try waiting.decode(String.self, "body_long").contains("LYR-ABCD-EFGH"))

        // The applicant's text answers that request, even though intake's acknowledgment was
        // recorded after it.
        let awaits = try await fixture.database.pool.withConnection { try await fixture.store.awaitsInformation(referral, on: $0) }
        #expect(awaits)
        try await fixture.database.drop()
    }

    @Test("quiet hours hold non-urgent SMS until the morning; urgent ones go at once")
    func quietHours() async throws {
        let quiet = QuietHours(startHour: 21, endHour: 7)
        let night = Date(timeIntervalSince1970: 1_796_349_600 + 12 * 3600)  // 22:00 WITA
        let morning = Date(timeIntervalSince1970: 1_796_349_600 + 21 * 3600)  // next day 07:00 WITA
        #expect(quiet.sendTime(for: night, urgent: false, channel: .sms) == morning)
        #expect(quiet.sendTime(for: night, urgent: true, channel: .sms) == night)
        #expect(quiet.sendTime(for: night, urgent: false, channel: .email) == night)
        let early = Date(timeIntervalSince1970: 1_796_349_600 + 17 * 3600)  // 03:00 WITA
        #expect(quiet.sendTime(for: early, urgent: false, channel: .whatsapp) == morning)
        let noon = Date(timeIntervalSince1970: 1_796_349_600 + 2 * 3600)
        #expect(quiet.sendTime(for: noon, urgent: false, channel: .sms) == noon)
        #expect(QuietHours("25-7") == nil)
    }

    @Test("the preferred channel comes first when it has an address")
    func channelChoice() {
        let both = ChannelChoice.Contact(phone: "+6281234567890", email: "a@b.id", preferred: .email)
        #expect(ChannelChoice.candidates(for: both, requiredNotice: false) == [.email, .sms, .whatsapp])
        let noEmail = ChannelChoice.Contact(phone: "+6281234567890", email: "", preferred: .email)
        #expect(ChannelChoice.candidates(for: noEmail, requiredNotice: false) == [.sms, .whatsapp])
        let none = ChannelChoice.Contact(phone: "+6281234567890", email: "", preferred: .none)
        #expect(ChannelChoice.candidates(for: none, requiredNotice: false).isEmpty)
        #expect(ChannelChoice.candidates(for: none, requiredNotice: true) == [.sms, .whatsapp])
    }

    @Test("staff are told in their inbox: a new case for its worker, an emergency for supervisors", .actingAs([.supervisor]))
    func staffInbox() async throws {
        let fixture = try await Self.prepare()
        let (referral, events) = Self.referral(urgency: .emergency)
        try await Self.feed(fixture, events + [Layar_V1_CaseAssigned.with {
            $0.referralID = referral
            $0.caseWorkerID = "PS-02"
            $0.caseWorkerName = "Yusuf Hamdani"
        }])
        let api = NotificationAPI(store: fixture.store)
        let inbox = try await api.listInbox(request: .with { $0.recipient = "PS-02" }, context: ServerContextStub.context)
        try #require(inbox.messages.count == 1)
        #expect(inbox.messages[0].body.contains("Lanjut Usia Terlantar") && inbox.messages[0].body.contains("Paringin"))
        #expect(inbox.messages[0].channel == .inbox && inbox.messages[0].status == .sent && !inbox.messages[0].read)
        let supervisors = try await api.listInbox(request: .with { $0.recipient = "role:supervisor" }, context: ServerContextStub.context)
        try #require(supervisors.messages.count == 1)
        #expect(supervisors.messages[0].body.contains("darurat"))

        try await Self.feed(fixture, [
            Layar_V1_ReferralQueued.with {
                $0.referralID = referral
                $0.failedChecks = ["identity"]
            },
            Layar_V1_RejectionProposed.with {
                $0.referralID = referral
                $0.proposedBy = "VER-01"
            },
        ])
        let verifiers = try await api.listInbox(request: .with { $0.recipient = "role:verifier" }, context: ServerContextStub.context)
        #expect(verifiers.messages.count == 2)  // the emergency, then the queue
        #expect(verifiers.messages.contains { $0.body.contains("antrean verifikasi") && $0.body.contains("identitas") })
        let confirmations = try await api.listInbox(request: .with { $0.recipient = "role:supervisor" }, context: ServerContextStub.context)
        #expect(confirmations.messages.contains { $0.body.contains("mengusulkan penolakan") })
        let marked = try await api.markRead(request: .with {
            $0.recipient = "PS-02"
            $0.messageIds = [inbox.messages[0].id, supervisors.messages[0].id]  // another's id is ignored
        }, context: ServerContextStub.context)
        #expect(marked.marked == 1)
        let unread = try await api.listInbox(request: .with {
            $0.recipient = "PS-02"
            $0.unreadOnly = true
        }, context: ServerContextStub.context)
        #expect(unread.messages.isEmpty)
        try await fixture.database.drop()
    }

    @Test("a staff message about a referral intake has not announced yet waits, then names its code, PPKS kind and kecamatan", .actingAs([.supervisor]))
    func staffMessageBeforeIntake() async throws {
        let fixture = try await Self.prepare()
        let (referral, events) = Self.referral()
        try #require(events.count == 2)
        // Verification's topic was read first: the verifiers' queue message cannot name the referral yet.
        try await Self.feed(fixture, [Layar_V1_ReferralQueued.with {
            $0.referralID = referral
            $0.failedChecks = ["identity"]
        }])
        let api = NotificationAPI(store: fixture.store)
        #expect(try await api.listInbox(request: .with { $0.recipient = "role:verifier" }, context: ServerContextStub.context).messages.isEmpty)
        try await Self.feed(fixture, [events[0]])  // intake's submission
        let inbox = try await api.listInbox(request: .with { $0.recipient = "role:verifier" }, context: ServerContextStub.context)
        let queued = try #require(inbox.messages.first)
        #expect(inbox.messages.count == 1 && queued.status == .sent)
        #expect(queued.body.contains("LYR-ABCD-EFGH") && queued.body.contains("Lanjut Usia Terlantar") && queued.body.contains("Paringin") && !queued.body.contains(referral))
        #expect(!FactPlaceholder.allCases.contains { queued.body.contains($0.token) })
        try await fixture.database.drop()
    }

    @Test(
        "offer steps reach the partner agency and the case worker; a missed deadline reaches supervisors; registry proposals reach verifiers",
        .actingAs([.supervisor])
    )
    func offersAndEscalations() async throws {
        let fixture = try await Self.prepare()
        let (referral, events) = Self.referral()
        func step(
            _ type: Layar_V1_TransitionType, reason: String = "", declineReason: Layar_V1_DeclineReason = .unspecified
        ) -> Layar_V1_CaseTransitioned {
            .with {
                $0.referralID = referral
                $0.caseWorkerID = "PS-02"
                $0.institutionCode = "PPRSLU-BUDI-SEJAHTERA"
                $0.letterNumber = "460/045/DINSOS-BLG/2026"
                $0.transition = .with {
                    $0.type = type
                    $0.reason = reason
                    $0.declineReason = declineReason
                }
            }
        }
        try await Self.feed(fixture, events + [
            step(.offered), step(.declined, reason: "NO_CAPACITY: penuh sampai Maret", declineReason: .noCapacity), step(.offered), step(.expired),
            step(.assessed),
            Layar_V1_CaseDeadlineMissed.with {
                $0.referralID = referral
                $0.deadline = .partnerAnswer
                $0.institutionCode = "PPRSLU-BUDI-SEJAHTERA"
            },
        ])
        let api = NotificationAPI(store: fixture.store)
        func inbox(_ recipient: String) async throws -> [String] {
            try await api.listInbox(request: .with { $0.recipient = recipient }, context: ServerContextStub.context).messages.map(\.body)
        }
        let partner = try await inbox("partner:PPRSLU-BUDI-SEJAHTERA")
        #expect(partner.count == 3, "two offers and one withdrawal")
        #expect(partner.allSatisfy { $0.contains("460/045/DINSOS-BLG/2026") && !$0.contains("LYR-ABCD-EFGH") })
        #expect(partner.contains { $0.contains("kedaluwarsa") })
        let worker = try await inbox("PS-02")
        #expect(worker.count == 2)
        #expect(worker.contains { $0.contains("menolak (tidak ada tempat)") && !$0.contains("penuh sampai Maret") })
        #expect(worker.contains { $0.contains("tidak menjawab sampai batas waktu") })
        let supervisors = try await inbox("role:supervisor")
        #expect(supervisors.count == 1 && supervisors.first?.contains("jawaban lembaga PPRSLU-BUDI-SEJAHTERA") == true)
        var applicant = try await Self.messages(fixture, referral).filter { $0.audience == .applicant }
        #expect(applicant.count == 1, "only the submission: offer steps are not the applicant's business")

        try await Self.feed(fixture, [
            Layar_V1_ReferralDocumentsAdded.with { $0.referralID = referral },
            Layar_V1_RegistryProposalRaised.with {
                $0.referralID = referral
                $0.kecamatanCode = "63.11.06"
                $0.desaCode = "63.11.06.1023"
            },
        ])
        applicant = try await Self.messages(fixture, referral).filter { $0.audience == .applicant }
        #expect(applicant.map(\.eventType).sorted() == [
            Layar_V1_ReferralDocumentsAdded.eventType, Layar_V1_RegistryProposalRaised.eventType,
            Layar_V1_ReferralSubmitted.eventType,
        ].sorted())
        #expect(try await inbox("role:verifier").contains { $0.contains("Desa Paringin Kota") && $0.contains("DTSEN") })
        try await fixture.database.drop()
    }
}
