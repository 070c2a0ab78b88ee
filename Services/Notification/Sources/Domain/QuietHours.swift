import Foundation
import LayarDomain
import LayarSchema

/// Non-urgent SMS and WhatsApp wait out the night (Balangan time); urgent and emergency ones go
/// at once. E-mail and inboxes are never held.
public struct QuietHours: Sendable, Equatable {
    /// Hours of the day (WITA): quiet from `startHour` until `endHour`, e.g. 21 to 7.
    public var startHour: Int
    public var endHour: Int

    public init(startHour: Int = 21, endHour: Int = 7) {
        self.startHour = startHour
        self.endHour = endHour
    }

    /// Parses `21-7`; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...23).contains(parts[1]) else { return nil }
        self.init(startHour: parts[0], endHour: parts[1])
    }

    /// When a message recorded at `instant` may be sent.
    public func sendTime(for instant: Date, urgent: Bool, channel: Layar_V1_DeliveryChannel) -> Date {
        guard !urgent, channel == .sms || channel == .whatsapp, startHour != endHour else { return instant }
        let local = Int((instant.timeIntervalSince1970 + Double(CivilDate.balanganOffsetSeconds)).rounded(.down))
        let hour = (local % 86_400) / 3600
        let quiet = startHour > endHour ? (hour >= startHour || hour < endHour) : (hour >= startHour && hour < endHour)
        guard quiet else { return instant }
        var day = CivilDate.inBalangan(at: instant)
        if hour >= endHour { day = day.adding(days: 1) }  // Quiet since the evening: the morning after.
        return day.startInBalangan.addingTimeInterval(Double(endHour * 3600))
    }
}
