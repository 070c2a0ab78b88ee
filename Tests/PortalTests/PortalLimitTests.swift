import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LayarRuntime
import LayarTestSupport
import NIOCore
import Testing
@testable import LayarPortal

/// The portal's limits as an attacker meets them: behind the ingress each client is counted on
/// its own (and a client cannot pick its address), two replicas count together, a flood from
/// many addresses meets a ceiling, and staff sign-ins are limited per address and per username.
@Suite("Portal limits")
struct PortalLimitTests {
    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    static let complaint = ByteBuffer(string: "description=Petugas%20tidak%20datang&category=1")

    /// Two portals (replicas) on one database, behind a proxy at 127.0.0.1 (the test client's address).
    static func withReplicas(
        trusted: String = "127.0.0.1/32", perClient: Int = 2, ceiling: Int = 1_000,
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, StaffAccounts, TestClock) async throws -> Void
    ) async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await ServiceRunner.migrate(PortalMigrations.all, pool: database.pool, logger: TestEnvironment.logger)
        let clock = TestClock()
        let accounts = StaffAccounts(pool: database.pool, clock: clock.clock, passwordCost: .init(logN: 10, p: 1))
        func replica() throws -> (Application<RouterResponder<PortalRequestContext>>, Backends) {
            let backends = try Backends(StaffConsoleTests.closedPorts, clock: clock.clock)
            var portal = Portal(backends: backends, accounts: accounts, secureCookies: false, logger: TestEnvironment.logger, trustedProxies: trusted)
            portal.formThrottle = PublicFormThrottle(limiter: portal.limiter, perClient: perClient, ceiling: ceiling)
            portal.loginLimits.perAddress.limit = 4
            portal.loginLimits.perUsername.limit = 3
            return (Application(router: portal.router(), services: [backends.connections], logger: TestEnvironment.logger), backends)
        }
        let (first, _) = try replica()
        let (second, _) = try replica()
        do {
            try await first.test(.live) { one in
                try await second.test(.live) { two in try await body(one, two, accounts, clock) }
            }
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    static func post(_ client: any TestClientProtocol, from address: String?, headerName: String = "X-Forwarded-For") async throws -> HTTPResponse.Status {
        var headers = formHeaders
        if let address { headers[HTTPField.Name(headerName)!] = address }
        return try await client.execute(uri: "/pengaduan", method: .post, headers: headers, body: complaint) { $0.status }
    }

    @Test("behind a trusted proxy each client has its own limit; one citizen over it blocks nobody else")
    func perClientBehindProxy() async throws {
        try await Self.withReplicas { (one, _, _, _) async throws in
            for _ in 0..<2 { #expect(try await Self.post(one, from: "203.0.113.7") != .tooManyRequests) }
            #expect(try await Self.post(one, from: "203.0.113.7") == .tooManyRequests)
            // Another citizen behind the same ingress is not blocked by the first.
            #expect(try await Self.post(one, from: "198.51.100.20") != .tooManyRequests)
            // The proxy appends the address it saw: a client's own X-Forwarded-For entry is ignored.
            #expect(try await Self.post(one, from: "198.51.100.99, 203.0.113.7") == .tooManyRequests)
            // RFC 7239 Forwarded says the same.
            #expect(try await Self.post(one, from: "for=203.0.113.7", headerName: "Forwarded") == .tooManyRequests)
        }
    }

    @Test("/metrics is not served through the ingress (404), only to a direct scraper; pages carry HSTS")
    func metricsOffThePublicSide() async throws {
        // The test client at 127.0.0.1 is the ingress here...
        try await Self.withReplicas { (one, _, _, _) async throws in
            #expect(try await one.execute(uri: "/metrics", method: .get) { $0.status } == .notFound)
            #expect(try await one.execute(uri: "/health/live", method: .get) { $0.status } == .ok)
            let hsts = try await one.execute(uri: "/", method: .get) { $0.headers[HTTPField.Name("Strict-Transport-Security")!] }
            #expect(hsts?.hasPrefix("max-age=") == true)
        }
        // ...and here a scraper reaching the pod directly (the ingress lives elsewhere).
        try await Self.withReplicas(trusted: "10.0.0.0/8") { (one, _, _, _) async throws in
            #expect(try await one.execute(uri: "/metrics", method: .get) { $0.status } == .ok)
        }
    }

    @Test("from a peer that is no trusted proxy, X-Forwarded-For is ignored: a client cannot pick its address")
    func untrustedPeer() async throws {
        try await Self.withReplicas(trusted: "") { (one, _, _, _) async throws in
            for attempt in 0..<2 { #expect(try await Self.post(one, from: "192.0.2.\(attempt)") != .tooManyRequests) }
            #expect(try await Self.post(one, from: "192.0.2.200") == .tooManyRequests, "counted as the peer, whatever it claims")
        }
    }

    @Test("two replicas count together, and the window is the clock's")
    func sharedAcrossReplicas() async throws {
        try await Self.withReplicas { (one, two, _, clock) async throws in
            #expect(try await Self.post(one, from: "203.0.113.8") != .tooManyRequests)
            #expect(try await Self.post(two, from: "203.0.113.8") != .tooManyRequests)
            #expect(try await Self.post(one, from: "203.0.113.8") == .tooManyRequests)
            #expect(try await Self.post(two, from: "203.0.113.8") == .tooManyRequests)
            clock.advance(600)
            #expect(try await Self.post(two, from: "203.0.113.8") != .tooManyRequests)
        }
    }

    @Test("a flood from many addresses meets the ceiling")
    func ceiling() async throws {
        try await Self.withReplicas(perClient: 100, ceiling: 5) { (one, two, _, _) async throws in
            for index in 0..<5 { #expect(try await Self.post(index % 2 == 0 ? one : two, from: "198.51.100.\(index)") != .tooManyRequests) }
            #expect(try await Self.post(one, from: "198.51.100.77") == .tooManyRequests)
        }
    }

    @Test("staff sign-ins are limited per username across addresses and replicas, and per address across usernames")
    func loginLimits() async throws {
        try await Self.withReplicas { (one, two, accounts, _) async throws in
            try await accounts.upsert(username: "verif1", displayName: "Rina", roles: [.verifier], password: "kata-sandi-uji-1")
            func logIn(_ client: any TestClientProtocol, _ username: String, _ password: String, from address: String) async throws -> HTTPResponse.Status {
                var headers = Self.formHeaders
                headers[HTTPField.Name("X-Forwarded-For")!] = address
                let body = ByteBuffer(string: "username=\(username)&password=\(password)&kembali=%2Fstaf%2F")
                return try await client.execute(uri: "/staf/masuk", method: .post, headers: headers, body: body) { $0.status }
            }
            // Three tries at one username from three addresses through two replicas; the fourth waits.
            #expect(try await logIn(one, "verif1", "tebakan1", from: "203.0.113.1") == .unauthorized)
            #expect(try await logIn(two, "verif1", "tebakan2", from: "203.0.113.2") == .unauthorized)
            #expect(try await logIn(one, "verif1", "tebakan3", from: "203.0.113.3") == .unauthorized)
            #expect(try await logIn(two, "verif1", "kata-sandi-uji-1", from: "203.0.113.4") == .tooManyRequests)
            // One address trying many usernames: four, then it waits.
            for index in 0..<4 { #expect(try await logIn(one, "orang\(index)", "tebakan", from: "192.0.2.50") == .unauthorized) }
            #expect(try await logIn(two, "orang9", "tebakan", from: "192.0.2.50") == .tooManyRequests)
        }
    }

    @Test("forwarded addresses are read right to left, trusting only the configured networks")
    func trustedProxyParsing() throws {
        let proxies = try #require(TrustedProxies(list: "10.0.0.0/8, fd00::/8"))
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["198.51.100.1", "10.9.9.9"]) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["6.6.6.6", "198.51.100.1"]) == "198.51.100.1")
        #expect(proxies.clientAddress(peer: "198.51.100.5", forwardedFor: ["6.6.6.6"]) == "198.51.100.5")
        #expect(proxies.clientAddress(peer: "fd00::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["not-an-address"]) == "10.1.2.3")
        #expect(TrustedProxies.forwardedAddresses(xForwardedFor: nil, forwarded: #"for=192.0.2.60;proto=https, for="[2001:db8::1]:4711""#)
            == ["192.0.2.60", "2001:db8::1"])
        #expect(TrustedProxies(list: "10.0.0.0/33") == nil)
    }
}
