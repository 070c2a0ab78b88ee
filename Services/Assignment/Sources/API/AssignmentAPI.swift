import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// The staff gRPC API: cases, offers and the registries. Every refusal is a gRPC status; field
/// problems come back together as INVALID_ARGUMENT with a `BadRequest` detail.
struct AssignmentAPI: Layar_V1_AssignmentService.SimpleServiceProtocol {
    let store: CaseStore
    let registry: RegistryStore
    /// Creates an institution's offer topic before the institution is saved.
    var topics: TopicProvisioner?

    /// The authenticated staff member: the "who" of the case ledger.
    private var actor: String { StaffIdentity.current?.username ?? "staff" }

    func getCase(request: Layar_V1_GetCaseRequest, context: ServerContext) async throws -> Layar_V1_Case {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        guard let found = try await store.caseView(referralID: id) else { throw CaseActionError.caseNotFound }
        try Self.requireOwn(found)
        return found
    }

    /// A caller who is only a case worker reaches only the cases assigned to them.
    static func requireOwn(_ found: Layar_V1_Case) throws {
        guard let identity = StaffIdentity.current, identity.isCaseWorkerOnly else { return }
        guard !identity.caseWorkerID.isEmpty, found.caseWorkerID == identity.caseWorkerID else {
            throw RPCError(code: .permissionDenied, message: "Kasus ini bukan tanggungan Anda.")
        }
    }

    /// ``requireOwn(_:)`` by referral id, for case actions (one read, only for case workers).
    private func requireOwnCase(_ id: ReferralID) async throws {
        guard StaffIdentity.current?.isCaseWorkerOnly == true else { return }
        guard let found = try await store.caseView(referralID: id) else { throw CaseActionError.caseNotFound }
        try Self.requireOwn(found)
    }

    func listUnassignedCases(
        request: Layar_V1_ListUnassignedCasesRequest, context: ServerContext
    ) async throws -> Layar_V1_ListCasesResponse {
        let cases = try await store.unassignedCases()
        return .with { $0.cases = cases }
    }

    func listCases(request: Layar_V1_ListCasesRequest, context: ServerContext) async throws -> Layar_V1_ListCasesResponse {
        var violations = FieldViolations()
        if request.caseWorkerID.count > 40 { violations.add("case_worker_id", "Terlalu panjang (maksimal 40 huruf)") }
        if !request.kecamatanCode.isEmpty, BalanganRegions.kecamatan[request.kecamatanCode] == nil {
            violations.add("kecamatan_code", "Bukan kecamatan di Kabupaten Balangan")
        }
        if !(0...365).contains(request.dueWithinDays) { violations.add("due_within_days", "Isi 0 sampai 365 hari") }
        try violations.check()
        var caseWorkerID = request.caseWorkerID
        if let identity = StaffIdentity.current, identity.isCaseWorkerOnly {
            guard caseWorkerID.isEmpty || caseWorkerID == identity.caseWorkerID, !identity.caseWorkerID.isEmpty else {
                throw RPCError(code: .permissionDenied, message: "Anda hanya dapat melihat kasus tanggungan Anda sendiri.")
            }
            caseWorkerID = identity.caseWorkerID
        }
        let cases = try await store.caseload(
            caseWorkerID: caseWorkerID, kecamatanCode: request.kecamatanCode,
            dueWithinDays: Int(request.dueWithinDays), includeEnded: request.includeEnded, now: store.clock.now
        )
        return .with { $0.cases = cases }
    }

    func reassignCase(request: Layar_V1_ReassignCaseRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        let worker = violations.text(request.caseWorkerID, field: "case_worker_id", maximum: 40)
        let reason = violations.text(request.reason, field: "reason", maximum: 500)
        try violations.check()
        return try await store.reassign(referralID: id!, to: worker, reason: reason, actor: actor, at: store.clock.now)
    }

    func recordAssessment(request: Layar_V1_RecordAssessmentRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        let needs = violations.text(request.needs, field: "needs", maximum: 2000)
        let plan = violations.text(request.plan, field: "plan", maximum: 2000)
        violations.require(
            request.route == .refer || request.route == .serveLocally, field: "route",
            "Pilih SERVE_LOCALLY (dilayani daerah) atau REFER (dirujuk ke lembaga)"
        )
        violations.require(Layar_V1_Need.allCases.contains(request.service), field: "service", "Jenis layanan tidak dikenal")
        try violations.check()
        let assessment = CaseStore.Assessment(needs: needs, plan: plan, route: request.route, service: request.service)
        try await requireOwnCase(id!)
        return try await store.recordAssessment(referralID: id!, assessment, actor: actor, at: store.clock.now)
    }

    func suggestInstitutions(
        request: Layar_V1_SuggestInstitutionsRequest, context: ServerContext
    ) async throws -> Layar_V1_ListInstitutionsResponse {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        try await requireOwnCase(id)
        let found = try await store.suggestInstitutions(referralID: id)
        return .with { $0.institutions = found }
    }

    func sendOffer(request: Layar_V1_SendOfferRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        let draft = CaseStore.OfferDraft(
            institutionCode: violations.text(request.institutionCode, field: "institution_code", maximum: 60),
            letterNumber: violations.text(request.letterNumber, field: "letter_number", maximum: 100),
            summary: violations.text(request.summary, field: "summary", maximum: 1000),
            personName: violations.text(request.personName, field: "person_name", required: false, maximum: 200)
        )
        try violations.check()
        try await requireOwnCase(id!)
        return try await store.sendOffer(referralID: id!, draft, actor: actor, at: store.clock.now)
    }

    func revokeOffer(request: Layar_V1_RevokeOfferRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        let reason = violations.text(request.reason, field: "reason", maximum: 500)
        try violations.check()
        try await requireOwnCase(id!)
        return try await store.revokeOffer(referralID: id!, reason: reason, actor: actor, at: store.clock.now)
    }

    func recordProgress(request: Layar_V1_RecordProgressRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        violations.require(
            request.step == .admitted || request.step == .inService, field: "step", "Pilih ADMITTED atau IN_SERVICE"
        )
        let note = violations.text(request.note, field: "note", required: false, maximum: 500)
        try violations.check()
        try await requireOwnCase(id!)
        return try await store.recordProgress(referralID: id!, step: request.step, note: note, actor: actor, at: store.clock.now)
    }

    func recordOutcome(request: Layar_V1_RecordOutcomeRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        violations.require(Self.isKnown(request.outcome), field: "outcome", "Hasil layanan wajib dipilih")
        let note = violations.text(request.note, field: "note", required: false, maximum: 500)
        try violations.check()
        try await requireOwnCase(id!)
        return try await store.recordOutcome(referralID: id!, outcome: request.outcome, note: note, actor: actor, at: store.clock.now)
    }

    func completeCase(request: Layar_V1_CompleteCaseRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        let summary = violations.text(request.outcome, field: "outcome", maximum: 1000)
        try violations.check()
        try await requireOwnCase(id!)
        return try await store.complete(referralID: id!, summary: summary, actor: actor, at: store.clock.now)
    }

    func closeCase(request: Layar_V1_CloseCaseRequest, context: ServerContext) async throws -> Layar_V1_Case {
        var violations = FieldViolations()
        let id = violations.id(request.referralID, as: ReferralID.self)
        let reason = violations.text(request.reason, field: "reason", required: false, maximum: 500)
        try violations.check()
        try await requireOwnCase(id!)
        return try await store.close(referralID: id!, reason: reason, actor: actor, at: store.clock.now)
    }

    // MARK: - Registries

    func listCaseWorkers(
        request: Layar_V1_ListCaseWorkersRequest, context: ServerContext
    ) async throws -> Layar_V1_ListCaseWorkersResponse {
        let workers = try await registry.caseWorkers()
        return .with { $0.caseWorkers = workers }
    }

    func upsertCaseWorker(request: Layar_V1_CaseWorker, context: ServerContext) async throws -> Layar_V1_CaseWorker {
        var worker = request
        var violations = FieldViolations()
        violations.require(RegistryRules.isCode(worker.id, maximum: 40), field: "id", "Gunakan huruf besar, angka dan '-' (2-40)")
        worker.name = violations.text(worker.name, field: "name", maximum: 120)
        violations.require(worker.role == .pekerjaSosial || worker.role == .tksk, field: "role", "Pilih PEKERJA_SOSIAL atau TKSK")
        RegistryRules.checkKecamatan(worker.kecamatanCodes, field: "kecamatan_codes", required: true, into: &violations)
        violations.require((0...200).contains(worker.capacity), field: "capacity", "Kapasitas 0 sampai 200 kasus")
        try violations.check()
        return try await registry.upsert(worker, at: store.clock.now)
    }

    func listInstitutions(
        request: Layar_V1_ListInstitutionsRequest, context: ServerContext
    ) async throws -> Layar_V1_ListInstitutionsResponse {
        let institutions = try await registry.institutions()
        return .with { $0.institutions = institutions }
    }

    func upsertInstitution(request: Layar_V1_Institution, context: ServerContext) async throws -> Layar_V1_Institution {
        var institution = request
        try RegistryRules.normalise(&institution)
        // The offer topic exists before the institution can receive an offer: when it cannot be
        // created, nothing is saved and the caller may try again.
        let topic = LayarTopic.partnerOffers(prefix: institution.topicPrefix)
        do {
            try await topics?.ensure(topic)
        } catch {
            throw RPCError(
                code: .unavailable, message: "topik Kafka \(topic) untuk lembaga ini belum dapat dibuat; lembaga belum disimpan, silakan coba lagi",
                cause: error
            )
        }
        return try await registry.upsert(institution)
    }

    func issuePartnerKey(
        request: Layar_V1_IssuePartnerKeyRequest, context: ServerContext
    ) async throws -> Layar_V1_IssuePartnerKeyResponse {
        var violations = FieldViolations()
        let code = violations.text(request.institutionCode, field: "institution_code", maximum: 60)
        try violations.check()
        let key = try await registry.issuePartnerKey(code: code)
        return .with {
            $0.institutionCode = code
            $0.key = key
        }
    }

    static func isKnown(_ outcome: Layar_V1_ServiceOutcome) -> Bool {
        outcome != .unspecified && Layar_V1_ServiceOutcome.allCases.contains(outcome)
    }
}
