import Foundation
import LayarDomain
import Logging
import ServiceContextModule
import Synchronization

/// One JSON object per line on standard error: time, level, service, logger label, message,
/// source, and the metadata, trace and referral ids included (see ``LogSetup/metadataProvider``),
/// ready for a log collector. Text stays the default for a developer's terminal.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let service: String
    private let clock: LayarClock

    public init(label: String, service: String, clock: LayarClock, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.service = service
        self.clock = clock
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        guard var line = render(event) else { return }
        line.append(0x0A)
        Self.output.withLock { _ in FileHandle.standardError.write(line) }
    }

    /// The JSON object of one log event (without the newline).
    func render(_ event: LogEvent) -> Data? {
        var fields: [String: Any] = [
            "ts": timestamp(), "level": event.level.rawValue, "service": service, "logger": label,
            "message": event.message.description, "source": event.source,
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for (key, value) in merged { fields[key] = Self.json(value) }
        return try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static let output = Mutex(())

    private static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    private func timestamp() -> String {
        clock.now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// How every LAYAR process sets up logging: `LAYAR_LOG_FORMAT` `json` or `text`, the level, and
/// a metadata provider adding `trace_id`, `span_id` and `referral_id` from the task's context.
public enum LogSetup {
    public static let metadataProvider = Logger.MetadataProvider {
        guard let context = TracingContext.current else { return [:] }
        var metadata: Logger.Metadata = [:]
        if let trace = context.traceContext {
            metadata["trace_id"] = "\(trace.traceID)"
            metadata["span_id"] = "\(trace.spanID)"
        }
        if let referral = context.referralID { metadata["referral_id"] = "\(referral)" }
        return metadata
    }

    /// Installs the process's log handler; JSON lines are stamped by `clock`.
    public static func bootstrap(service: String, level: Logger.Level, format: String, clock: LayarClock) {
        LoggingSystem.bootstrap({ label, provider in
            if format == "json" {
                var handler = JSONLogHandler(label: label, service: service, clock: clock, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
            handler.logLevel = level
            return handler
        }, metadataProvider: metadataProvider)
    }
}
