import Foundation
import GRPCCore
import LayarPostgres
import LayarRuntime
import LayarTestSupport
import Testing

/// Intake's public RPCs limited per client and for everyone, in PostgreSQL, whoever calls: a
/// client probing tracking codes straight at the service, one behind the portal, and the portal's
/// own forwarded address believed only from a trusted caller.
@Suite("Public call limits")
struct PublicCallLimitTests {
    static func context(peer: String) -> ServerContext {
        ServerContext(
            descriptor: MethodDescriptor(fullyQualifiedService: "layar.v1.IntakeService", method: "GetStatus"), remotePeer: peer,
            localPeer: "ipv4:127.0.0.1:50051", cancellation: .init()
        )
    }

    /// One call through the interceptor: true when it reached the handler.
    static func call(
        _ interceptor: PublicCallLimitInterceptor, peer: String, forwardedFor: String? = nil, as identity: StaffIdentity? = nil
    ) async throws -> Bool {
        var metadata = Metadata()
        if let forwardedFor { metadata.addString(forwardedFor, forKey: "x-forwarded-for") }
        let request = StreamingServerRequest<Int>(metadata: metadata, messages: RPCAsyncSequence<Int, any Error>(wrapping: AsyncThrowingStream<Int, any Error> { $0.finish() }))
        do {
            _ = try await StaffIdentity.$current.withValue(identity) {
                try await interceptor.intercept(request: request, context: Self.context(peer: peer)) { (_: StreamingServerRequest<Int>, _: ServerContext) in
                    StreamingServerResponse<Int>(error: RPCError(code: .unknown, message: "the handler was reached"))
                }
            }
            return true
        } catch let error as RPCError where error.code == .resourceExhausted {
            return false
        }
    }

    @Test("per client, behind a trusted caller by its forwarded address, staff not counted, and a ceiling for all")
    func limits() async throws {
        let database = try await TestEnvironment.scratchDatabase()
        try await PostgresMigrator(migrations: [RateLimiter.migration], logger: TestEnvironment.logger).migrate(database.pool)
        let clock = TestClock()
        // Two replicas of the service, one table.
        let replicas = (0..<2).map { _ in
            PublicCallLimitInterceptor(
                limiter: RateLimiter(pool: database.pool, clock: clock.clock), trustedCallers: TrustedProxies(list: "10.0.0.0/8")!,
                perClient: 3, ceiling: 8
            )
        }
        // A client probing straight at the service, across replicas: three calls, then refused.
        for index in 0..<3 { #expect(try await Self.call(replicas[index % 2], peer: "ipv4:198.51.100.7:40000")) }
        #expect(try await Self.call(replicas[1], peer: "ipv4:198.51.100.7:40001") == false)
        // It cannot pick another address by metadata: only the portal (10.0.0.0/8) is believed.
        #expect(try await Self.call(replicas[0], peer: "ipv4:198.51.100.7:40002", forwardedFor: "203.0.113.50") == false)
        // Citizens behind the portal are counted one by one.
        #expect(try await Self.call(replicas[0], peer: "ipv4:10.1.0.5:5000", forwardedFor: "203.0.113.50"))
        #expect(try await Self.call(replicas[1], peer: "ipv4:10.1.0.6:5000", forwardedFor: "203.0.113.51"))
        // A staff member's call (a walk-in) is not counted.
        let staff = StaffIdentity(username: "op.budi", roles: [.operator])
        for _ in 0..<5 { #expect(try await Self.call(replicas[0], peer: "ipv4:198.51.100.7:40003", as: staff)) }
        // Everyone together: five calls were admitted so far, the ceiling (8) refuses the ninth,
        // whoever makes it.
        for index in 1...3 { #expect(try await Self.call(replicas[index % 2], peer: "ipv6:[2001:db8::\(index)]:443")) }
        #expect(try await Self.call(replicas[0], peer: "ipv6:[2001:db8::4]:443") == false)
        // A new window forgives.
        clock.advance(600)
        #expect(try await Self.call(replicas[1], peer: "ipv4:198.51.100.7:40004"))
        try await database.drop()
    }
}
