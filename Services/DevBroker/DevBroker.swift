import ArgumentParser
import Foundation
import LayarKafka
import LayarSchema

/// The dev broker: librdkafka's in-memory mock cluster on loopback, speaking the real Kafka
/// protocol, with LAYAR's topics created. For local stacks and tests only: memory only, no
/// TLS/SASL. Prints `KAFKA_BROKERS=<bootstrap>` on its first line and runs until SIGINT/SIGTERM.
@main
struct DevBroker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layar-devbroker",
        abstract: "Runs an in-memory Kafka cluster (librdkafka mock) on loopback for development and tests."
    )

    @Option(help: "Number of brokers in the cluster.")
    var brokers = 3

    @Option(help: "Partitions of each LAYAR topic.")
    var partitions = LayarTopic.defaultPartitions

    @Option(help: "Write the bootstrap address to this file as well (for scripts).")
    var addressFile: String?

    @Option(name: .customLong("topic"), help: "Another topic to create, as name:partitions (repeatable; benchmarks).")
    var extraTopics: [String] = []

    @Option(help: "Serve the fault-injection control interface on this loopback port (0: any free port; see BrokerControl).")
    var controlPort: Int?

    @Option(help: "Write the control interface's port to this file (with --control-port).")
    var controlFile: String?

    func run() throws {
        let cluster = try KafkaMockCluster(brokers: brokers)
        let replication = min(brokers, 3)
        for topic in LayarTopic.allCases {
            try cluster.createTopic(topic.rawValue, partitions: partitions, replicationFactor: replication)
        }
        for topic in extraTopics {
            let parts = topic.split(separator: ":")
            guard parts.count == 2, let count = Int(parts[1]), count > 0 else {
                throw ValidationError("--topic \(topic): expected name:partitions")
            }
            try cluster.createTopic(String(parts[0]), partitions: count, replicationFactor: replication)
        }
        let address = cluster.bootstrapServers
        if let addressFile {
            try Data((address + "\n").utf8).write(to: URL(fileURLWithPath: addressFile), options: .atomic)
        }
        if let controlPort {
            let port = try BrokerControl(cluster: cluster).serve(port: controlPort)
            if let controlFile { try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: controlFile), options: .atomic) }
            FileHandle.standardError.write(Data("dev broker control on 127.0.0.1:\(port)\n".utf8))
        }
        let banner = """
            KAFKA_BROKERS=\(address)
            dev broker: \(brokers) brokers, topics: \(LayarTopic.allCases.map(\.rawValue).joined(separator: ", "))

            """
        FileHandle.standardOutput.write(Data(banner.utf8))

        // Wait for a stop signal; the cluster lives on librdkafka's own threads meanwhile.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        stop.wait()
        sources.forEach { $0.cancel() }
        withExtendedLifetime(cluster) {}
        print("dev broker stopped")
    }
}
