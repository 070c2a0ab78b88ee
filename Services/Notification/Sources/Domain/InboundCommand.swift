import Foundation

/// What an applicant's SMS or WhatsApp text asks for. The words are the ones a basic phone's
/// user types: `CEK <kode> <PIN>` for the status, `STOP` or `BERHENTI` to receive no more
/// messages; anything else is a free-text reply.
enum InboundCommand: Equatable, Sendable {
    /// `CEK LYR-7K3M-Q9TX 123456` (also `STATUS`, any case, the code with or without dashes).
    case status(trackingCode: String, pin: String)
    /// `CEK` without a code and PIN that can be read: the answer explains the form.
    case malformedStatus
    case optOut
    /// Free text (trimmed, at most ``maximumReplyLength`` characters kept).
    case reply(String)

    static let maximumReplyLength = 1_000
    static let statusWords: Set<String> = ["CEK", "STATUS"]
    static let optOutWords: Set<String> = ["STOP", "BERHENTI", "UNREG", "STOPALL"]

    init(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let words = trimmed.split(whereSeparator: { $0.isWhitespace }).map { $0.uppercased() }
        guard let first = words.first else {
            self = .reply("")
            return
        }
        if Self.optOutWords.contains(first), words.count == 1 {
            self = .optOut
        } else if Self.statusWords.contains(first) {
            self = Self.status(words.dropFirst())
        } else {
            self = .reply(String(trimmed.prefix(Self.maximumReplyLength)))
        }
    }

    /// `<code> <pin>`: the code as the portal prints it (`LYR-XXXX-XXXX`) or without dashes and
    /// spaces, the PIN as six digits.
    private static func status(_ words: ArraySlice<String>) -> InboundCommand {
        guard words.count >= 2, let pin = words.last, pin.count == 6, pin.allSatisfy(\.isASCII), pin.allSatisfy(\.isNumber)
        else { return .malformedStatus }
        let code = words.dropLast().joined().filter { $0 != "-" }
        guard code.count == 11, code.hasPrefix("LYR"), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return .malformedStatus }
        let body = code.dropFirst(3)
        return .status(trackingCode: "LYR-\(body.prefix(4))-\(body.suffix(4))", pin: pin)
    }
}
