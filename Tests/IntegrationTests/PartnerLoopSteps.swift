import Foundation
import GRPCCore
import GRPCProtobuf
import LayarKafka
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

extension WalkingSkeletonTests {
    /// The closed loop with a partner agency through the real stack: the case worker assesses
    /// and offers; the agency reads the offer from its own topic with its own consumer group and
    /// answers through the partner API with its key; another agency sees and answers nothing.
    func partnerLoop(referralID: String, services: ServiceProcesses) async throws -> Layar_V1_Case {
        let agency = "PPRSLU-BUDI-SEJAHTERA"
        let token = try await TestStaffTokens.token([.caseWorker, .supervisor], username: "ps-02")
        let staff: Metadata = ["authorization": .string("Bearer \(token)")]
        return try await #require(services.addresses["assignment"]).withStaffClient { client in
            let assignment = Layar_V1_AssignmentService.Client(wrapping: client)
            let partner = Layar_V1_PartnerService.Client(wrapping: client)
            let key = try await assignment.issuePartnerKey(.with { $0.institutionCode = agency }).key
            let otherKey = try await assignment.issuePartnerKey(.with { $0.institutionCode = "BNNK-BALANGAN" }).key

            let assessed = try await assignment.recordAssessment(.with {
                $0.referralID = referralID
                $0.needs = "Lansia tinggal sendiri, tidak ada keluarga yang merawat"
                $0.plan = "Rujuk ke panti sosial lanjut usia"
                $0.route = .refer
                $0.service = .residentialRehabilitation
            }, metadata: staff)
            #expect(assessed.status == .assessed)
            let suggested = try await assignment.suggestInstitutions(.with { $0.referralID = referralID })
            #expect(suggested.institutions.map(\.code) == [agency])

            // Bad input: every problem named by field.
            let invalid = await #expect(throws: RPCError.self) {
                try await assignment.sendOffer(.with { $0.referralID = referralID })
            }
            let fields = try invalid?.unpackGoogleRPCStatus()?.details.flatMap { $0.badRequest?.violations ?? [] }.map(\.field)
            #expect(fields == ["institution_code", "letter_number", "summary"])

            let offered = try await assignment.sendOffer(.with {
                $0.referralID = referralID
                $0.institutionCode = agency
                $0.letterNumber = "460/045/DINSOS-BLG/2026"
                $0.summary = "Lansia 70 tahun terlantar, dapat berjalan sendiri"
            }, metadata: staff)
            #expect(offered.status == .offered)
            let offerID = try #require(offered.offers.first?.offerID)

            // The agency's own consumer group on its own topic.
            var configuration = KafkaConsumerConfiguration(
                bootstrapServers: try TestEnvironment.kafkaBrokers(), groupID: "\(agency.lowercased()).it-\(UUID().uuidString.prefix(6))",
                topics: [LayarTopic.partnerOffers(prefix: LayarTopic.defaultPartnerPrefix(institutionCode: agency))]
            )
            configuration.sessionTimeoutMilliseconds = 6_000
            let consumer = try KafkaConsumer(configuration: configuration, logger: TestEnvironment.logger)
            let record = try await Self.first(from: consumer) { String(decoding: $0.key ?? [], as: UTF8.self) == offerID }
            await consumer.close()
            #expect(record.headers.text("ce_type") == Layar_Partner_V1_ReferralOffer.eventType)
            #expect(record.headers.text("ce_subject") == offerID)
            let offer = try Layar_Partner_V1_ReferralOffer(serializedBytes: record.value)
            #expect(offer.letterNumber == "460/045/DINSOS-BLG/2026" && offer.ppksKind == "PPKS-08")
            #expect(offer.nik.isEmpty && offer.personName.isEmpty, "a panti gets no identity with the offer")

            // Another agency: sees nothing, answers nothing; no key: unauthenticated.
            let other: Metadata = ["authorization": "Bearer \(otherKey)"]
            #expect(try await partner.listOffers(.init(), metadata: other).offers.isEmpty)
            let foreign = await #expect(throws: RPCError.self) {
                try await partner.answerOffer(.with { $0.offerID = offerID; $0.accept = true }, metadata: other)
            }
            #expect(foreign?.code == .notFound)
            let anonymous = await #expect(throws: RPCError.self) { try await partner.listOffers(.init()) }
            #expect(anonymous?.code == .unauthenticated)

            let mine: Metadata = ["authorization": "Bearer \(key)"]
            #expect(try await partner.listOffers(.init(), metadata: mine).offers.map(\.offerID).contains(offerID))
            _ = try await partner.answerOffer(.with { $0.offerID = offerID; $0.accept = true }, metadata: mine)
            _ = try await partner.recordAdmission(.with {
                $0.offerID = offerID
                $0.admittedOn = Self.today()
            }, metadata: mine)
            let outcome = try await partner.recordPartnerOutcome(.with {
                $0.offerID = offerID
                $0.outcome = .gotHelp
            }, metadata: mine)
            #expect(outcome.status == .outcomeRecorded)

            let completed = try await assignment.completeCase(.with {
                $0.referralID = referralID
                $0.outcome = "Diterima di UPTD PPRSLU Budi Sejahtera"
            }, metadata: staff)
            try #require(completed.transitions.map(\.type) == [
                .opened, .assigned, .assessed, .offered, .accepted, .admitted, .outcomeRecorded, .completed,
            ])
            #expect(completed.transitions[2].actor == "ps-02" && completed.transitions[4].actor == "partner:\(agency)")
            return completed
        }
    }

    /// The first message matching `predicate`, within a minute.
    static func first(
        from consumer: KafkaConsumer, where predicate: @escaping @Sendable (KafkaConsumerMessage) -> Bool
    ) async throws -> KafkaConsumerMessage {
        try await withThrowingTaskGroup(of: KafkaConsumerMessage.self) { group in
            group.addTask {
                for try await message in consumer.messages where predicate(message) { return message }
                throw Failure("the partner topic ended")
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                throw Failure("no offer on the partner topic within 60 s")
            }
            let next = try await group.next()
            let first = try #require(next)
            group.cancelAll()
            return first
        }
    }
}
