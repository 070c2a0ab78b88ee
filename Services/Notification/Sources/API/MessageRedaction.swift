import LayarSchema

/// What staff see of a message sent to an applicant: the text with its codes masked. A tracking
/// code (`LYR-…`) would let staff follow and withdraw the referral as the applicant, a survey code
/// (`SKM-…`, also inside the survey link) would let them rate their own work, a complaint code
/// (`ADU-…`) follow a complaint about them.
enum MessageRedaction {
    /// `LYR-7K3M-Q9TX` → `LYR-••••-••••`, the same for `SKM-` and `ADU-` codes.
    static func forStaff(_ message: Layar_V1_NotificationMessage) -> Layar_V1_NotificationMessage {
        var message = message
        message.body = message.body.replacing(/\b(LYR|SKM|ADU)-[23456789A-Z]{4}-[23456789A-Z]{4}\b/) { match in
            "\(match.output.1)-••••-••••"
        }
        return message
    }
}
