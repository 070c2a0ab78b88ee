import Foundation
import Hummingbird
import LayarRuntime
import NIOCore

/// layarctl's token exchange (``LayarctlKey``): `POST /staf/layarctl/token` with
/// `Authorization: Bearer <layarctl key>` answers a staff token of ``LayarctlKey/tokenLifetime``
/// with the account's roles as they are now, or 401 when the key opens no session (unknown,
/// ended by a password or role change, of a disabled account, or past its hours): every refusal
/// reads the same. Outside the console's cookie guard (a key is no cookie) and outside the
/// citizens' form throttle; limited per client address instead, which bounds the lookups a
/// guesser makes (a key is 256 random bits: guessing one is hopeless anyway).
struct LayarctlTokenRoute {
    let portal: Portal

    func add(to router: Router<PortalRequestContext>) {
        router.post(RouterPath(LayarctlKey.exchangePath)) { request, context in
            try await exchange(request, context: context)
        }
    }

    func exchange(_ request: Request, context: PortalRequestContext) async throws -> Response {
        let perAddress = portal.layarctlExchanges
        guard try await portal.limiter.admit(context.clientAddress ?? "unknown", perAddress) else {
            var response = Self.json(LayarctlKey.Refusal(error: "Terlalu banyak permintaan token dari alamat ini. Coba lagi dalam 10 menit."), status: .tooManyRequests)
            response.headers[.retryAfter] = String(perAddress.window.components.seconds)
            return response
        }
        guard let signer = portal.backends.signer else {
            return Self.json(LayarctlKey.Refusal(error: "Portal belum dapat menandatangani token petugas."), status: .serviceUnavailable)
        }
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let key = bearer, let session = try await portal.accounts.layarctlSession(key: key) else {
            return Self.json(LayarctlKey.Refusal(error: """
                Kunci layarctl tidak berlaku: kedaluwarsa, akun dinonaktifkan, atau kata sandi/peran akun telah diubah. \
                Minta kunci baru kepada administrator (layar-portal issue-token).
                """), status: .unauthorized)
        }
        let claims = session.claims(issuedAt: portal.clock.now, lifetime: LayarctlKey.tokenLifetime)
        portal.logger.info("layarctl token issued", metadata: ["username": "\(session.username)", "session": "\(session.sessionID)"])
        return Self.json(LayarctlKey.Exchanged(token: try await signer.sign(claims), expiresAt: claims.exp.value.timeIntervalSince1970))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let body = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
