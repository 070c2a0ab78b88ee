import Foundation
import GRPCCore
import LayarDomain
import LayarRuntime
import Synchronization

/// Adds `authorization: Bearer <token>` to the portal's calls made for a signed-in staff member
/// (``StaffSession/current``): a short-lived JWT with their username, roles and case-worker id,
/// signed with the portal's key. Citizens' pages have no session and send no token. A token is
/// reused for its session until a minute before it expires; logging out or disabling the
/// account stops new ones, and the last lapses within ``lifetime``.
struct StaffTokenClientInterceptor: ClientInterceptor {
    static let lifetime = StaffClaims.maximumLifetime
    let signer: StaffTokenSigner?
    let clock: LayarClock
    private let cache = TokenCache()

    init(signer: StaffTokenSigner?, clock: LayarClock) {
        self.signer = signer
        self.clock = clock
    }

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingClientRequest<Input>, context: ClientContext,
        next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
    ) async throws -> StreamingClientResponse<Output> {
        guard let session = StaffSession.current, let signer else { return try await next(request, context) }
        var request = request
        request.metadata.replaceOrAddString("Bearer \(try await token(for: session, signer: signer))", forKey: "authorization")
        return try await next(request, context)
    }

    private func token(for session: StaffSession, signer: StaffTokenSigner) async throws -> String {
        let now = clock.now
        let key = "\(session.sessionID)|\(session.roles.map(\.rawValue).sorted().joined(separator: ","))|\(session.caseWorkerID)"
        if let cached = cache.valid(key, at: now) { return cached }
        let claims = session.claims(issuedAt: now, lifetime: Self.lifetime)
        let token = try await signer.sign(claims)
        cache.store(token, for: key, until: claims.exp.value.addingTimeInterval(-60), now: now)
        return token
    }

    /// Tokens by session, dropped once stale.
    final class TokenCache: Sendable {
        private let entries = Mutex([String: (token: String, until: Date)]())

        func valid(_ key: String, at now: Date) -> String? {
            entries.withLock { $0[key].flatMap { $0.until > now ? $0.token : nil } }
        }

        func store(_ token: String, for key: String, until: Date, now: Date) {
            entries.withLock { entries in
                entries = entries.filter { $0.value.until > now }
                entries[key] = (token, until)
            }
        }
    }
}
