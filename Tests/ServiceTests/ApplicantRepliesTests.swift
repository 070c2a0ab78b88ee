import Foundation
import LayarDomain
import LayarKafka
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

@testable import LayarIntake
@testable import LayarVerification

/// What the other services do with notification's `layar.notification.replies.v1`: intake records
/// an opt-out as a consent change, verification keeps an answer in the verifier's case; both
/// against the real PostgreSQL server, fed as their inbox consumers feed them.
@Suite("Applicants' replies")
struct ApplicantRepliesTests {
    @Test("an opt-out is recorded as a consent change and the new consent announced; once; from any other source it is refused")
    func optOutInIntake() async throws {
        let (database, store, clock) = try await IntakeStoreTests.prepare()
        let submission = try await store.submit(SampleReferral.uniqueForm(), requestID: UUID())
        let id = submission.referralID.description
        let optedOut = Layar_V1_ApplicantOptedOut.with {
            $0.referralID = id
            $0.channel = .whatsapp
            $0.optedOutAt = .init(date: clock.now)
        }
        let router = ConsentChanges(store: store).router
        for _ in 0..<2 {  // the same event again (a redelivery) changes nothing more
            let message = try KafkaConsumerMessageFactory.message(optedOut, id: "opt-1", time: clock.now)
            try await database.pool.withTransaction { try await router.handle(try InboundEvent(message), on: $0) }
            clock.advance(5)
        }
        let change = try #require(try await store.consentChanges(submission.referralID).first)
        #expect(try await store.consentChanges(submission.referralID).count == 1)
        #expect(Set(change.before).isSuperset(of: ["notification", "survey"]) && !change.after.contains("notification") && !change.after.contains("survey"))
        #expect(change.after.contains("verification") && change.after.contains("referral"))
        #expect(change.channel == Layar_V1_DeliveryChannel.whatsapp.rawValue)
        let stored = try #require(try await database.pool.query("SELECT consent_purposes FROM referrals WHERE id = $1", [submission.referralID]).first)
        #expect(try stored.decode(PostgresTextArray.self, "consent_purposes").elements == change.after)

        // Notification hears the new consent: the contact again, without the two purposes.
        let contacts = try await database.pool.query(
            "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", [Layar_V1_ApplicantContactRecorded.eventType]
        ).map { try Layar_V1_ApplicantContactRecorded(serializedBytes: try store.cipher.open(try $0.decode([UInt8].self, "payload"), Outbox.payloadField)) }
        #expect(contacts.count == 2)
        let latest = try #require(contacts.last)
        #expect(latest.referralID == id && !latest.consentPurposes.contains(.notification) && !latest.consentPurposes.contains(.survey))
        #expect(latest.trackingCode == submission.trackingCode)

        // Only notification writes the topic: the same event from another service is never obeyed.
        var forged = try KafkaConsumerMessageFactory.message(optedOut, id: "opt-2", time: clock.now)
        forged.headers = CloudEventHeaders.make(
            id: "opt-2", type: Layar_V1_ApplicantOptedOut.eventType, source: LayarServiceName.assignment.eventSource, subject: id, time: clock.now
        )
        #expect(throws: EventRejection.self) { try InboundEvent(forged) }
        try await database.drop()
    }

    @Test("an answer is kept in the verifier's case, sealed at rest, once; erasure removes it")
    func replyInVerification() async throws {
        let (database, store) = try await VerificationStoreTests.prepare()
        let submitted = VerificationStoreTests.submitted(SampleReferral.uniqueForm())
        try await VerificationStoreTests.feed(submitted, store: store, database: database)
        let text = "KK sudah difoto, saya antar ke kantor desa besok"
        let replied = Layar_V1_ApplicantReplied.with {
            $0.referralID = submitted.referralID
            $0.channel = .sms
            $0.text = text
            $0.receivedAt = .init(date: store.clock.now)
        }
        let router = ApplicantReplies(store: store).router
        for _ in 0..<2 {
            let message = try KafkaConsumerMessageFactory.message(replied, id: "reply-1", time: store.clock.now)
            try await database.pool.withTransaction { try await router.handle(try InboundEvent(message), on: $0) }
        }
        let referralID = try #require(ReferralID(submitted.referralID))
        let found = try #require(try await store.verificationCase(referralID))
        #expect(found.applicantReplies.map(\.text) == [text])
        #expect(found.applicantReplies.first?.channel == .sms)
        let raw = try #require(try await database.pool.query("SELECT text FROM applicant_replies").first).decode([UInt8].self, "text")
        #expect(!String(decoding: raw, as: UTF8.self).contains("KK sudah"))

        // A reply about a referral verification never saw is dropped.
        let stray = try KafkaConsumerMessageFactory.message(
            Layar_V1_ApplicantReplied.with { $0.referralID = UUID().uuidString.lowercased(); $0.text = "?" }, time: store.clock.now
        )
        try await database.pool.withTransaction { try await router.handle(try InboundEvent(stray), on: $0) }
        #expect(try #require(try await database.pool.query("SELECT count(*) AS n FROM applicant_replies").first).decode(Int.self, "n") == 1)

        _ = try await database.pool.withTransaction { connection in
            try await store.anonymise(.with { $0.referralIds = [submitted.referralID] }, on: connection)
        }
        #expect(try await store.verificationCase(referralID)?.applicantReplies.isEmpty == true)
        try await database.drop()
    }
}
