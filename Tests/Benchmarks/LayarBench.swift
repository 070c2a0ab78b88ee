import ArgumentParser

/// `layar-bench`: the load generator and the Kafka layer benchmarks. Benchmarks print figures;
/// they are not tests. `deploy/local/bench.sh` runs them all against the local stack.
@main
struct LayarBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layar-bench",
        abstract: "Load generator and Kafka layer benchmarks for LAYAR (figures, not tests).",
        subcommands: [Load.self, PrepareWorkers.self, KafkaProduce.self, KafkaConsume.self]
    )
}
