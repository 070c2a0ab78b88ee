import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// The intake gRPC API: decodes requests, applies the form rules, calls the store, and maps
/// outcomes to gRPC statuses.
struct IntakeAPI: Layar_V1_IntakeService.SimpleServiceProtocol {
    let store: IntakeStore

    func submitReferral(
        request: Layar_V1_SubmitReferralRequest, context: ServerContext
    ) async throws -> Layar_V1_SubmitReferralResponse {
        var operatorID = ""
        switch request.form.channel {
        case .operator:
            // A walk-in entered at the office (its consent recorded as written) is the signed-in
            // operator's: the token says who, no field can.
            operatorID = try ActingStaff.requireRole([.operator], for: "Pengajuan di kantor").username
        case .partner:
            // Partner agencies hold no credential at intake: their referrals come through the office.
            throw FieldViolations([FieldProblem("form.channel", "Lembaga mitra mengajukan rujukan lewat Dinas Sosial")]).error
        default:
            break
        }
        var problems = ReferralFormValidator.problems(in: request.form, today: store.clock.todayInBalangan)
        let requestID = request.requestID.isEmpty ? nil : UUID(uuidString: request.requestID)
        if !request.requestID.isEmpty && requestID == nil {
            problems.append(FieldProblem("request_id", "request_id harus berupa UUID"))
        }
        try FieldViolations(problems).check()
        let stored: IntakeStore.Submission
        do {
            stored = try await store.submit(request.form, requestID: requestID, operatorID: operatorID)
        } catch is IntakeStore.RequestReused {
            throw RPCError(
                code: .alreadyExists,
                message: "request_id: sudah dipakai untuk formulir lain; muat ulang formulir agar mendapat request_id baru (tidak ada yang disimpan)"
            )
        }
        return .with {
            $0.referralID = stored.referralID.description
            $0.trackingCode = stored.trackingCode
            $0.status = .submitted  // Also for a linked submission: the answer reveals no other referral.
            $0.trackingPin = stored.trackingPIN
        }
    }

    func getReferral(
        request: Layar_V1_GetReferralRequest, context: ServerContext
    ) async throws -> Layar_V1_ReferralSummary {
        let key: IntakeStore.Key
        switch request.key {
        case .trackingCode(let code) where TrackingCode.isWellFormed(code.uppercased()):
            key = .trackingCode(code.uppercased())
        case .referralID(let text) where ReferralID(text) != nil:
            key = .id(ReferralID(text)!)
        case .trackingCode:
            throw FieldViolations([.init("tracking_code", "Kode pelacakan tidak dikenali (contoh: LYR-7K3M-Q9TX)")]).error
        default:
            throw FieldViolations([.init("referral_id", "Isi kode pelacakan atau ID rujukan yang benar")]).error
        }
        guard let summary = try await store.summary(key) else {
            throw RPCError(code: .notFound, message: "Rujukan tidak ditemukan")
        }
        try await CaseWorkerScope.requireAccess(
            to: ReferralID(summary.referralID) ?? ReferralID(), unscoped: IntakeAccessPolicy.policy.rolesBeyondOwnCases("GetReferral"), pool: store.pool
        )
        return summary
    }

    func getStatus(request: Layar_V1_GetStatusRequest, context: ServerContext) async throws -> Layar_V1_ReferralStatusView {
        try FieldViolations(Self.problems(in: request.key)).check()
        return try await store.statusView(request.key)
    }

    func addDocuments(
        request: Layar_V1_AddDocumentsRequest, context: ServerContext
    ) async throws -> Layar_V1_ReferralStatusView {
        var problems = Self.problems(in: request.key) + DocumentRules.problems(in: request.documents, path: "documents")
        if request.documents.isEmpty { problems.append(FieldProblem("documents", "Lampirkan minimal satu dokumen")) }
        try FieldViolations(problems).check()
        return try await store.addDocuments(request.documents, key: request.key)
    }

    func withdrawReferral(
        request: Layar_V1_WithdrawReferralRequest, context: ServerContext
    ) async throws -> Layar_V1_ReferralStatusView {
        var problems = Self.problems(in: request.key)
        if request.reason.count > 500 { problems.append(FieldProblem("reason", "Alasan terlalu panjang (maksimal 500 huruf)")) }
        try FieldViolations(problems).check()
        return try await store.withdraw(request.key, reason: request.reason)
    }

    func getDocument(request: Layar_V1_GetDocumentRequest, context: ServerContext) async throws -> Layar_V1_DocumentContent {
        var violations = FieldViolations()
        let referralID = violations.id(request.referralID, as: ReferralID.self)
        let documentID = violations.id(request.documentID, as: DocumentID.self)
        try violations.check()
        try await CaseWorkerScope.requireAccess(
            to: referralID!, unscoped: IntakeAccessPolicy.policy.rolesBeyondOwnCases("GetDocument"), pool: store.pool
        )
        guard let document = try await store.document(documentID!, of: referralID!) else {
            throw RPCError(code: .notFound, message: "Dokumen tidak ditemukan")
        }
        return document
    }

    static func problems(in key: Layar_V1_TrackingKey) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !TrackingCode.isWellFormed(key.trackingCode.uppercased()) {
            problems.append(FieldProblem("key.tracking_code", "Kode pelacakan tidak dikenali (contoh: LYR-7K3M-Q9TX)"))
        }
        if !TrackingPIN.isWellFormed(key.pin) {
            problems.append(FieldProblem("key.pin", "PIN terdiri dari 6 angka, diberikan bersama kode pelacakan"))
        }
        return problems
    }
}
