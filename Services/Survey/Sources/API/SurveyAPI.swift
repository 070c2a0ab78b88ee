import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import LayarSchema

/// The survey gRPC API: satisfaction survey, IKM, complaints and the monitoring report.
struct SurveyAPI: Layar_V1_SurveyService.SimpleServiceProtocol {
    let surveys: SurveyStore
    let complaints: ComplaintStore
    let monitoring: MonitoringStore
    /// False when no LAPOR! endpoint is configured: forwarding is then refused.
    let laporEnabled: Bool
    /// The service's clock: expiry of invitations, complaint deadlines, the report's "as of".
    let clock: LayarClock

    private func now() -> Date { clock.now }

    func getInvitation(
        request: Layar_V1_GetInvitationRequest, context: ServerContext
    ) async throws -> Layar_V1_SurveyInvitation {
        let id = try RequestFields.id(request.referralID, as: ReferralID.self)
        try await CaseWorkerScope.requireAccess(
            to: id, unscoped: SurveyAccessPolicy.policy.rolesBeyondOwnCases("GetInvitation"), pool: surveys.pool
        )
        guard var invitation = try await surveys.invitation(for: id, now: now()) else {
            throw RPCError(code: .notFound, message: "Belum ada undangan survei untuk rujukan ini")
        }
        // Staff learn whether and when the citizen was invited, never the single-use code: a code
        // in staff hands would let them rate their own work.
        invitation.code = ""
        return invitation
    }

    func getQuestionnaire(
        request: Layar_V1_GetQuestionnaireRequest, context: ServerContext
    ) async throws -> Layar_V1_Questionnaire {
        .with {
            $0.elements = SKMQuestionnaire.elements.map { element in
                .with {
                    $0.element = element.id
                    $0.title = element.title
                    $0.question = element.question
                    $0.labels = element.labels
                }
            }
        }
    }

    func submitResponse(
        request: Layar_V1_SubmitResponseRequest, context: ServerContext
    ) async throws -> Layar_V1_SubmitResponseResponse {
        var problems = Self.answerProblems(request.answers, suggestion: request.suggestion, profile: request.profile)
        if request.code.isEmpty { problems.append(FieldProblem("code", "Kode survei wajib diisi")) }
        try FieldViolations(problems).check()
        let id = try await surveys.submit(
            code: request.code, answers: request.answers, suggestion: request.suggestion, profile: request.profile, now: now()
        )
        return .with { $0.responseID = id.uuidString.lowercased() }
    }

    func recordPaperResponse(
        request: Layar_V1_RecordPaperResponseRequest, context: ServerContext
    ) async throws -> Layar_V1_SubmitResponseResponse {
        let operatorID = try ActingStaff.username()
        var problems = Self.answerProblems(request.answers, suggestion: request.suggestion, profile: request.profile)
        let day = CivilDate(request.answeredOn)
        if !request.hasAnsweredOn || !day.isValid || day > CivilDate.inBalangan(at: now()) {
            problems.append(FieldProblem("answered_on", "Tanggal pengisian tidak valid"))
        }
        try FieldViolations(problems).check()
        let id = try await surveys.recordPaper(
            operatorID: operatorID, answeredOn: day, answers: request.answers, suggestion: request.suggestion,
            profile: request.profile, now: now()
        )
        return .with { $0.responseID = id.uuidString.lowercased() }
    }

    static func answerProblems(
        _ answers: [Layar_V1_ElementAnswer], suggestion: String, profile: Layar_V1_RespondentProfile
    ) -> [FieldProblem] {
        var problems = SKMQuestionnaire.problems(in: answers, field: "answers").map { FieldProblem($0.0, $0.1) }
        if suggestion.count > 2000 { problems.append(FieldProblem("suggestion", "Saran terlalu panjang (maksimal 2000 huruf)")) }
        if !Layar_V1_Sex.allCases.contains(profile.sex) || !Layar_V1_AgeGroup.allCases.contains(profile.ageGroup)
            || !Layar_V1_Education.allCases.contains(profile.education)
            || !Layar_V1_Occupation.allCases.contains(profile.occupation)
        {
            problems.append(FieldProblem("profile", "Profil responden berisi pilihan yang tidak dikenal"))
        }
        return problems
    }

    func getIKMReport(request: Layar_V1_PeriodRequest, context: ServerContext) async throws -> Layar_V1_IKMReport {
        let (from, to) = try Self.period(request)
        return try await ikmReport(from: from, to: to)
    }

    func ikmReport(from: CivilDate, to: CivilDate) async throws -> Layar_V1_IKMReport {
        let totals = try await surveys.elementTotals(from: from, to: to)
        let population = try await monitoring.population(from: from, to: to)
        let result = IKMCalculator.compute(totals)
        let respondents = totals.first?.respondents ?? 0
        let minimum = KrejcieMorgan.minimumSample(population: population)
        return .with {
            $0.from = Layar_V1_Date(from)
            $0.to = Layar_V1_Date(to)
            $0.serviceUnit = "Dinas Sosial Kabupaten Balangan"
            $0.respondents = Int32(respondents)
            $0.population = Int32(population)
            $0.minimumSample = Int32(minimum)
            $0.sampleSufficient = respondents >= minimum && respondents > 0
            $0.elements = result?.scores ?? []
            $0.ikm = result?.ikm ?? 0
            $0.ikmConverted = result?.converted ?? 0
            $0.grade = result?.grade ?? ""
            $0.gradeLabel = result?.gradeLabel ?? ""
            $0.weakestElements = result?.weakest ?? []
        }
    }

    func fileComplaint(request: Layar_V1_FileComplaintRequest, context: ServerContext) async throws -> Layar_V1_Complaint {
        var problems: [FieldProblem] = []
        let description = request.description_p.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty { problems.append(FieldProblem("description", "Isi pengaduan wajib diisi")) }
        if description.count > 4000 { problems.append(FieldProblem("description", "Isi pengaduan terlalu panjang (maksimal 4000 huruf)")) }
        if request.category == .unspecified || !Layar_V1_ComplaintCategory.allCases.contains(request.category) {
            problems.append(FieldProblem("category", "Kategori pengaduan wajib dipilih"))
        }
        if request.channel == .unspecified || !Layar_V1_IntakeChannel.allCases.contains(request.channel) {
            problems.append(FieldProblem("channel", "Saluran pengaduan wajib diisi"))
        }
        if !Layar_V1_ComplaintPriority.allCases.contains(request.priority) {
            problems.append(FieldProblem("priority", "Prioritas tidak dikenal"))
        }
        // A complaint taken at the office is the signed-in staff member's; the public files its own.
        var operatorID = ""
        if request.channel == .operator {
            operatorID = try ActingStaff.requireRole([.operator, .complaintDesk], for: "Pengaduan di kantor").username
        } else if request.channel == .partner {
            throw FieldViolations([FieldProblem("channel", "Lembaga mitra menyampaikan pengaduan lewat Dinas Sosial")]).error
        }
        if !request.trackingCode.isEmpty && !RandomCode.isWellFormed(request.trackingCode.uppercased(), prefix: "LYR") {
            problems.append(FieldProblem("tracking_code", "Kode pelacakan tidak dikenali (contoh: LYR-7K3M-Q9TX)"))
        }
        if request.anonymous && !(request.name.isEmpty && request.phone.isEmpty) {
            problems.append(FieldProblem("anonymous", "Pengaduan anonim tidak menyertakan nama atau telepon"))
        }
        if request.name.count > 150 { problems.append(FieldProblem("name", "Nama terlalu panjang")) }
        if request.phone.count > 20 { problems.append(FieldProblem("phone", "Nomor telepon terlalu panjang")) }
        try FieldViolations(problems).check()
        var cleaned = request
        cleaned.description_p = description
        return try await complaints.file(cleaned, operatorID: operatorID, now: now())
    }

    func getComplaint(request: Layar_V1_GetComplaintRequest, context: ServerContext) async throws -> Layar_V1_Complaint {
        let id = try RequestFields.id(request.complaintID, as: ComplaintID.self)
        guard let complaint = try await complaints.complaint(id, now: now()) else {
            throw RPCError(code: .notFound, message: "Pengaduan tidak ditemukan")
        }
        return complaint
    }

    func listComplaints(
        request: Layar_V1_ListComplaintsRequest, context: ServerContext
    ) async throws -> Layar_V1_ListComplaintsResponse {
        let list = try await complaints.list(status: request.status, overdueOnly: request.overdueOnly, now: now())
        return .with { $0.complaints = list }
    }

    func actOnComplaint(request: Layar_V1_ComplaintActionRequest, context: ServerContext) async throws -> Layar_V1_Complaint {
        var problems: [FieldProblem] = []
        let id = ComplaintID(request.complaintID)
        if id == nil { problems.append(FieldProblem(ComplaintID.field, "Harus berupa UUID pengaduan")) }
        let actorID = try ActingStaff.username()
        switch request.action {
        case .assign where request.handlerID.isEmpty:
            problems.append(FieldProblem("handler_id", "Petugas penangan wajib diisi"))
        case .respond, .resolve, .reopen:
            if request.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldProblem("text", "Keterangan wajib diisi"))
            }
        case .unspecified, .UNRECOGNIZED:
            problems.append(FieldProblem("action", "Tindakan wajib dipilih"))
        default:
            break
        }
        if request.text.count > 4000 { problems.append(FieldProblem("text", "Keterangan terlalu panjang")) }
        try FieldViolations(problems).check()
        if request.action == .forwardToLapor && !laporEnabled {
            throw RPCError(code: .failedPrecondition, message: "Penerusan ke SP4N-LAPOR! belum dikonfigurasi")
        }
        return try await complaints.act(request, complaintID: id!, actorID: actorID, now: now())
    }

    func getMonitoringReport(
        request: Layar_V1_PeriodRequest, context: ServerContext
    ) async throws -> Layar_V1_MonitoringReport {
        let (from, to) = try Self.period(request)
        let figures = try await monitoring.referralFigures(from: from, to: to)
        let filed = try await complaints.complaints(filedFrom: from, to: to, now: now())
        let totals = try await surveys.elementTotals(from: from, to: to)
        return MonitoringReportBuilder.build(
            from: from, to: to, referrals: figures, complaints: filed, ikm: IKMCalculator.compute(totals)
        )
    }

    static func period(_ request: Layar_V1_PeriodRequest) throws -> (CivilDate, CivilDate) {
        let from = CivilDate(request.from)
        let to = CivilDate(request.to)
        var problems: [FieldProblem] = []
        if !request.hasFrom || !from.isValid { problems.append(FieldProblem("from", "Tanggal awal tidak valid")) }
        if !request.hasTo || !to.isValid { problems.append(FieldProblem("to", "Tanggal akhir tidak valid")) }
        if problems.isEmpty && to < from { problems.append(FieldProblem("to", "Tanggal akhir sebelum tanggal awal")) }
        try FieldViolations(problems).check()
        return (from, to)
    }
}
