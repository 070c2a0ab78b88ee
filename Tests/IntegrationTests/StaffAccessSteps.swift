import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarPostgres
import LayarDomain
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

extension WalkingSkeletonTests {
    /// The access tables enforced by the real services: a staff RPC of each service refused
    /// without a token, with a forged or expired one, and to a role the table does not name; a
    /// case worker reaches their own case and not another's; inboxes are their owners'.
    func staffAccess(_ services: ServiceProcesses, caseView: Layar_V1_Case) async throws {
        func status(_ service: String, token: String?, _ call: (GRPCClient<HTTPClientTransport>) async throws -> Void) async -> RPCError.Code? {
            await rpcErrorCode { try await #require(services.addresses[service]).withClient(bearerToken: token) { try await call($0) } }
        }
        let referral = Layar_V1_GetReferralRequest.with { $0.referralID = caseView.referralID }
        let staffCalls: [(service: String, call: (GRPCClient<HTTPClientTransport>) async throws -> Void)] = [
            ("intake", { _ = try await Layar_V1_IntakeService.Client(wrapping: $0).getReferral(referral) }),
            ("verification", { _ = try await Layar_V1_VerificationService.Client(wrapping: $0).listQueue(.init()) }),
            ("assignment", { _ = try await Layar_V1_AssignmentService.Client(wrapping: $0).listUnassignedCases(.init()) }),
            ("notification", { _ = try await Layar_V1_NotificationService.Client(wrapping: $0).listDeadLetters(.init()) }),
            ("survey", { _ = try await Layar_V1_SurveyService.Client(wrapping: $0).listComplaints(.init()) }),
        ]
        let expired = try await TestStaffTokens.token(StaffRole.allCases, issuedAt: LayarClock.system.now.addingTimeInterval(-7200), lifetime: .seconds(3600))
        let monitoringOnly = try await TestStaffTokens.token([.monitoring])
        let supervisor = try await TestStaffTokens.token([.supervisor])
        for (service, call) in staffCalls {
            #expect(await status(service, token: nil, call) == .unauthenticated, "\(service) without a token")
            #expect(await status(service, token: "eyJhbGciOiJub25lIn0.e30.", call) == .unauthenticated, "\(service) forged")
            #expect(await status(service, token: expired, call) == .unauthenticated, "\(service) expired")
            #expect(await status(service, token: monitoringOnly, call) == .permissionDenied, "\(service) monitoring")
            #expect(await status(service, token: supervisor, call) == nil, "\(service) supervisor")
        }

        // A case worker: their own case, not another's; their caseload only.
        let getCase: (GRPCClient<HTTPClientTransport>) async throws -> Void = {
            _ = try await Layar_V1_AssignmentService.Client(wrapping: $0).getCase(.with { $0.referralID = caseView.referralID })
        }
        let owner = try await TestStaffTokens.token([.caseWorker], username: "pemilik", caseWorkerID: caseView.caseWorkerID)
        let other = try await TestStaffTokens.token([.caseWorker], username: "lain", caseWorkerID: "PS-LAIN")
        #expect(await status("assignment", token: owner, getCase) == nil)
        #expect(await status("assignment", token: other, getCase) == .permissionDenied)
        let othersLoad = try await #require(services.addresses["assignment"]).withClient(bearerToken: other) {
            try await Layar_V1_AssignmentService.Client(wrapping: $0).listCases(.init())
        }
        #expect(othersLoad.cases.allSatisfy { $0.caseWorkerID == "PS-LAIN" })
        #expect(await status("assignment", token: other, {
            _ = try await Layar_V1_AssignmentService.Client(wrapping: $0).listCases(.with { $0.caseWorkerID = caseView.caseWorkerID })
        }) == .permissionDenied)

        // Inboxes: a role's inbox to that role (and supervisors) only.
        let supervisorsInbox: (GRPCClient<HTTPClientTransport>) async throws -> Void = {
            _ = try await Layar_V1_NotificationService.Client(wrapping: $0).listInbox(.with { $0.recipient = "role:supervisor" })
        }
        #expect(await status("notification", token: supervisor, supervisorsInbox) == nil)
        #expect(await status("notification", token: try await TestStaffTokens.token([.verifier]), supervisorsInbox) == .permissionDenied)
        #expect(await status("notification", token: owner, {
            _ = try await Layar_V1_NotificationService.Client(wrapping: $0).listInbox(.with { $0.recipient = caseView.caseWorkerID })
        }) == nil)

        // The audit trail: who looked at this referral's case, refused or not; for administrators only.
        let admin = try await TestStaffTokens.token([.admin], username: "admin.uji")
        let trail = try await #require(services.addresses["assignment"]).withClient(bearerToken: admin) {
            try await Layar_V1_AuditService.Client(wrapping: $0).listAuditEvents(.with { $0.subject = caseView.referralID })
        }.events
        let caseReads = trail.filter { $0.method == "layar.v1.AssignmentService/GetCase" }
        #expect(caseReads.contains { $0.actor == "pemilik" && $0.outcome == "ok" && $0.roles == ["case_worker"] })
        #expect(caseReads.contains { $0.actor == "lain" && $0.outcome == "permissionDenied" })
        #expect(caseReads.allSatisfy { $0.peer.contains("127.0.0.1") })
        #expect(await status("assignment", token: supervisor, {
            _ = try await Layar_V1_AuditService.Client(wrapping: $0).listAuditEvents(.init())
        }) == .permissionDenied)
        // Refused credentials are recorded too.
        let refusals = try await #require(services.addresses["intake"]).withClient(bearerToken: admin) {
            try await Layar_V1_AuditService.Client(wrapping: $0).listAuditEvents(.with { $0.actor = "anonymous" })
        }.events
        #expect(refusals.contains { $0.method == "layar.v1.IntakeService/GetReferral" && $0.outcome == "unauthenticated" })
        // Append-only, even for the service's own role.
        let database = PostgresPool(configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL("assignment")), logger: TestEnvironment.logger)
        await #expect(throws: PostgresError.self) { try await database.query("DELETE FROM audit_log") }
        await #expect(throws: PostgresError.self) { try await database.query("UPDATE audit_log SET actor = 'x'") }
        await #expect(throws: PostgresError.self) { try await database.query("TRUNCATE audit_log") }
        await database.close()
    }
}

typealias HTTPClientTransport = GRPCNIOTransportHTTP2.HTTP2ClientTransport.Posix
