import Foundation

// libFuzzer target: what the SMS and WhatsApp providers' webhooks carry, read as notification
// reads it once the signature is checked (Twilio's form body, WhatsApp Cloud's JSON, the
// applicant's text as a command). Never traps; whatever is accepted is well-formed: an E.164
// sender, a bounded provider id and text, a command with a canonical tracking code and a
// six-digit PIN, a reply no longer than the limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookPayloads(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    var batch: ProviderWebhookBatch?
    switch data[0] % 3 {
    case 0: batch = try? TwilioPayload.batch(try FormEncoding.decode(bytes), channel: .sms, now: now)
    case 1: batch = try? WhatsAppCloudPayload.batch(bytes)
    default:
        check(InboundCommand(text: String(decoding: bytes, as: UTF8.self)))
        return 0
    }
    for message in batch?.messages ?? [] {
        precondition(message.from.first == "+" && message.from.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }, "from: \(message.from)")
        precondition((9...16).contains(message.from.count), "from length: \(message.from)")
        precondition(!message.providerMessageID.isEmpty && message.providerMessageID.count <= 128, "id: \(message.providerMessageID)")
        precondition(message.text.count <= 4_096, "text length \(message.text.count)")
        check(InboundCommand(text: message.text))
    }
    for status in batch?.statuses ?? [] {
        precondition(!status.providerMessageID.isEmpty && status.providerMessageID.count <= 128, "status id")
    }
    return 0
}

func check(_ command: InboundCommand) {
    switch command {
    case .status(let code, let pin):
        precondition(code.count == 13 && code.hasPrefix("LYR-") && code.split(separator: "-").count == 3, "code: \(code)")
        precondition(pin.count == 6 && pin.allSatisfy { $0.isASCII && $0.isNumber }, "pin: \(pin)")
    case .reply(let text):
        precondition(text.count <= InboundCommand.maximumReplyLength, "reply length \(text.count)")
    case .optOut, .malformedStatus:
        break
    }
}
