import LayarRuntime
import Testing

/// Runs a test as a signed-in staff member (``StaffIdentity/current``), as the authorization
/// interceptor would have set it, for tests that call an API directly.
struct ActingAs: TestTrait, TestScoping {
    let identity: StaffIdentity

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await StaffIdentity.$current.withValue(identity) { try await function() }
    }
}

extension Trait where Self == ActingAs {
    static func actingAs(_ roles: Set<StaffRole>, username: String = "uji.petugas", caseWorkerID: String = "") -> ActingAs {
        ActingAs(identity: StaffIdentity(username: username, roles: roles, caseWorkerID: caseWorkerID))
    }
}
