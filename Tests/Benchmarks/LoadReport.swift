import Foundation

/// The figures of one load run: throughput, errors and per-stage latency percentiles.
struct LoadReport {
    var submitted = 0
    var total = 0
    var completed = 0
    var errors: [String: Int]
    var overload: Int
    var duration: Double
    var stages: [(String, LatencyHistogram)] = []

    init(results: LoadResults, stamps: [String: PipelineTracker.Stamps], duration: Double) {
        let measured = results.measuredIDs
        errors = results.errors
        overload = results.overload
        self.duration = duration
        submitted = measured.count
        total = results.total
        let rpc = results.rpc
        var toVerified = LatencyHistogram(), toAssigned = LatencyHistogram(), toNotified = LatencyHistogram()
        var submittedToAssigned = LatencyHistogram(), endToEnd = LatencyHistogram()
        for (id, intended) in measured {
            guard let stamp = stamps[id] else { continue }
            if let submitted = stamp.submitted, let verified = stamp.verified {
                toVerified.record(seconds: verified.timeIntervalSince(submitted))
            }
            if let verified = stamp.verified, let assigned = stamp.assigned {
                toAssigned.record(seconds: assigned.timeIntervalSince(verified))
            }
            if let assigned = stamp.assigned, let notified = stamp.notified {
                toNotified.record(seconds: notified.timeIntervalSince(assigned))
            }
            if let submitted = stamp.submitted, let assigned = stamp.assigned {
                submittedToAssigned.record(seconds: assigned.timeIntervalSince(submitted))
            }
            if let notified = stamp.notified {
                endToEnd.record(seconds: notified.timeIntervalSince(intended))
                completed += 1
            }
        }
        stages = [
            ("submit (gRPC, from intended start)", rpc), ("submitted -> verified", toVerified),
            ("verified -> assigned", toAssigned), ("assigned -> notified", toNotified),
            ("submitted -> assigned", submittedToAssigned), ("end to end (submit -> notified)", endToEnd),
        ]
    }

    var throughput: Double { Double(submitted) / duration }

    var text: String {
        var lines = [
            String(format: "submitted %d in %.0f s (%.1f referrals/s), completed %d, errors %d, overload %d",
                   submitted, duration, throughput, completed, errors.values.reduce(0, +), overload),
        ]
        if !errors.isEmpty { lines.append("errors: " + errors.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", ")) }
        lines.append(LatencyHistogram.header)
        lines += stages.map { $0.1.line($0.0) }
        return lines.joined(separator: "\n")
    }

    var json: String {
        var object: [String: Any] = [
            "submitted": submitted, "total": total, "completed": completed, "throughput": throughput,
            "errors": errors.values.reduce(0, +), "overload": overload,
        ]
        for (name, histogram) in stages { object[name] = histogram.summary }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
