/// The front page: what LAYAR is and the four things a citizen can do.
enum HomePage {
    static let body: HTML = """
    <p class="lead">Merujuk warga yang membutuhkan rehabilitasi sosial (lansia terlantar, penyandang disabilitas,
    anak yang membutuhkan perlindungan, orang dengan gangguan jiwa, korban kekerasan, dan lainnya) tanpa harus datang ke kantor.</p>
    <ul class="cards">
    <li><a href="/rujukan"><strong>Ajukan rujukan</strong><span>Isi formulir untuk diri sendiri, keluarga atau warga desa.</span></a></li>
    <li><a href="/lacak"><strong>Lacak rujukan</strong><span>Dengan kode pelacakan dan PIN.</span></a></li>
    <li><a href="/survei"><strong>Survei kepuasan</strong><span>Dengan kode survei yang Anda terima.</span></a></li>
    <li><a href="/pengaduan"><strong>Pengaduan</strong><span>Sampaikan keluhan atau saran; boleh tanpa nama.</span></a></li>
    </ul>
    <p>Butuh bantuan mengisi? Datang ke kantor desa/kelurahan atau Dinas Sosial, petugas akan membantu.</p>
    """
}
