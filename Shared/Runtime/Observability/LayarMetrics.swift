import CoreMetrics
import Foundation
import Instrumentation
import LayarPostgres
import Prometheus

/// The metrics every service reports (swift-metrics; exposed in Prometheus format by
/// ``ObservabilityEndpoint``). Names follow Prometheus conventions: `_total` for counters,
/// base units (seconds) for durations.
public enum LayarMetrics {
    /// The process's one Prometheus registry; first use bootstraps swift-metrics with it (and the
    /// W3C trace-context propagator as the process's instrument), which a process may do once.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
        InstrumentationSystem.bootstrap(W3CTraceContextPropagator())
        return registry
    }()

    /// One gRPC call answered: by method and status code, with its duration.
    public static func grpcRequest(method: String, code: String, duration: Duration) {
        Counter(label: "layar_grpc_server_requests_total", dimensions: [("method", method), ("code", code)]).increment()
        Timer(label: "layar_grpc_server_request_duration_seconds", dimensions: [("method", method)])
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// What a consumer did with an event: `applied`, `duplicate` (already in the inbox), `ignored`
    /// (a type it does not handle) or `dead_lettered`. A batch that fails and is applied again one
    /// event at a time counts its events again: `applied` counts applications, not distinct events.
    public static func eventConsumed(consumer: String, topic: String, outcome: String) {
        Counter(label: "layar_events_consumed_total", dimensions: [("consumer", consumer), ("topic", topic), ("outcome", outcome)])
            .increment()
        if outcome == "dead_lettered" {
            Counter(label: "layar_dead_letters_total", dimensions: [("consumer", consumer), ("topic", topic)]).increment()
        }
    }

    /// Events the outbox relay published (acknowledged by the broker), by topic.
    public static func eventsProduced(topic: String, count: Int) {
        Counter(label: "layar_events_produced_total", dimensions: [("topic", topic)]).increment(by: count)
    }

    /// Messages a consumer group has still to read, per partition.
    public static func consumerLag(consumer: String, topic: String, partition: Int32, lag: Int64) {
        Gauge(label: "layar_kafka_consumer_lag", dimensions: [("consumer", consumer), ("topic", topic), ("partition", String(partition))])
            .record(Double(lag))
    }

    /// Times a consumer was put out of its group for not polling within `max.poll.interval.ms`
    /// (its partitions went to other members); alert on any.
    public static func consumerEvicted(consumer: String, count: Int) {
        Counter(label: "layar_consumer_evictions_total", dimensions: [("consumer", consumer)]).increment(by: count)
    }

    /// Provider webhooks refused (`unsigned`: a missing or wrong signature; `malformed`); alert on
    /// a rise of `unsigned`: someone is probing the endpoint, or a secret was rotated on one side only.
    public static func webhookRefused(reason: String) {
        Counter(label: "layar_webhook_refused_total", dimensions: [("reason", reason)]).increment()
    }

    /// Unpublished outbox rows and the age of the oldest (0 when empty).
    public static func outbox(backlog: Int, oldestAgeSeconds: Double) {
        Gauge(label: "layar_outbox_backlog").record(Double(backlog))
        Gauge(label: "layar_outbox_oldest_age_seconds").record(oldestAgeSeconds)
    }

    /// Events an outbox topic refused (it does not exist, or may not be written): they wait.
    public static func outboxParked(topic: String, events: Int) {
        Counter(label: "layar_outbox_parked_events_total", dimensions: [("topic", topic)]).increment(by: events)
    }

    /// Outbox topics whose events are held back now; alert when above zero.
    public static func outboxParkedTopics(_ count: Int) {
        Gauge(label: "layar_outbox_parked_topics").record(Double(count))
    }

    public static func databasePool(_ statistics: PostgresPool.Statistics) {
        Gauge(label: "layar_db_pool_connections", dimensions: [("state", "in_use")]).record(Double(statistics.inUse))
        Gauge(label: "layar_db_pool_connections", dimensions: [("state", "idle")]).record(Double(statistics.idle))
        Gauge(label: "layar_db_pool_connections_max").record(Double(statistics.maximum))
        Gauge(label: "layar_db_pool_waiting").record(Double(statistics.waiting))
    }
}
