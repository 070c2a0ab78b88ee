import ArgumentParser
import Foundation
import LayarKafka
import LayarSchema
import Logging
import LayarRuntime
import SwiftProtobuf

struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a topic's events, decoded from protobuf, one JSON line each. Ctrl-C stops."
    )
    @OptionGroup var kafka: KafkaOptions
    @Flag(help: "Start from the earliest retained event instead of new ones.")
    var fromBeginning = false
    @Option(help: "Stop after this many events (0: never).")
    var limit = 0
    @Argument(help: "Topic, e.g. layar.intake.referrals.v1 or a partner's layar.partner.<code>.referrals.v1.")
    var topic: String = LayarTopic.intakeReferrals.rawValue
    @Flag(help: "List LAYAR's topics and exit.")
    var list = false

    func run() async throws {
        if list {
            LayarTopic.allCases.forEach { print($0.rawValue) }
            return
        }
        var configuration = KafkaConsumerConfiguration(
            endpoint: try kafka.endpoint(), groupID: "layarctl-tail-\(UUID().uuidString.prefix(8))", topics: [topic]
        )
        configuration.autoOffsetReset = fromBeginning ? "earliest" : "latest"
        var logger = Logger(label: "layarctl")
        logger.logLevel = .warning
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var count = 0
        for try await message in consumer.messages {
            FileHandle.standardOutput.write(Data((Self.describe(message) + "\n").utf8))
            count += 1
            if limit > 0 && count >= limit { break }
        }
        await consumer.close()
    }

    /// One JSON line: the CloudEvents attributes and the decoded payload.
    static func describe(_ message: KafkaConsumerMessage) -> String {
        var line: [String: Any] = ["partition": message.partition, "offset": message.offset]
        for header in message.headers where header.key.hasPrefix("ce_") {
            line[String(header.key.dropFirst(3))] = header.text ?? ""
        }
        let type = message.headers.text("ce_type") ?? ""
        let messageType: (any SwiftProtobuf.Message.Type)? = LayarEvents.type(named: type) ?? PartnerMessages.type(named: type)
        if let messageType, let event = try? messageType.init(serializedBytes: message.value),
           let json = try? event.jsonUTF8Data(), let object = try? JSONSerialization.jsonObject(with: json) {
            line["data"] = object
        } else {
            line["data_base64"] = Data(message.value).base64EncodedString()
        }
        let data = (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

struct ReplayDeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay-dead-letters",
        abstract: "Re-drive a consumer's dead letters (e.g. layar.verification.referrals.dlq) to their original topics after a fix."
    )
    @OptionGroup var kafka: KafkaOptions
    @Argument(help: "The dead-letter topic.") var topic: String
    @Option(help: "Replay at most this many.") var limit = Int.max
    @Option(help: "Stop after this many seconds without a dead letter (joining the group takes a few).") var idleSeconds = 15

    func run() async throws {
        var logger = Logger(label: "layarctl")
        logger.logLevel = .warning
        let count = try await DeadLetterReplayer(kafka: try kafka.endpoint(), logger: logger)
            .replay(topic: topic, limit: limit, idle: .seconds(idleSeconds))
        print("replayed \(count) dead letters from \(topic)")
    }
}
