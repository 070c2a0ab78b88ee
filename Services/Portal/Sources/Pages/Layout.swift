import LayarRuntime
import Foundation

/// The frame of every page: mobile-first, no external resources (a village connection loads
/// one HTML page, one small stylesheet and one optional script), the PWA manifest and the
/// navigation for citizens or for the signed-in staff member.
enum Layout {
    static func page(title: String, staff: StaffSession? = nil, notice: Notice? = nil, body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="id">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · LAYAR Dinsos Balangan</title>
        <meta name="description" content="Layanan Rujukan Rehabilitasi Sosial Dinas Sosial Kabupaten Balangan">
        <meta name="theme-color" content="#0b5d4b">
        <link rel="manifest" href="/manifest.webmanifest">
        <link rel="icon" href="/static/icon.svg" type="image/svg+xml">
        <link rel="apple-touch-icon" href="/static/icon-192.png">
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/app.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#isi">Langsung ke isi</a>
        <header class="top">
        <a class="brand" href="\(staff == nil ? "/" : "/staf/")">LAYAR <small>Dinas Sosial Kab. Balangan</small></a>
        \(navigation(staff))
        </header>
        <main id="isi" tabindex="-1">
        \(notice.map { notice in HTML("<p class=\"notice \(notice.kind.rawValue)\" role=\"\(notice.kind == .error ? "alert" : "status")\">\(notice.text)</p>") })
        <h1>\(title)</h1>
        \(body)
        </main>
        <footer class="bottom">
        <p>Dinas Sosial Kabupaten Balangan · Jl. A. Yani Km 1,5 Paringin · Layanan ini gratis.</p>
        <p>Data pribadi Anda dilindungi (UU 27/2022) dan hanya dipakai untuk rujukan ini.</p>
        </footer>
        </body>
        </html>
        """
    }

    private static func navigation(_ staff: StaffSession?) -> HTML {
        guard let staff else {
            return """
            <nav aria-label="Menu utama"><ul>
            <li><a href="/rujukan">Ajukan rujukan</a></li><li><a href="/lacak">Lacak</a></li>
            <li><a href="/survei">Survei</a></li><li><a href="/pengaduan">Pengaduan</a></li>
            </ul></nav>
            """
        }
        var links: [HTML] = []
        for item in StaffMenu.items(for: staff) {
            links.append("<li><a href=\"\(item.path)\">\(item.label)</a></li>")
        }
        return """
        <nav aria-label="Menu petugas"><ul>\(links)
        <li><form method="post" action="/staf/keluar"><input type="hidden" name="csrf" value="\(staff.csrfToken)">
        <button class="link" type="submit">Keluar (\(staff.username))</button></form></li>
        </ul></nav>
        """
    }
}

/// A message at the top of a page.
struct Notice: Sendable {
    enum Kind: String, Sendable { case info, success, error }
    var kind: Kind
    var text: String

    static func error(_ text: String) -> Notice { Notice(kind: .error, text: text) }
    static func success(_ text: String) -> Notice { Notice(kind: .success, text: text) }
}

/// The staff console's sections and the role each needs (nil: every signed-in member).
enum StaffMenu {
    static let items: [(path: String, label: String, role: StaffRole?)] = [
        ("/staf/kotak-masuk", "Kotak masuk", nil),
        ("/staf/verifikasi", "Verifikasi", .verifier),
        ("/staf/kasus", "Kasus", .caseWorker),
        ("/staf/rujukan-baru", "Rujukan di kantor", .operator),
        ("/staf/pengaduan", "Pengaduan", .complaintDesk),
        ("/staf/monev", "Monev & IKM", .monitoring),
    ]

    /// The sections `staff` may open.
    static func items(for staff: StaffSession) -> [(path: String, label: String, role: StaffRole?)] {
        items.filter { $0.role.map(staff.has) ?? true }
    }
}
