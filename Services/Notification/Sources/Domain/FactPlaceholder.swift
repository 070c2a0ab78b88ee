/// Stands for a fact of a referral in a message planned before intake's events brought it (the
/// tracking code, the PPKS kind, the kecamatan, the priority): intake's topics and the other
/// services' are read apart, so a step can come first. The message waits with the placeholder
/// and is filled in when the facts arrive. A private-use character no template or person writes.
enum FactPlaceholder: String, CaseIterable {
    case code, ppks, kecamatan, priority

    var token: String { "\u{E000}\(rawValue)\u{E000}" }

    /// `text` with each placeholder replaced by its value in `facts`.
    static func fill(_ text: String, with facts: [FactPlaceholder: String]) -> String {
        facts.reduce(text) { filled, fact in filled.replacingOccurrences(of: fact.key.token, with: fact.value) }
    }
}
