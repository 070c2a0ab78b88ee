import Foundation
import Histogram

/// Latencies in microseconds, with HdrHistogram's fixed-size buckets (3 significant digits).
struct LatencyHistogram {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)

    var count: UInt64 { histogram.totalCount }

    mutating func record(seconds: Double) {
        _ = histogram.record(UInt64(max(0, min(seconds, 600)) * 1_000_000))
    }

    /// The value at `percentile` (0–100) in milliseconds.
    func milliseconds(at percentile: Double) -> Double {
        Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    var maximumMilliseconds: Double { Double(histogram.max) / 1000 }

    /// `name  count  p50  p90  p99  max` in milliseconds.
    func line(_ name: String) -> String {
        guard count > 0 else { return Table.row([name, "0", "-", "-", "-", "-"]) }
        return Table.row([
            name, String(count), Table.ms(milliseconds(at: 50)), Table.ms(milliseconds(at: 90)), Table.ms(milliseconds(at: 99)),
            Table.ms(maximumMilliseconds),
        ])
    }

    static let header = Table.row(["stage", "count", "p50 ms", "p90 ms", "p99 ms", "max ms"])

    /// The figures as JSON-friendly values (milliseconds).
    var summary: [String: Double] {
        ["count": Double(count), "p50": milliseconds(at: 50), "p90": milliseconds(at: 90), "p99": milliseconds(at: 99), "max": maximumMilliseconds]
    }
}

/// Fixed-width text rows: the first column left-aligned, the others right-aligned.
enum Table {
    static func row(_ cells: [String]) -> String {
        guard let first = cells.first else { return "" }
        return first.padding(toLength: 34, withPad: " ", startingAt: 0)
            + cells.dropFirst().map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined()
    }

    static func ms(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
