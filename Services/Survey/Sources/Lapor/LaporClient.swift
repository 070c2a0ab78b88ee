import AsyncHTTPClient
import Foundation
import LayarJobs
import LayarRuntime
import NIOCore
import NIOHTTP1

/// The boundary to SP4N-LAPOR!: submit one report, get LAPOR!'s id back.
protocol LaporClient: Sendable {
    func submit(_ report: LaporReport) async throws -> String
}

/// Why a submission failed, and whether trying again can help.
struct LaporFailure: Error, CustomStringConvertible {
    var message: String
    var isRetriable: Bool
    var description: String { message }
}

/// LAPOR! over HTTPS: `POST <base>/complaints` with a bearer token, JSON body, and an
/// `Idempotency-Key` (the complaint reference) so a re-send after a crash does not file twice
/// where the server honours the key. 2xx with `{"id": ...}` is accepted; 408, 429 and 5xx are
/// retried; other 4xx are permanent.
struct HTTPLaporClient: LaporClient {
    let baseURL: String
    let token: String
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(10)

    func submit(_ report: LaporReport) async throws -> String {
        var request = HTTPClientRequest(url: baseURL.trimmingSuffix("/") + "/complaints")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: report.reference)
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(report)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw LaporFailure(message: "LAPOR! tidak dapat dihubungi: \(error)", isRetriable: true)
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let code = Int(response.status.code)
        guard (200..<300).contains(code) else {
            throw LaporFailure(message: "LAPOR! menjawab HTTP \(code)", isRetriable: RetryPolicy.isRetriable(httpStatus: code))
        }
        struct Receipt: Decodable { var id: String }
        guard let receipt = try? JSONDecoder().decode(Receipt.self, from: Data(body.readableBytesView)) else {
            throw LaporFailure(message: "jawaban LAPOR! tanpa id", isRetriable: true)
        }
        return receipt.id
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
