import Foundation
import LayarDomain
import SwiftProtobuf

/// Dates and sizes as people in Balangan read them: WITA, Indonesian month names.
enum Dates {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]

    static func show(_ timestamp: Google_Protobuf_Timestamp) -> String {
        guard timestamp.seconds > 0 else { return "-" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: CivilDate.balanganOffsetSeconds)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: timestamp.date)
        return String(format: "%d %@ %d %02d.%02d WITA", parts.day!, months[parts.month! - 1], parts.year!, parts.hour!, parts.minute!)
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : "\(max(1, bytes / 1024)) KB"
    }
}
