import HTTPTypes
import Hummingbird
import NIOCore

/// The stylesheet, script, service worker, manifest, icons and the offline page, all compiled
/// into the binary (one file to deploy). Cached a day, except the service worker, which the
/// browser must re-check to pick up a new version.
enum StaticRoutes {
    static func add(to router: Router<PortalRequestContext>) {
        serve(router, "/static/app.css", "text/css; charset=utf-8", StyleSheet.css)
        serve(router, "/static/app.js", "text/javascript; charset=utf-8", ClientScript.appJS)
        serve(router, "/sw.js", "text/javascript; charset=utf-8", ClientScript.serviceWorker, cache: "no-cache")
        serve(router, "/manifest.webmanifest", "application/manifest+json", Manifest.json)
        serve(router, "/static/icon.svg", "image/svg+xml", Manifest.iconSVG)
        serve(router, "/static/icon-192.png", "image/png", Icons.png192)
        serve(router, "/static/icon-512.png", "image/png", Icons.png512)
        router.get("/offline") { _, _ in
            PageResponse.page("Tidak ada sambungan", body: """
                <p>HP Anda sedang tidak tersambung ke internet. Isian formulir rujukan yang sudah Anda ketik tetap tersimpan
                di HP ini; buka lagi <a href="/rujukan">formulir rujukan</a> saat sambungan kembali.</p>
                """)
        }
        router.get("/healthz") { _, _ in "ok" }
    }

    private static func serve(_ router: Router<PortalRequestContext>, _ path: String, _ type: String, _ text: String, cache: String = "public, max-age=86400") {
        serve(router, path, type, Array(text.utf8), cache: cache)
    }

    private static func serve(_ router: Router<PortalRequestContext>, _ path: String, _ type: String, _ bytes: [UInt8], cache: String = "public, max-age=86400") {
        let buffer = ByteBuffer(bytes: bytes)
        router.get(RouterPath(path)) { _, _ in
            var headers = PageResponse.securityHeaders
            headers[.contentType] = type
            headers[.cacheControl] = cache
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
        }
    }
}
