import Hummingbird
import Logging

/// Turns what escapes a route into a page a person can read: a missing page, a refused form, an
/// upload that is too large, or a failure (logged without request data: it may hold personal data).
struct PortalErrorMiddleware: RouterMiddleware {
    typealias Context = PortalRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let (title, text) = switch error.status {
            case .notFound: ("Halaman tidak ditemukan", "Alamat ini tidak ada. Kembali ke halaman utama.")
            case .contentTooLarge: ("Berkas terlalu besar", "Ukuran semua dokumen paling besar 10 MB. Kecilkan foto atau kirim lebih sedikit berkas.")
            case .forbidden: ("Tidak diizinkan", error.body ?? "Anda tidak berhak membuka halaman ini.")
            default: ("Permintaan tidak dapat diproses", error.body ?? "Silakan coba lagi.")
            }
            return PageResponse.html(
                Layout.page(title: title, staff: context.staff, body: "<p>\(text)</p><p><a href=\"/\">Halaman utama</a></p>"),
                status: error.status
            )
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            return PageResponse.html(
                Layout.page(title: "Terjadi kesalahan", staff: context.staff, body: "<p>Silakan coba lagi sebentar lagi.</p>"),
                status: .internalServerError
            )
        }
    }
}
