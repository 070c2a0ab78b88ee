import Foundation
import GRPCCore
import JWTKit
import LayarAssignment
import LayarIntake
import LayarNotification
import LayarRuntime
import LayarSchema
import LayarSurvey
import LayarTestSupport
import LayarVerification
import Testing

/// The role × RPC tables of every service, enforced by the authorization interceptor: every RPC
/// has a row, and every RPC is tried with every role and with missing, forged, expired and
/// foreign tokens; Services/README.md's table is the tables' own.
@Suite("Access policy")
struct AccessPolicyTests {
    static let policies: [AccessPolicy] = [
        IntakeAccessPolicy.policy, IntakeAccessPolicy.dataSubjects, VerificationAccessPolicy.policy, NotificationAccessPolicy.policy,
        SurveyAccessPolicy.policy,
    ] + AssignmentAccessPolicy.policies + [AccessPolicy.audit]

    static let methods: [MethodDescriptor] = Layar_V1_IntakeService.Method.descriptors
        + Layar_V1_VerificationService.Method.descriptors + Layar_V1_AssignmentService.Method.descriptors
        + Layar_V1_PartnerService.Method.descriptors + Layar_V1_NotificationService.Method.descriptors
        + Layar_V1_SurveyService.Method.descriptors + Layar_V1_AuditService.Method.descriptors
        + Layar_V1_DataSubjectService.Method.descriptors

    static func access(_ method: MethodDescriptor) -> Access? {
        policies.lazy.compactMap { $0.access(for: method) }.first
    }

    @Test("every RPC of every service has a row, and every row names an RPC")
    func complete() {
        for method in Self.methods {
            #expect(Self.access(method) != nil, "\(method.fullyQualifiedMethod) has no row: refused to everyone")
        }
        let rows = Self.policies.flatMap { policy in policy.rules.keys.map { "\(policy.service.fullyQualifiedService)/\($0)" } }
        let known = Set(Self.methods.map(\.fullyQualifiedMethod))
        #expect(rows.filter { !known.contains($0) } == [])
        #expect(rows.count == Self.methods.count)
    }

    /// What the interceptor answers: the caller's roles when let in, or the refusal's code.
    enum Outcome: Equatable {
        case allowed(Set<StaffRole>?)
        case refused(RPCError.Code)
    }

    static func outcome(_ interceptor: AuthorizationServerInterceptor, _ method: MethodDescriptor, token: String?) async -> Outcome {
        var metadata = Metadata()
        if let token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        do {
            return .allowed(try await interceptor.authorize(method, metadata: metadata)?.roles)
        } catch let error as RPCError {
            return .refused(error.code)
        } catch {
            return .refused(.unknown)
        }
    }

    @Test("every RPC × every role, no token, a forged, an expired and a foreign token: exactly as the table says")
    func exhaustive() async throws {
        let clock = TestClock()
        let interceptor = AuthorizationServerInterceptor(
            policies: Self.policies, verifier: await TestStaffTokens.verifier(clock: clock.clock), logger: TestEnvironment.logger
        )
        var tokens: [StaffRole: String] = [:]
        for role in StaffRole.allCases { tokens[role] = try await TestStaffTokens.token([role], issuedAt: clock.now) }
        let expired = try await TestStaffTokens.token(
            StaffRole.allCases, issuedAt: clock.now.addingTimeInterval(-3 * 3600), lifetime: .seconds(3600)
        )
        // Signed by another key under the same key id: a stolen key id is worth nothing.
        let foreign = try await StaffTokenSigner(privateKey: try EdDSA.PrivateKey(), keyID: TestStaffTokens.keyID)
            .sign(StaffClaims(username: "penyusup", roles: StaffRole.allCases, sessionID: "x", issuedAt: clock.now, lifetime: StaffClaims.maximumLifetime))
        // A second beyond the longest lifetime a service honours (a forgotten 12-hour CLI token of old).
        let tooLong = try await TestStaffTokens.token(StaffRole.allCases, issuedAt: clock.now, lifetime: StaffClaims.maximumLifetime + .seconds(1))
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiJ9."
        var checked = 0
        for method in Self.methods {
            let access = try #require(Self.access(method))
            for bad in [nil, expired, foreign, tooLong, unsigned, "not-a-jwt"] as [String?] {
                let expected: Outcome = if case .staff = access { .refused(.unauthenticated) } else { .allowed(nil) }
                #expect(await Self.outcome(interceptor, method, token: bad) == expected, "\(method.fullyQualifiedMethod) \(bad ?? "no token")")
                checked += 1
            }
            for role in StaffRole.allCases {
                // A public call with a valid token is the staff member's (for the audit trail).
                let expected: Outcome = switch access {
                case .public: .allowed([role])
                case .partner: .allowed(nil)
                case .staff(let allowed): allowed.contains(role) ? .allowed([role]) : .refused(.permissionDenied)
                }
                #expect(await Self.outcome(interceptor, method, token: tokens[role]) == expected, "\(method.fullyQualifiedMethod) as \(role)")
                checked += 1
            }
        }
        // Not in any table: refused, whoever asks.
        let unknown = MethodDescriptor(fullyQualifiedService: "layar.v1.IntakeService", method: "DropEverything")
        #expect(await Self.outcome(interceptor, unknown, token: try await TestStaffTokens.everyRole()) == .refused(.permissionDenied))
        // Without keys configured, no staff RPC is let in.
        let keyless = AuthorizationServerInterceptor(policies: Self.policies, verifier: nil, logger: TestEnvironment.logger)
        let getReferral = Layar_V1_IntakeService.Method.GetReferral.descriptor
        #expect(await Self.outcome(keyless, getReferral, token: try await TestStaffTokens.everyRole()) == .refused(.unauthenticated))
        #expect(checked == Self.methods.count * (6 + StaffRole.allCases.count))
    }

    /// The README's table, made from the tables themselves.
    static func markdownTable() -> String {
        let roles = StaffRole.allCases
        var lines = [
            "| RPC | caller | " + roles.map(\.rawValue).joined(separator: " | ") + " |",
            "| --- | --- |" + String(repeating: " :-: |", count: roles.count),
        ]
        for method in methods {
            let name = "`\(method.service.fullyQualifiedService.replacingOccurrences(of: "layar.v1.", with: ""))/\(method.method)`"
            let blanks = Array(repeating: "", count: roles.count)
            let cells: [String] = switch access(method) {
            case .public?: ["anyone"] + blanks
            case .partner?: ["partner key"] + blanks
            case .staff(let allowed)?: ["staff token"] + roles.map { allowed.contains($0) ? "✓" : "" }
            case nil: ["nobody"] + blanks
            }
            lines.append("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    @Test("Services/README.md's role × RPC table is the enforced one")
    func readmeTable() throws {
        let readme = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/ServiceTests/AccessPolicyTests.swift", with: "Services/README.md"), encoding: .utf8)
        let expected = Self.markdownTable()
        if !readme.contains(expected) {
            // The table to paste, whole (a long expectation message gets cut in the test output).
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("layar-access-table.md")
            try expected.write(to: path, atomically: true, encoding: .utf8)
            Issue.record("Services/README.md's role × RPC table differs from the policies: the current one is in \(path.path)")
        }
    }
}
