import Foundation
import LayarRuntime
import LayarTestSupport
import Testing
@testable import LayarPortal

/// Accounts as an attacker or a careless restart would meet them: the administrator is created
/// once and never reset, a changed password or role ends the sessions opened before, and the
/// development or example passwords are refused where real people's data is.
@Suite("Portal staff accounts")
struct StaffAccountTests {
    static let cost = PasswordHasher.Cost(logN: 12, p: 1)

    static func accounts(clock: TestClock = TestClock()) async throws -> (ScratchDatabase, StaffAccounts) {
        let database = try await TestEnvironment.scratchDatabase()
        try await ServiceRunner.migrate(PortalMigrations.all, pool: database.pool, logger: TestEnvironment.logger)
        return (database, StaffAccounts(pool: database.pool, clock: clock.clock, passwordCost: cost))
    }

    static func token(_ result: StaffAccounts.LoginResult) throws -> String {
        guard case .signedIn(let token, _) = result else { throw Refused() }
        return token
    }

    struct Refused: Error {}

    @Test("a restart does not reset the administrator: its password, roles and lockout stay")
    func adminCreatedOnce() async throws {
        let (database, accounts) = try await Self.accounts()
        #expect(try await accounts.createIfAbsent(username: "admin", displayName: "Administrator", roles: Set(StaffRole.allCases), password: "first-secret-1"))
        // The administrator changes its password in the console; then the portal restarts with the old variable.
        try await accounts.upsert(username: "admin", displayName: "Administrator", roles: [.admin], password: "second-secret-2")
        #expect(try await accounts.createIfAbsent(username: "admin", displayName: "Administrator", roles: Set(StaffRole.allCases), password: "first-secret-1") == false)
        if case .signedIn = try await accounts.logIn(username: "admin", password: "first-secret-1") {
            Issue.record("the start-up password was put back")
        }
        _ = try Self.token(try await accounts.logIn(username: "admin", password: "second-secret-2"))
        #expect(try await accounts.account("admin")?.roles == [.admin], "roles are not widened again")
        try await database.drop()
    }

    @Test("a changed password or role ends the sessions opened before it")
    func changeEndsSessions() async throws {
        let (database, accounts) = try await Self.accounts()
        try await accounts.upsert(username: "rina", displayName: "Rina", roles: [.verifier, .supervisor], password: "rina-secret-1")
        let token = try Self.token(try await accounts.logIn(username: "rina", password: "rina-secret-1"))
        #expect(try await accounts.session(token: token)?.roles.contains(.supervisor) == true)
        try await accounts.upsert(username: "rina", displayName: "Rina", roles: [.verifier], password: "rina-secret-1")
        #expect(try await accounts.session(token: token) == nil, "the session with the removed role ended")
        let next = try Self.token(try await accounts.logIn(username: "rina", password: "rina-secret-1"))
        #expect(try await accounts.session(token: next)?.roles == [.verifier])
        try await database.drop()
    }

    @Test("the development and example passwords are refused unless the local stack allows them")
    func placeholderPasswords() throws {
        for password in ["layar-admin-dev", "CHANGE-ME-at-least-10-characters", "changeme-please", "example-password"] {
            let error = #expect(throws: ConfigurationError.self) {
                try PortalConfiguration.fromEnvironment([
                    "LAYAR_DATABASE_URL": "postgresql://portal@127.0.0.1/layar", "LAYAR_PORTAL_ADMIN_PASSWORD": password,
                ])
            }
            #expect(error?.description.contains("LAYAR_PORTAL_ADMIN_PASSWORD is the development or an example password") == true)
        }
        let local = try PortalConfiguration.fromEnvironment([
            "LAYAR_DATABASE_URL": "postgresql://portal@127.0.0.1/layar", "LAYAR_PORTAL_ADMIN_PASSWORD": "layar-admin-dev",
            "LAYAR_PORTAL_DEV_PASSWORDS": "allow",
        ])
        #expect(local.adminPassword == "layar-admin-dev")
        let real = try PortalConfiguration.fromEnvironment([
            "LAYAR_DATABASE_URL": "postgresql://portal@127.0.0.1/layar", "LAYAR_PORTAL_ADMIN_PASSWORD": "q8Vd3kLr2xZp9",
        ])
        #expect(real.adminPassword == "q8Vd3kLr2xZp9")
    }

    @Test("after a lock has run out, one more wrong password does not lock the account again at once")
    func lockRunsOut() async throws {
        let clock = TestClock()
        let (database, accounts) = try await Self.accounts(clock: clock)
        try await accounts.upsert(username: "op2", displayName: "Dewi", roles: [.operator], password: "dewi-secret-1")
        for _ in 1...StaffAccounts.lockAfterFailures { _ = try await accounts.logIn(username: "op2", password: "salah") }
        guard case .locked = try await accounts.logIn(username: "op2", password: "dewi-secret-1") else {
            Issue.record("five wrong passwords did not lock")
            return
        }
        clock.advance(Double(StaffAccounts.lockSeconds + 1))
        _ = try await accounts.logIn(username: "op2", password: "salah")
        _ = try Self.token(try await accounts.logIn(username: "op2", password: "dewi-secret-1"))
        try await database.drop()
    }
}
