import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// Data-subject requests (administrators only): opened here by NIK, answered by every service.
struct DataSubjectAPI: Layar_V1_DataSubjectService.SimpleServiceProtocol {
    let store: IntakeStore

    func openDataSubjectRequest(
        request: Layar_V1_OpenDataSubjectRequestRequest, context: ServerContext
    ) async throws -> Layar_V1_DataSubjectRequest {
        try FieldViolations(Self.problems(in: request)).check()
        var correction = request.correction
        if !correction.phone.isEmpty { correction.phone = PhoneNumber.normalized(correction.phone) ?? correction.phone }
        let opened = try await store.openDataSubjectRequest(
            nik: request.nik, kind: request.kind, reason: request.reason, correction: correction,
            openedBy: StaffIdentity.current?.username ?? "staff"
        )
        // The audit entry names the request (its record lists the referrals), never the NIK.
        AuditedCall.current?.name(subject: opened.requestID)
        return opened
    }

    func getDataSubjectRequest(
        request: Layar_V1_GetDataSubjectRequestRequest, context: ServerContext
    ) async throws -> Layar_V1_DataSubjectRequest {
        var violations = FieldViolations()
        let id = violations.id(request.requestID, as: DataSubjectRequestID.self)
        try violations.check()
        AuditedCall.current?.name(subject: request.requestID)
        guard let found = try await store.dataSubjectRequest(id!) else {
            throw RPCError(code: .notFound, message: "Permintaan tidak ditemukan")
        }
        return found
    }

    static func problems(in request: Layar_V1_OpenDataSubjectRequestRequest) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if case .failure = NIK.parts(Array(request.nik.utf8)[...]) {
            problems.append(FieldProblem("nik", "NIK harus 16 angka yang sah"))
        }
        switch request.kind {
        case .export, .erasure, .correction: break
        default: problems.append(FieldProblem("kind", "Pilih jenis permintaan: ekspor, koreksi, atau penghapusan"))
        }
        if request.reason.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem("reason", "Tuliskan dasar permintaan (nomor surat atau alasan)"))
        } else if request.reason.count > 500 {
            problems.append(FieldProblem("reason", "Dasar permintaan terlalu panjang (maksimal 500 huruf)"))
        }
        let correction = request.correction
        if request.kind == .correction {
            let fields = [correction.fullName, correction.birthPlace, correction.street, correction.phone, correction.email]
            if fields.allSatisfy(\.isEmpty) { problems.append(FieldProblem("correction", "Isi minimal satu data yang dikoreksi")) }
            if correction.fullName.count > 150 { problems.append(FieldProblem("correction.full_name", "Nama terlalu panjang")) }
            if correction.birthPlace.count > 100 { problems.append(FieldProblem("correction.birth_place", "Tempat lahir terlalu panjang")) }
            if correction.street.count > 200 { problems.append(FieldProblem("correction.street", "Alamat terlalu panjang")) }
            if !correction.phone.isEmpty && PhoneNumber.normalized(correction.phone) == nil {
                problems.append(FieldProblem("correction.phone", "Nomor HP tidak dikenali (contoh: 0812-3456-7890)"))
            }
            if correction.email.count > 200 || (!correction.email.isEmpty && !correction.email.contains("@")) {
                problems.append(FieldProblem("correction.email", "Alamat email tidak dikenali"))
            }
        } else if correction != Layar_V1_PersonCorrection() {
            problems.append(FieldProblem("correction", "Koreksi hanya untuk permintaan jenis koreksi"))
        }
        return problems
    }
}
