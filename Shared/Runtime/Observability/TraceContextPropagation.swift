import GRPCCore
import Instrumentation
import LayarKafka
import ServiceContextModule
import W3CTraceContext

/// swift-service-context's task-local context (what a service is built from is ``ServiceResources``).
public typealias TracingContext = ServiceContextModule.ServiceContext

/// W3C Trace Context (`traceparent`) carried in the task's `ServiceContext`: extracted from gRPC
/// metadata and Kafka headers, injected into outgoing calls and into the outbox with each event,
/// so a referral's trace id follows it across services and into every log line.
public enum TraceContextKey: ServiceContextKey {
    public typealias Value = TraceContext
    public static var nameOverride: String? { "traceparent" }
}

/// The referral (or offer) an event or call is about, for log lines.
public enum ReferralKey: ServiceContextKey {
    public typealias Value = String
    public static var nameOverride: String? { "referral_id" }
}

extension ServiceContextModule.ServiceContext {
    public var traceContext: TraceContext? {
        get { self[TraceContextKey.self] }
        set { self[TraceContextKey.self] = newValue }
    }

    public var referralID: String? {
        get { self[ReferralKey.self] }
        set { self[ReferralKey.self] = newValue }
    }

    /// A context for work done here on behalf of `parent`: the same trace, a new span id. A new
    /// trace when there is no parent (a request from outside).
    public static func continuing(_ parent: TraceContext?, base: TracingContext = .current ?? .topLevel) -> TracingContext {
        var context = base
        context.traceContext = TraceContext(
            traceID: parent?.traceID ?? .random(), spanID: .random(), flags: parent?.flags ?? .sampled, state: parent?.state ?? .init()
        )
        return context
    }
}

/// The `Instrument` that reads and writes `traceparent`/`tracestate` in any carrier
/// (swift-distributed-tracing's propagation API).
public struct W3CTraceContextPropagator: Instrument {
    public init() {}

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout TracingContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard let parent = extractor.extract(key: "traceparent", from: carrier),
              let trace = try? TraceContext(traceParentHeaderValue: parent, traceStateHeaderValue: extractor.extract(key: "tracestate", from: carrier))
        else { return }
        context.traceContext = trace
    }

    public func inject<Carrier, Inject: Injector>(_ context: TracingContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard let trace = context.traceContext else { return }
        injector.inject(trace.traceParentHeaderValue, forKey: "traceparent", into: &carrier)
        if let state = trace.traceStateHeaderValue, !state.isEmpty { injector.inject(state, forKey: "tracestate", into: &carrier) }
    }
}

/// gRPC metadata as a propagation carrier.
public struct MetadataExtractor: Extractor {
    public init() {}
    public func extract(key: String, from carrier: Metadata) -> String? { carrier.firstString(key) }
}

public struct MetadataInjector: Injector {
    public init() {}
    public func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        carrier.replaceOrAddString(value, forKey: key)
    }
}

/// Kafka headers as a propagation carrier.
public struct KafkaHeadersExtractor: Extractor {
    public init() {}
    public func extract(key: String, from carrier: [KafkaHeader]) -> String? {
        carrier.last(where: { $0.key == key })?.text
    }
}
