import Foundation
import LayarDomain
import LayarSchema

/// The referral form, used by citizens (`/rujukan`) and by operators entering a walk-in referral
/// (`/staf/rujukan-baru`). Works without JavaScript: the desa list is grouped by kecamatan; with
/// JavaScript it narrows to the chosen kecamatan and the draft is kept on the phone.
enum ReferralFormPage {
    /// `request_id` makes a double submission (or a retry after a lost answer) one referral; the
    /// same id comes back with the form when it had problems.
    static func body(state: FormState, action: String, staff: StaffSession? = nil) -> HTML {
        let kecamatan = BalanganRegions.kecamatan.sorted { $0.key < $1.key }.map { (value: $0.key, label: $0.value) }
        let desaGroups = BalanganRegions.kecamatan.sorted { $0.key < $1.key }.map { code, name in
            (label: "Kec. \(name)", options: BalanganRegions.desa.filter { $0.key.hasPrefix(code + ".") }
                .sorted { $0.key < $1.key }.map { (value: $0.key, label: $0.value) })
        }
        let ppks = PPKSKind.list.map { (value: $0.code, label: "\($0.name)") }
        func pairs<E: SwiftProtobuf.Enum>(_ list: [(E, String)]) -> [(value: String, label: String)] {
            list.map { (value: String($0.0.rawValue), label: $0.1) }
        }
        let documents = ReferralFormInput.documentInputs.map { input in
            Field.file(input.name, Labels.documentKind(input.kind), state: state, hint: nil)
        }
        return """
        <p>Isi formulir ini untuk merujuk seseorang yang membutuhkan rehabilitasi sosial. Layanan ini <strong>gratis</strong>.
        Tanda <span class="req">*</span> wajib diisi. Anda akan mendapat <strong>kode pelacakan</strong> untuk memantau rujukan.</p>
        \(staff.map { "<p class=\"notice info\">Dicatat oleh petugas \($0.displayName) sebagai rujukan di kantor (persetujuan tertulis disimpan petugas).</p>" })
        \(errorSummary(state))
        <form method="post" action="\(action)" enctype="multipart/form-data" class="referral" data-draft="rujukan" novalidate>
        \(staff.map(Field.csrf))\(Field.hidden("request_id", state["request_id"].isEmpty ? UUID().uuidString.lowercased() : state["request_id"]))
        <fieldset><legend>1. Orang yang dirujuk</legend>
        \(Field.text("person.full_name", "Nama lengkap (sesuai KTP)", state: state, hint: "Bila tidak punya KTP: nama atau panggilan yang dikenal, boleh kosong.", required: true, extra: " autocomplete=\"off\" maxlength=\"120\""))
        \(Field.text("person.nik", "NIK (16 angka)", state: state, hint: "Ada di KTP atau Kartu Keluarga. Tidak punya? Kosongkan dan isi bagian \"Tidak punya NIK\" di bawah.", required: true, extra: " inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"19\""))
        \(Field.text("person.family_card_number", "Nomor Kartu Keluarga (jika tahu)", state: state, extra: " inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"19\""))
        \(Field.choices("person.sex", "Jenis kelamin", state: state, options: pairs(Labels.sexes), multiple: false, required: true))
        \(Field.text("person.birth_place", "Tempat lahir", state: state, required: true, extra: " maxlength=\"80\""))
        \(Field.text("person.birth_date", "Tanggal lahir", state: state, type: "date", hint: "Dipakai juga untuk melacak rujukan.", required: true))
        \(Field.text("person.phone", "Nomor HP orang yang dirujuk (jika ada)", state: state, type: "tel", extra: " inputmode=\"tel\" autocomplete=\"off\""))
        \(unknownIdentity(state))
        </fieldset>
        <fieldset><legend>2. Alamat di Kabupaten Balangan</legend>
        \(Field.select("person.address.kecamatan_code", "Kecamatan", state: state, options: kecamatan, required: true))
        \(Field.select("person.address.desa_code", "Desa/kelurahan", state: state, options: [], groups: desaGroups, required: true))
        \(Field.text("person.address.dusun", "Dusun", state: state, extra: " maxlength=\"80\""))
        <div class="row">\(Field.text("person.address.rt", "RT", state: state, extra: " inputmode=\"numeric\" maxlength=\"3\""))\(Field.text("person.address.rw", "RW", state: state, extra: " inputmode=\"numeric\" maxlength=\"3\""))</div>
        \(Field.text("person.address.street", "Jalan, nomor rumah atau patokan", state: state, extra: " maxlength=\"200\""))
        </fieldset>
        <fieldset><legend>3. Masalah dan kebutuhan</legend>
        \(Field.select("ppks_kind", "Jenis masalah (PPKS)", state: state, options: ppks, hint: "Pilih yang paling mendekati; petugas akan memeriksanya.", required: true))
        \(Field.textarea("description", "Ceritakan keadaannya", state: state, hint: "Apa yang terjadi, sejak kapan, siapa yang merawat sekarang.", required: true, maxLength: 4000))
        \(Field.choices("needs", "Bantuan yang dibutuhkan", state: state, options: pairs(Labels.needs), multiple: true, required: true))
        \(Field.choices("urgency", "Seberapa mendesak?", state: state, options: pairs(Labels.urgencies), multiple: false, required: true))
        </fieldset>
        <fieldset><legend>4. Pengaju (yang mengisi formulir)</legend>
        \(Field.select("applicant.relationship", "Hubungan dengan orang yang dirujuk", state: state, options: pairs(Labels.relationships), required: true))
        \(Field.text("applicant.name", "Nama pengaju", state: state, hint: "Kosongkan jika mengajukan untuk diri sendiri.", extra: " autocomplete=\"name\" maxlength=\"120\""))
        \(Field.text("applicant.institution", "Instansi (jika ada)", state: state, hint: "Mis. kantor desa, puskesmas, polsek.", extra: " maxlength=\"120\""))
        \(Field.text("applicant.phone", "Nomor HP pengaju", state: state, type: "tel", hint: "Untuk kabar perkembangan rujukan. Contoh: 0812-3456-7890.", extra: " inputmode=\"tel\" autocomplete=\"tel\""))
        \(Field.text("applicant.email", "E-mail (jika ada)", state: state, type: "email", extra: " autocomplete=\"email\" maxlength=\"200\""))
        \(Field.choices("applicant.preferred_channel", "Kabar perkembangan dikirim lewat", state: state, options: pairs(Labels.contactChannels), multiple: false, required: true))
        </fieldset>
        <fieldset><legend>5. Dokumen</legend>
        <p class="hint" id="documents-hint">\(DocumentLimits.hint) KTP atau KK diperlukan sebelum verifikasi (KK untuk anak); jika belum ada, petugas akan memintanya nanti.</p>
        \(state.errors["documents"].map { "<p class=\"field-error\">\($0)</p>" })
        \(documents)
        </fieldset>
        <fieldset><legend>6. Persetujuan</legend>
        <div class="consent-text">
        <p>Data di formulir ini dipakai Dinas Sosial Kabupaten Balangan hanya untuk:</p>
        <ul><li>memeriksa identitas, alamat dan data kesejahteraan sosial (DTSEN);</li>
        <li>menyampaikan yang perlu diketahui kepada lembaga rehabilitasi tujuan rujukan.</li></ul>
        <p>Data disimpan aman dan tidak dibagikan untuk keperluan lain. Anda dapat meminta salinan, perbaikan atau penghapusan data ke Dinas Sosial.</p>
        </div>
        \(Field.choices("consent.giver", "Siapa yang memberi persetujuan?", state: state, options: pairs(Labels.consentGivers), multiple: false, hint: "Untuk anak di bawah 18 tahun: orang tua atau wali.", required: true))
        \(Field.text("consent.given_by", "Nama yang memberi persetujuan", state: state, required: true, extra: " maxlength=\"120\""))
        <div class="field\(state.errors["consent.given"] == nil ? "" : " has-error")">
        \(state.errors["consent.given"].map { "<p class=\"field-error\" id=\"\(Field.id("consent.given"))-error\">\($0)</p>" })
        <label class="choice" for="\(Field.id("consent.given"))"><input id="\(Field.id("consent.given"))" type="checkbox" name="consent.given" value="ya"\(state.values.isChecked("consent.given") ? " checked" : "")> Saya setuju data ini dipakai untuk verifikasi dan rujukan seperti di atas. <span class="req" aria-hidden="true">*</span></label>
        <label class="choice" for="\(Field.id("consent.notification"))"><input id="\(Field.id("consent.notification"))" type="checkbox" name="consent.notification" value="ya"\(state.values.isChecked("consent.notification") || state.values.fields.isEmpty ? " checked" : "")> Kirimi saya kabar perkembangan.</label>
        <label class="choice" for="\(Field.id("consent.survey"))"><input id="\(Field.id("consent.survey"))" type="checkbox" name="consent.survey" value="ya"\(state.values.isChecked("consent.survey") || state.values.fields.isEmpty ? " checked" : "")> Saya bersedia diundang mengisi survei kepuasan.</label>
        </div>
        </fieldset>
        <p><button type="submit" class="primary">Kirim rujukan</button></p>
        <p class="hint" data-offline-hint hidden>Sambungan terputus: isian Anda disimpan di HP ini dan muncul lagi saat halaman dibuka.</p>
        </form>
        """
    }

    /// A list at the top, linking to each input with a problem (keyboard and screen-reader users
    /// land here first).
    static func errorSummary(_ state: FormState) -> HTML {
        guard !state.errors.isEmpty else { return .empty }
        let items = state.errors.sorted { $0.key < $1.key }.map { name, message -> HTML in
            "<li><a href=\"#\(Field.id(name))\">\(message)</a></li>"
        }
        return """
        <div class="error-summary" role="alert" tabindex="-1" id="ringkasan-kesalahan">
        <h2>Ada \(items.count) isian yang perlu diperbaiki</h2><ul>\(items)</ul></div>
        """
    }

    /// For a person without a NIK or papers (street children, homeless people, people found on
    /// the street): open by default when it was ticked, a plain `<details>` without JavaScript.
    static func unknownIdentity(_ state: FormState) -> HTML {
        let ticked = state.values.isChecked("person.unknown_identity")
        let name = "person.unknown_identity"
        return """
        <details class="panel"\(ticked || state.errors.keys.contains { $0.hasPrefix(name + ".") } ? " open" : "")><summary>Tidak punya NIK atau dokumen kependudukan?</summary>
        <p class="hint">Untuk orang tanpa KTP/KK atau yang identitasnya tidak diketahui (mis. anak jalanan, gelandangan, orang yang ditemukan di jalan). Rujukan tetap diproses; petugas akan mengusulkan perekaman datanya ke Dukcapil. Nomor HP atau e-mail pengaju wajib diisi.</p>
        <div class="field\(state.errors[name] == nil ? "" : " has-error")">
        <label class="choice" for="\(Field.id(name))"><input id="\(Field.id(name))" type="checkbox" name="\(name)" value="ya"\(ticked ? " checked" : "")> Orang ini tidak punya NIK, atau NIK-nya tidak diketahui.</label>
        </div>
        \(Field.text(name + ".estimated_age", "Perkiraan umur (tahun)", state: state, type: "number", hint: "Menggantikan tanggal lahir.", extra: " inputmode=\"numeric\" min=\"0\" max=\"120\""))
        \(Field.text(name + ".found_at", "Tempat ditemukan atau biasa berada", state: state, hint: "Mis. depan pasar Paringin, kolong jembatan dekat masjid.", extra: " maxlength=\"200\""))
        \(Field.textarea(name + ".appearance", "Ciri-ciri", state: state, hint: "Perawakan, pakaian, tanda khusus: agar petugas dapat menemukannya.", maxLength: 1000))
        </details>
        """
    }
}

import SwiftProtobuf
