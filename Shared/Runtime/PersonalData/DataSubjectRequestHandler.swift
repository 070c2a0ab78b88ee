import Foundation
import LayarDomain
import LayarPostgres
import LayarSchema
import SwiftProtobuf

/// A service's side of a data-subject request (``Layar_V1_DataSubjectRequested`` from intake):
/// does its part through the service's ``PersonalDataHolder``, records it in the audit log, and
/// answers intake on the answers topic, all in the inbox transaction.
public struct DataSubjectRequestHandler: EventHandler {
    let service: String
    let holder: any PersonalDataHolder
    let outbox: Outbox
    let clock: LayarClock

    public init(service: String, holder: any PersonalDataHolder, outbox: Outbox, clock: LayarClock) {
        self.service = service
        self.holder = holder
        self.outbox = outbox
        self.clock = clock
    }

    public let eventTypes: Set<String> = [Layar_V1_DataSubjectRequested.eventType]

    public func handle(_ event: InboundEvent, on connection: PostgresConnection) async throws {
        let request = try event.decode(Layar_V1_DataSubjectRequested.self)
        guard request.referralIds.allSatisfy({ ReferralID($0) != nil }) else {
            throw EventRejection("data-subject request \(request.requestID) names a referral id that is not a UUID")
        }
        let now = clock.now
        var answer = Layar_V1_DataSubjectAnswer.with {
            $0.service = service
            $0.answeredAt = Google_Protobuf_Timestamp(date: now)
        }
        switch request.kind {
        case .export:
            let (records, data) = try await holder.export(request, on: connection)
            answer.records = Int32(records)
            answer.exportJson = try ExportJSON.text(data)
        case .correction:
            answer.records = Int32(try await holder.correct(request, on: connection))
        case .erasure, .retention:
            answer.records = Int32(try await holder.anonymise(request, on: connection))
        case .unspecified, .UNRECOGNIZED:
            throw EventRejection("data-subject request \(request.requestID) of unknown kind \(request.kind)")
        }
        // Who asked is on intake's record; here the request is the actor, and each referral a subject.
        for referralID in request.referralIds {
            try await AuditLog.record(
                actor: "data-subject-request:\(request.requestID)", method: "\(Layar_V1_DataSubjectRequested.eventType)/\(request.kind)",
                subject: referralID, peer: "kafka", outcome: "ok", at: now, on: connection
            )
        }
        try await outbox.append(Layar_V1_DataSubjectRequestAnswered.with {
            $0.requestID = request.requestID
            $0.answer = answer
        }, on: connection, at: now)
    }
}

extension ConsumerDefinition {
    /// The consumer of intake's data-subject requests for a service whose data `holder` reaches.
    public static func dataSubjectRequests(
        service: String, holder: @escaping @Sendable (ServiceResources) -> any PersonalDataHolder
    ) -> ConsumerDefinition {
        ConsumerDefinition(name: "privacy", topics: [LayarTopic.intakePrivacy.rawValue]) { context in
            DataSubjectRequestHandler(service: service, holder: holder(context), outbox: context.outbox, clock: context.clock)
        }
    }
}
