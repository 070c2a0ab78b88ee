import ArgumentParser
import LayarSchema

/// `layarctl kafka-config`: prints what the brokers must hold for LAYAR (topics, the services'
/// users and their ACLs) from the topic table in code, in the form a deployment reads. The
/// committed files are its output (`deploy/kafka/layar-kafka.txt`, `deploy/k8s/base/kafka.yaml`);
/// a test fails when they drift from the table.
struct KafkaConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-config",
        abstract: "Print LAYAR's Kafka topics, users and ACLs for compose's kafka-init or as Strimzi resources."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case compose, strimzi
    }

    @Argument(help: "compose (deploy/kafka/layar-kafka.txt) or strimzi (deploy/k8s/base/kafka.yaml).")
    var format: Format
    @Option(help: "Strimzi: the Kafka cluster's name.") var cluster = "layar"
    @Option(help: "Strimzi: partitions per topic (at least the busiest service's replicas).") var partitions = 6
    @Option(help: "Strimzi: replicas per partition.") var replicas = 3

    func run() {
        switch format {
        case .compose: print(KafkaDeployFiles.composeTable, terminator: "")
        case .strimzi: print(KafkaDeployFiles.strimziResources(cluster: cluster, partitions: partitions, replicas: replicas), terminator: "")
        }
    }
}
