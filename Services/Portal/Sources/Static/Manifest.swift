/// The web app manifest: installable on an Android home screen as "LAYAR".
enum Manifest {
    static let json = """
    {
      "name": "LAYAR — Rujukan Rehabilitasi Sosial Balangan",
      "short_name": "LAYAR",
      "description": "Ajukan dan lacak rujukan rehabilitasi sosial Dinas Sosial Kabupaten Balangan.",
      "lang": "id",
      "start_url": "/",
      "scope": "/",
      "display": "standalone",
      "background_color": "#ffffff",
      "theme_color": "#0b5d4b",
      "icons": [
        {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"}
      ]
    }
    """

    static let iconSVG = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#0b5d4b"/>\
    <path d="M128 120h64v208h160v64H128z" fill="#fff"/><circle cx="360" cy="176" r="56" fill="#ffbf47"/></svg>
    """
}
