import Foundation
import GRPCCore
import LayarKafka
import LayarRuntime
import LayarSchema

/// A `ServerContext` for calling gRPC handlers directly in tests.
public enum ServerContextStub {
    public static let context = ServerContext(
        descriptor: MethodDescriptor(fullyQualifiedService: "test", method: "test"), remotePeer: "in-process:test",
        localPeer: "in-process:test", cancellation: .init()
    )
}

/// Builds the Kafka message an event arrives in, with its CloudEvents headers; `time` is the
/// producer's instant, from the test's clock.
public enum KafkaConsumerMessageFactory {
    public static func message<E: LayarEvent>(
        _ event: E, id: String = UUID().uuidString, offset: Int64 = 0, time: Date
    ) throws -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: E.topic.rawValue, partition: 0, offset: offset, key: Array(event.referralID.utf8),
            value: try event.serializedBytes(),
            // From the service that writes the topic: consumers take no other source.
            headers: CloudEventHeaders.make(id: id, type: E.eventType, source: E.topic.writers[0].eventSource, subject: event.referralID, time: time)
        )
    }
}

/// Lets `#expect(throws:)` match a gRPC status by its code name.
public struct RPCErrorMatcher: Error {
    public var code: String
    public init(_ error: any Error) {
        // What the caller gets: a store's refusal is converted by grpc-swift as RPCErrorConvertible.
        code = (error as? any RPCErrorConvertible).map { "\($0.rpcErrorCode)" } ?? "\(error)"
    }
}
