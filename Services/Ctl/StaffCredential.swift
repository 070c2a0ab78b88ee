import AsyncHTTPClient
import ArgumentParser
import Foundation
import LayarRuntime
import NIOCore
import NIOFoundationCompat
import Synchronization

/// What `--token` / `LAYAR_TOKEN` holds, turned into the bearer token a call carries: a layarctl
/// key (``LayarctlKey``, from `layar-portal issue-token`) is exchanged at the portal for a
/// two-minute token, once per run; anything else is sent as it is (a token made elsewhere, as the
/// tests do). The exchange is what lets a password or role change end layarctl's access.
enum StaffCredential {
    private static let exchanged = Mutex([String: String]())

    static func bearer(_ credential: String, portal: String) async throws -> String? {
        guard !credential.isEmpty else { return nil }
        guard LayarctlKey.isKey(credential) else { return credential }
        if let token = exchanged.withLock({ $0[credential] }) { return token }
        let token = try await exchange(credential, portal: portal)
        exchanged.withLock { $0[credential] = token }
        return token
    }

    private static func exchange(_ key: String, portal: String) async throws -> String {
        let base = portal.hasSuffix("/") ? String(portal.dropLast()) : portal
        var request = HTTPClientRequest(url: base + LayarctlKey.exchangePath)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
            body = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw ValidationError("cannot reach the portal at \(base) to exchange the layarctl key (--portal or LAYAR_PORTAL_URL): \(error)")
        }
        let decoder = JSONDecoder()
        guard response.status == .ok else {
            let reason = (try? decoder.decode(LayarctlKey.Refusal.self, from: body))?.error ?? "HTTP \(response.status.code)"
            FileHandle.standardError.write(Data("error: the portal refused the layarctl key: \(reason)\n".utf8))
            throw ExitCode(1)
        }
        return try decoder.decode(LayarctlKey.Exchanged.self, from: body).token
    }
}
