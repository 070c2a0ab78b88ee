import SwiftProtobuf

// libFuzzer target: decoding any bytes as any event or partner message of the schema never
// traps, and whatever decodes re-encodes to bytes that decode to the same message.
let types: [any SwiftProtobuf.Message.Type] = [
    Layar_V1_ReferralSubmitted.self, Layar_V1_ReferralDocumentsAdded.self, Layar_V1_ReferralWithdrawn.self,
    Layar_V1_ApplicantContactRecorded.self, Layar_V1_ReferralVerified.self, Layar_V1_RegistryProposalRaised.self,
    Layar_V1_ReferralInformationRequested.self, Layar_V1_ReferralQueued.self, Layar_V1_RejectionProposed.self,
    Layar_V1_ReferralRejected.self, Layar_V1_CaseAssigned.self, Layar_V1_CaseCompleted.self, Layar_V1_CaseTransitioned.self,
    Layar_V1_CaseDeadlineMissed.self, Layar_V1_SurveyInvitationCreated.self, Layar_V1_NotificationDelivered.self,
    Layar_Partner_V1_ReferralOffer.self, Layar_Partner_V1_ReferralOfferWithdrawn.self, Layar_V1_ReferralForm.self,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let type = types[Int(data[0]) % types.count]
    guard let message = try? type.init(serializedBytes: bytes) else { return 0 }
    let encoded: [UInt8] = try! message.serializedBytes()
    let again = try! type.init(serializedBytes: encoded)
    precondition(message.isEqualTo(message: again), "\(type) changed on a round trip")
    _ = try? message.jsonString()  // JSON rendering (layarctl tail) never traps either
    return 0
}
