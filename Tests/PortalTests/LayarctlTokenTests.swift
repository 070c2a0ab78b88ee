import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import NIOCore
import Testing
@testable import LayarPortal

/// layarctl's access as an attacker or a careless office would meet it: `issue-token` hands out a
/// key to a session, never a long-lived token; the portal exchanges the key for two-minute tokens
/// with the account's roles as they are now, and stops at once when the password or roles change,
/// the account is disabled or the key's hours are over. A key opens no console, a cookie no key.
@Suite("Portal layarctl tokens")
struct LayarctlTokenTests {
    struct Portal_: Sendable {
        let accounts: StaffAccounts
        let clock: TestClock
        let database: ScratchDatabase
    }

    static func withPortal(
        exchangesPerAddress: Int = 600, _ body: @escaping @Sendable (Portal_, any TestClientProtocol) async throws -> Void
    ) async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await ServiceRunner.migrate(PortalMigrations.all, pool: database.pool, logger: TestEnvironment.logger)
        let clock = TestClock()
        let accounts = StaffAccounts(pool: database.pool, clock: clock.clock, passwordCost: StaffConsoleTests.passwordCost)
        let backends = try Backends(StaffConsoleTests.closedPorts, signer: await TestStaffTokens.signer(), clock: clock.clock)
        var portal = Portal(backends: backends, accounts: accounts, secureCookies: false, logger: TestEnvironment.logger)
        portal.layarctlExchanges.limit = exchangesPerAddress
        let application = Application(router: portal.router(), services: [backends.connections], logger: TestEnvironment.logger)
        do {
            try await application.test(.live) { client in
                try await body(Portal_(accounts: accounts, clock: clock, database: database), client)
            }
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    enum Exchange: Equatable {
        case token(StaffClaims)
        case refused(HTTPResponse.Status, String)
    }

    /// Posts `credential` as layarctl does and checks what comes back as a service would.
    static func exchange(_ client: any TestClientProtocol, _ credential: String?, clock: TestClock) async throws -> Exchange {
        var headers: HTTPFields = [:]
        if let credential { headers[.authorization] = "Bearer \(credential)" }
        let (status, body) = try await client.execute(uri: LayarctlKey.exchangePath, method: .post, headers: headers) {
            #expect($0.headers[.cacheControl] == "no-store")
            return ($0.status, Data(buffer: $0.body))
        }
        guard status == .ok else {
            return .refused(status, try JSONDecoder().decode(LayarctlKey.Refusal.self, from: body).error)
        }
        let exchanged = try JSONDecoder().decode(LayarctlKey.Exchanged.self, from: body)
        let claims = try await TestStaffTokens.verifier(clock: clock.clock).verify(exchanged.token)
        #expect(exchanged.expiresAt == claims.exp.value.timeIntervalSince1970)
        return .token(claims)
    }

    static func isRevoked(_ outcome: Exchange) -> Bool {
        guard case .refused(.unauthorized, let message) = outcome else { return false }
        return message.contains("Kunci layarctl tidak berlaku")
    }

    @Test("a key is exchanged for a two-minute token with the account's roles as they are now")
    func exchange() async throws {
        try await Self.withPortal { portal, client in
            try await portal.accounts.upsert(
                username: "rina", displayName: "Rina", roles: [.verifier, .supervisor], password: "rina-secret-1"
            )
            let key = try #require(try await portal.accounts.openLayarctlSession(username: "rina", hours: 1))
            #expect(key.hasPrefix(LayarctlKey.prefix) && key.count > 40)
            guard case .token(let claims) = try await Self.exchange(client, key, clock: portal.clock) else {
                Issue.record("the key was refused")
                return
            }
            #expect(claims.sub.value == "rina" && Set(claims.roles) == [.verifier, .supervisor])
            #expect(claims.exp.value.timeIntervalSince(claims.iat.value) == 120, "a token is one command's worth")
            #expect(claims.iat.value == portal.clock.now, "made on the portal's clock")
            // The key is kept as its digest only: a copy of the table opens nothing.
            let stored = try await portal.database.pool.query(
                "SELECT token_sha256 FROM staff_sessions WHERE purpose = 'layarctl'"
            ).map { try $0.decode(String.self, "token_sha256") }
            #expect(stored == [StaffAccounts.digest(String(key.dropFirst(LayarctlKey.prefix.count)))])
            #expect(try await portal.accounts.openLayarctlSession(username: "nobody", hours: 1) == nil)
        }
    }

    @Test("a password change, a role change, a disabled account and the key's hours each end it at once")
    func revocation() async throws {
        try await Self.withPortal { portal, client in
            let accounts = portal.accounts
            try await accounts.upsert(username: "rina", displayName: "Rina", roles: [.verifier, .supervisor], password: "rina-secret-1")
            func freshKey() async throws -> String {
                let key = try #require(try await accounts.openLayarctlSession(username: "rina", hours: 1))
                guard case .token = try await Self.exchange(client, key, clock: portal.clock) else { throw StaffAccountTests.Refused() }
                return key
            }

            var key = try await freshKey()
            try await accounts.upsert(username: "rina", displayName: "Rina", roles: [.verifier, .supervisor], password: "rina-secret-2")
            #expect(Self.isRevoked(try await Self.exchange(client, key, clock: portal.clock)), "password change")

            key = try await freshKey()
            try await accounts.upsert(username: "rina", displayName: "Rina", roles: [.verifier], password: "rina-secret-2")
            #expect(Self.isRevoked(try await Self.exchange(client, key, clock: portal.clock)), "role change")

            key = try await freshKey()
            try await portal.database.pool.query("UPDATE staff_accounts SET active = false WHERE username = $1", ["rina"])
            #expect(Self.isRevoked(try await Self.exchange(client, key, clock: portal.clock)), "disabled account")
            try await portal.database.pool.query("UPDATE staff_accounts SET active = true WHERE username = $1", ["rina"])

            key = try await freshKey()
            portal.clock.advance(3600 - 1)
            guard case .token = try await Self.exchange(client, key, clock: portal.clock) else {
                Issue.record("refused before its hour was over")
                return
            }
            portal.clock.advance(1)
            #expect(Self.isRevoked(try await Self.exchange(client, key, clock: portal.clock)), "the key's hour is over")
        }
    }

    @Test("a key opens no console and a console cookie is no key; nothing else is exchanged; exchanges are limited per address")
    func keysAndCookiesApart() async throws {
        try await Self.withPortal(exchangesPerAddress: 7) { portal, client in
            try await portal.accounts.upsert(username: "rina", displayName: "Rina", roles: [.verifier], password: "rina-secret-1")
            let key = try #require(try await portal.accounts.openLayarctlSession(username: "rina", hours: 1))
            let secret = String(key.dropFirst(LayarctlKey.prefix.count))
            let consoleStatus = try await client.execute(
                uri: "/staf/", method: .get, headers: [.cookie: "\(StaffSessionMiddleware.cookieName)=\(secret)"]
            ) { $0.status }
            #expect(consoleStatus == .seeOther, "a layarctl key as a cookie is sent to the login page")

            let cookie = try await StaffConsoleTests.logIn(client, "rina", "rina-secret-1")
            let cookieSecret = String(try #require(cookie.split(separator: "=", maxSplits: 1).last))
            #expect(Self.isRevoked(try await Self.exchange(client, LayarctlKey.prefix + cookieSecret, clock: portal.clock)))
            let aToken = try await TestStaffTokens.token([.admin])
            for credential in [nil, "", aToken, LayarctlKey.prefix, LayarctlKey.prefix + "x"] as [String?] {
                #expect(Self.isRevoked(try await Self.exchange(client, credential, clock: portal.clock)), "\(credential ?? "no header")")
            }
            // Six refused so far from this address: the 7th passes, the 8th waits.
            guard case .token = try await Self.exchange(client, key, clock: portal.clock) else {
                Issue.record("refused under the limit")
                return
            }
            let limited = try await client.execute(
                uri: LayarctlKey.exchangePath, method: .post, headers: [.authorization: "Bearer \(key)"]
            ) { ($0.status, $0.headers[.retryAfter]) }
            #expect(limited.0 == .tooManyRequests && limited.1 == "600")
        }
    }
}
