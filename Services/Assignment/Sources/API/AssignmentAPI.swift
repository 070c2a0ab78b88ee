import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// The assignment gRPC API.
struct AssignmentAPI: Layar_V1_AssignmentService.SimpleServiceProtocol {
    let store: AssignmentStore

    func getCase(request: Layar_V1_GetCaseRequest, context: ServerContext) async throws -> Layar_V1_Case {
        let id = try RequestFields.uuid(request.referralID, field: "referral_id")
        guard let found = try await store.caseView(referralID: id) else {
            throw RPCError(code: .notFound, message: "Belum ada kasus untuk rujukan ini")
        }
        return found
    }

    func completeCase(request: Layar_V1_CompleteCaseRequest, context: ServerContext) async throws -> Layar_V1_Case {
        let referralID = UUID(uuidString: request.referralID)
        let outcome = request.outcome.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if referralID == nil { problems.append(FieldProblem("referral_id", "Harus berupa UUID rujukan")) }
        if outcome.isEmpty { problems.append(FieldProblem("outcome", "Hasil layanan wajib diisi")) }
        if outcome.count > 1000 {
            problems.append(FieldProblem("outcome", "Hasil layanan terlalu panjang (maksimal 1000 huruf)"))
        }
        try FieldViolations(problems).check()
        do {
            return try await store.complete(referralID: referralID!, outcome: outcome)
        } catch AssignmentStore.CompletionError.notFound {
            throw RPCError(code: .notFound, message: "Belum ada kasus untuk rujukan ini")
        } catch AssignmentStore.CompletionError.notAssigned(let status) {
            throw RPCError(code: .failedPrecondition, message: "Kasus berstatus \(status) tidak dapat diselesaikan")
        }
    }

    func listCaseWorkers(
        request: Layar_V1_ListCaseWorkersRequest, context: ServerContext
    ) async throws -> Layar_V1_ListCaseWorkersResponse {
        let workers = try await store.caseWorkers()
        return .with { $0.caseWorkers = workers }
    }
}
