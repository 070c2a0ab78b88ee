import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LayarRuntime
import LayarTestSupport
import Logging
import NIOCore
import Testing
@testable import LayarPortal

/// The staff console's gate against the real PostgreSQL: passwords, sessions, roles, CSRF, and a
/// page that stays readable when a service is down (the backends point at closed ports).
@Suite("Portal staff console")
struct StaffConsoleTests {
    static let closedPorts = BackendAddresses(
        intake: "127.0.0.1:1", verification: "127.0.0.1:1", assignment: "127.0.0.1:1", survey: "127.0.0.1:1",
        notification: "127.0.0.1:1"
    )

    static func withPortal(_ body: @escaping @Sendable (StaffAccounts, any TestClientProtocol) async throws -> Void) async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await ServiceRunner.migrate(PortalMigrations.all, pool: database.pool, logger: TestEnvironment.logger)
        // The portal's one clock: accounts, sessions, lockouts, tokens and throttles read it.
        let clock = TestClock().clock
        let accounts = StaffAccounts(pool: database.pool, clock: clock, passwordCost: Self.passwordCost)
        let backends = try Backends(closedPorts, clock: clock)
        let portal = Portal(backends: backends, accounts: accounts, secureCookies: false, logger: TestEnvironment.logger)
        let application = Application(router: portal.router(), services: [backends.connections], logger: TestEnvironment.logger)
        do {
            try await application.test(.live) { client in try await body(accounts, client) }
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Logs in and answers the session cookie ("name=value").
    static func logIn(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws -> String {
        try await client.execute(uri: "/staf/masuk", method: .post, headers: formHeaders,
                                 body: form(["username": username, "password": password, "kembali": "/staf/"])) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/staf/")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            return String(try #require(cookie.split(separator: ";").first))
        }
    }

    /// scrypt at a test cost (4 MiB): the debug build's BoringSSL is slow at the real one.
    static let passwordCost = PasswordHasher.Cost(logN: 12, p: 1)

    @Test("passwords are salted scrypt with their cost on record, verified in constant time")
    func passwords() throws {
        let stored = try PasswordHasher.hash("rahasia-sekali", cost: Self.passwordCost)
        #expect(stored.hasPrefix("scrypt$12$8$1$"))
        #expect(PasswordHasher.verify("rahasia-sekali", against: stored))
        #expect(!PasswordHasher.verify("rahasia-sekalI", against: stored))
        #expect(try PasswordHasher.hash("rahasia-sekali", cost: Self.passwordCost) != stored)
        #expect(!PasswordHasher.verify("x", against: "garbage"))
        #expect(!PasswordHasher.verify("rahasia-sekali", against: stored.replacingOccurrences(of: "scrypt$12$", with: "scrypt$13$")))
        #expect(!PasswordHasher.needsRehash(stored, cost: Self.passwordCost))
        #expect(PasswordHasher.needsRehash(stored, cost: .standard), "a cheaper hash is raised at sign-in")
    }

    @Test("an account hashed with PBKDF2 still signs in, and its hash is replaced by scrypt")
    func legacyHashUpgraded() async throws {
        try await Self.withPortal { accounts, client in
            try await accounts.upsert(username: "lama", displayName: "Akun Lama", roles: [.verifier], password: "sandi-lama-sekali")
            // The hash as the portal stored it before scrypt (PBKDF2-HMAC-SHA256, 600,000 rounds).
            let legacy = "pbkdf2-sha256$600000$c2FsdC1vZi1zaXh0ZWVuIQ==$aYkLu/UjKDeKwjmTOoohkHbp67VyI+QHWR5MwpNa/+4="
            try await accounts.pool.query("UPDATE staff_accounts SET password_hash = $1 WHERE username = 'lama'", [legacy])
            #expect(PasswordHasher.verify("sandi-lama-sekali", against: legacy))
            _ = try await Self.logIn(client, "lama", "sandi-lama-sekali")
            let upgraded = try #require(try await accounts.pool.query("SELECT password_hash FROM staff_accounts WHERE username = 'lama'").first)
                .decode(String.self, "password_hash")
            #expect(upgraded.hasPrefix("scrypt$12$") && PasswordHasher.verify("sandi-lama-sekali", against: upgraded))
        }
    }

    @Test("citizens' form posts are throttled per address: past the limit 429 with a page and Retry-After; pages and the staff login are not counted")
    func formThrottle() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await ServiceRunner.migrate(PortalMigrations.all, pool: database.pool, logger: TestEnvironment.logger)
        let clock = TestClock()
        let backends = try Backends(Self.closedPorts, clock: clock.clock)
        var portal = Portal(
            backends: backends, accounts: StaffAccounts(pool: database.pool, clock: clock.clock, passwordCost: Self.passwordCost),
            secureCookies: false, logger: TestEnvironment.logger
        )
        portal.formThrottle = PublicFormThrottle(limiter: portal.limiter, perClient: 2, window: .seconds(600))
        let application = Application(router: portal.router(), services: [backends.connections], logger: TestEnvironment.logger)
        try await application.test(.live) { client in
            let complaint = Self.form(["description": "Petugas tidak datang", "category": "1"])
            for _ in 0..<2 {
                try await client.execute(uri: "/pengaduan", method: .post, headers: Self.formHeaders, body: complaint) { response in
                    #expect(response.status != .tooManyRequests)
                }
            }
            try await client.execute(uri: "/pengaduan", method: .post, headers: Self.formHeaders, body: complaint) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "600")
                #expect(String(buffer: response.body).contains("Terlalu banyak permintaan"))
            }
            try await client.execute(uri: "/rujukan", method: .get) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/staf/masuk", method: .post, headers: Self.formHeaders,
                                     body: Self.form(["username": "tidak-ada", "password": "salah-sekali", "kembali": "/staf/"])) { response in
                #expect(response.status != .tooManyRequests)
            }
            // The window is the portal's clock's: ten minutes later the address may post again.
            clock.advance(600)
            try await client.execute(uri: "/pengaduan", method: .post, headers: Self.formHeaders, body: complaint) { response in
                #expect(response.status != .tooManyRequests)
            }
        }
        try await database.drop()
    }

    @Test("no session: sent to the login; a login opens a session; logout closes it")
    func sessions() async throws {
        try await Self.withPortal { accounts, client in
            try await accounts.upsert(username: "verifikator1", displayName: "Rina", roles: [.verifier], password: "kata-sandi-uji")
            try await client.execute(uri: "/staf/verifikasi", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/staf/masuk?kembali=%2Fstaf%2Fverifikasi")
            }
            try await client.execute(uri: "/staf/masuk", method: .post, headers: Self.formHeaders,
                                     body: Self.form(["username": "verifikator1", "password": "salah"])) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("Nama pengguna atau kata sandi salah"))
            }
            let cookie = try await Self.logIn(client, "verifikator1", "kata-sandi-uji")
            try await client.execute(uri: "/staf/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("Selamat datang, Rina") && page.contains("/staf/verifikasi"))
                #expect(!page.contains("/staf/monev"), "a verifier's menu has no monitoring")
            }
            let token = try #require(cookie.split(separator: "=").last)
            let csrf = try #require(try await accounts.session(token: String(token))?.csrfToken)
            try await client.execute(uri: "/staf/keluar", method: .post, headers: Self.formHeaders.merging([.cookie: cookie]),
                                     body: Self.form(["csrf": csrf])) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/staf/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .seeOther, "the session ended with the logout")
            }
        }
    }

    @Test("five wrong passwords lock the account for 15 minutes, the right one included, answered as a wrong password")
    func lockout() async throws {
        try await Self.withPortal { accounts, client in
            try await accounts.upsert(username: "operator1", displayName: "Budi", roles: [.operator], password: "kata-sandi-uji")
            var wrongAnswer = ""
            for _ in 1...StaffAccounts.lockAfterFailures {
                try await client.execute(uri: "/staf/masuk", method: .post, headers: Self.formHeaders,
                                         body: Self.form(["username": "operator1", "password": "tebakan"])) { response in
                    #expect(response.status == .unauthorized)
                    wrongAnswer = String(buffer: response.body)
                }
            }
            try await client.execute(uri: "/staf/masuk", method: .post, headers: Self.formHeaders,
                                     body: Self.form(["username": "operator1", "password": "kata-sandi-uji"])) { response in
                // Locked: the same status and page as a wrong password (a guesser learns nothing).
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body) == wrongAnswer)
            }
            if case .signedIn = try await accounts.logIn(username: "operator1", password: "kata-sandi-uji") {
                Issue.record("a locked account signed in")
            }
        }
    }

    @Test("roles: a page of another role is refused; a form without the session's CSRF token is refused")
    func rolesAndCSRF() async throws {
        try await Self.withPortal { accounts, client in
            try await accounts.upsert(username: "monev1", displayName: "Sari", roles: [.monitoring], password: "kata-sandi-uji")
            let cookie = try await Self.logIn(client, "monev1", "kata-sandi-uji")
            try await client.execute(uri: "/staf/verifikasi", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .forbidden)
            }
            try await accounts.upsert(username: "pendamping1", displayName: "Yusuf", roles: [.caseWorker], caseWorkerID: "PS-01", password: "kata-sandi-uji")
            let worker = try await Self.logIn(client, "pendamping1", "kata-sandi-uji")
            try await client.execute(
                uri: "/staf/kasus/7f1d1c9e-2a43-4c56-9a1b-0c1d2e3f4a5b/tutup", method: .post,
                headers: Self.formHeaders.merging([.cookie: worker]), body: Self.form(["close_reason": "uji", "csrf": "tebakan"])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("Formulir kedaluwarsa"))
            }
        }
    }

    @Test("a service that is down gives a page that says so, at once")
    func serviceDown() async throws {
        try await Self.withPortal { accounts, client in
            try await accounts.upsert(username: "monev2", displayName: "Sari", roles: [.monitoring], password: "kata-sandi-uji")
            let cookie = try await Self.logIn(client, "monev2", "kata-sandi-uji")
            let started = ContinuousClock.now
            try await client.execute(uri: "/staf/monev", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains("Layanan sedang sibuk atau terputus"))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
            // The public form's page needs no service.
            try await client.execute(uri: "/rujukan", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged.append(field) }
        return merged
    }
}
