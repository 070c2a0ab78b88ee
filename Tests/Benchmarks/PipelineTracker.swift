import Foundation
import LayarKafka
import LayarSchema
import Logging
import SwiftProtobuf

/// Follows referrals through the pipeline by reading the services' topics with a consumer group
/// of its own: when each was submitted, verified, assigned, and when the applicant's message
/// about the assignment was delivered, from the events' own timestamps.
actor PipelineTracker {
    struct Stamps {
        var submitted: Date?
        var verified: Date?
        var assigned: Date?
        var notified: Date?
    }

    private(set) var stamps: [String: Stamps] = [:]
    private let consumer: KafkaConsumer

    init(brokers: String, logger: Logger) throws {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: brokers, groupID: "layar-bench-\(UUID().uuidString.prefix(8))",
            topics: [
                LayarTopic.intakeReferrals.rawValue, LayarTopic.verificationResults.rawValue,
                LayarTopic.assignmentCases.rawValue, LayarTopic.notificationDeliveries.rawValue,
            ]
        )
        // From the beginning: nothing is missed while the group joins; other runs' referrals are
        // simply never asked about.
        configuration.autoOffsetReset = "earliest"
        consumer = try KafkaConsumer(configuration: configuration, logger: logger)
    }

    /// Reads until cancelled.
    nonisolated func run() async throws {
        for try await message in consumer.messages {
            guard let type = message.headers.text("ce_type") else { continue }
            try await record(type: type, value: message.value)
        }
    }

    nonisolated func close() async {
        await consumer.close()
    }

    private func record(type: String, value: [UInt8]) throws {
        switch type {
        case Layar_V1_ReferralSubmitted.eventType:
            let event = try Layar_V1_ReferralSubmitted(serializedBytes: value)
            stamps[event.referralID, default: Stamps()].submitted = event.submittedAt.date
        case Layar_V1_ReferralVerified.eventType:
            let event = try Layar_V1_ReferralVerified(serializedBytes: value)
            stamps[event.referralID, default: Stamps()].verified = event.verifiedAt.date
        case Layar_V1_CaseAssigned.eventType:
            let event = try Layar_V1_CaseAssigned(serializedBytes: value)
            stamps[event.referralID, default: Stamps()].assigned = event.assignedAt.date
        case Layar_V1_NotificationDelivered.eventType:
            let event = try Layar_V1_NotificationDelivered(serializedBytes: value)
            if event.eventType == Layar_V1_CaseAssigned.eventType && event.audience == Layar_V1_Audience.applicant.rawValue {
                stamps[event.referralID, default: Stamps()].notified = event.at.date
            }
        default:
            break
        }
    }

    /// How many of `ids` reached the applicant's notification of their assignment.
    func notifiedCount(of ids: some Sequence<String>) -> Int {
        ids.reduce(0) { $0 + (stamps[$1]?.notified != nil ? 1 : 0) }
    }
}
