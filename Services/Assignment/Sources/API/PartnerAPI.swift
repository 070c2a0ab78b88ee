import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// The partner agencies' gRPC API. ``PartnerAuthenticator`` has bound the caller's institution;
/// every store call is scoped to it.
struct PartnerAPI: Layar_V1_PartnerService.SimpleServiceProtocol {
    let store: CaseStore
    let registry: RegistryStore

    func listOffers(
        request: Layar_V1_ListPartnerOffersRequest, context: ServerContext
    ) async throws -> Layar_V1_ListPartnerOffersResponse {
        let offers = try await store.partnerOffers(institutionCode: try PartnerIdentity.require())
        return .with { $0.offers = offers }
    }

    func answerOffer(request: Layar_V1_AnswerOfferRequest, context: ServerContext) async throws -> Layar_V1_PartnerOffer {
        let institution = try PartnerIdentity.require()
        var violations = FieldViolations()
        let id = violations.id(request.offerID, as: OfferID.self)
        let note = violations.text(request.note, field: "note", required: request.declineReason == .other && !request.accept, maximum: 500)
        if !request.accept {
            violations.require(
                request.declineReason != .unspecified && Layar_V1_DeclineReason.allCases.contains(request.declineReason),
                field: "decline_reason", "Alasan penolakan wajib dipilih"
            )
        }
        try violations.check()
        let answer = CaseStore.PartnerAnswer(accept: request.accept, reason: request.declineReason, note: note)
        return try await store.answerOffer(id!, institutionCode: institution, answer, at: store.clock.now)
    }

    func recordAdmission(request: Layar_V1_RecordAdmissionRequest, context: ServerContext) async throws -> Layar_V1_PartnerOffer {
        let institution = try PartnerIdentity.require()
        var violations = FieldViolations()
        let id = violations.id(request.offerID, as: OfferID.self)
        let day = CivilDate(request.admittedOn)
        violations.require(
            request.hasAdmittedOn && day.isValid && day <= store.clock.todayInBalangan, field: "admitted_on",
            "Tanggal masuk wajib diisi dan tidak boleh di masa depan"
        )
        try violations.check()
        return try await store.partnerAdmission(id!, institutionCode: institution, on: day, at: store.clock.now)
    }

    func recordPartnerOutcome(
        request: Layar_V1_RecordPartnerOutcomeRequest, context: ServerContext
    ) async throws -> Layar_V1_PartnerOffer {
        let institution = try PartnerIdentity.require()
        var violations = FieldViolations()
        let id = violations.id(request.offerID, as: OfferID.self)
        violations.require(AssignmentAPI.isKnown(request.outcome), field: "outcome", "Hasil layanan wajib dipilih")
        let note = violations.text(request.note, field: "note", required: false, maximum: 500)
        try violations.check()
        return try await store.partnerOutcome(id!, institutionCode: institution, outcome: request.outcome, note: note, at: store.clock.now)
    }

    func updateCapacity(request: Layar_V1_UpdateCapacityRequest, context: ServerContext) async throws -> Layar_V1_Institution {
        let institution = try PartnerIdentity.require()
        var violations = FieldViolations()
        RegistryRules.checkCapacity(available: request.available, total: request.total, into: &violations)
        try violations.check()
        return try await registry.updateCapacity(code: institution, available: request.available, total: request.total, at: store.clock.now)
    }
}
