import LayarDomain
import LayarSchema

/// The intake rules for a submitted form: every problem is reported at once, per field, so the
/// applicant can fix them all in one go. Identity consistency (NIK against birth date and sex)
/// is verification's job and is not checked here.
public enum ReferralFormValidator {
    public static func problems(in form: Layar_V1_ReferralForm) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        let person = form.person
        require(form.hasPerson, "form.person", "Data orang yang dirujuk wajib diisi")
        require(isDigits(person.nik, count: 16), "form.person.nik", "NIK harus 16 angka")
        require(
            person.familyCardNumber.isEmpty || isDigits(person.familyCardNumber, count: 16),
            "form.person.family_card_number", "Nomor KK harus 16 angka"
        )
        require(!trimmed(person.fullName).isEmpty, "form.person.full_name", "Nama lengkap wajib diisi")
        require(person.fullName.count <= 150, "form.person.full_name", "Nama lengkap terlalu panjang (maksimal 150 huruf)")
        require(person.sex != .unspecified, "form.person.sex", "Jenis kelamin wajib dipilih")
        require(
            person.hasBirthDate && isRealDate(person.birthDate), "form.person.birth_date", "Tanggal lahir tidak valid"
        )
        let address = person.address
        if BalanganRegions.kecamatan[address.kecamatanCode] == nil {
            problems.append(FieldProblem("form.person.address.kecamatan_code", "Kecamatan harus salah satu kecamatan di Kabupaten Balangan"))
        } else {
            require(
                BalanganRegions.desa(address.desaCode, isIn: address.kecamatanCode),
                "form.person.address.desa_code", "Desa/kelurahan tidak ada di kecamatan yang dipilih"
            )
        }
        require(person.phone.isEmpty || isPhone(person.phone), "form.person.phone", "Nomor telepon tidak valid")
        require(PPKSKind.all[form.ppksKind] != nil, "form.ppks_kind", "Jenis PPKS harus salah satu dari 26 jenis (PPKS-01 s.d. PPKS-26)")
        require(!trimmed(form.description_p).isEmpty, "form.description", "Uraian masalah wajib diisi")
        require(form.description_p.count <= 4000, "form.description", "Uraian masalah terlalu panjang (maksimal 4000 huruf)")
        require(form.channel != .unspecified, "form.channel", "Saluran pengajuan wajib diisi")
        let applicant = form.applicant
        require(
            applicant.relationship != .unspecified, "form.applicant.relationship", "Hubungan pengaju dengan orang yang dirujuk wajib dipilih"
        )
        if applicant.relationship != .self_ && applicant.relationship != .unspecified {
            require(!trimmed(applicant.name).isEmpty, "form.applicant.name", "Nama pengaju wajib diisi")
        }
        require(applicant.phone.isEmpty || isPhone(applicant.phone), "form.applicant.phone", "Nomor telepon pengaju tidak valid")
        switch applicant.preferredChannel {
        case .sms, .whatsapp:
            require(isPhone(applicant.phone), "form.applicant.phone", "Nomor telepon diperlukan untuk pemberitahuan SMS/WhatsApp")
        case .email:
            require(applicant.email.contains("@"), "form.applicant.email", "Alamat email diperlukan untuk pemberitahuan email")
        default:
            break
        }
        require(form.consent.given, "form.consent.given", "Persetujuan pemrosesan data wajib diberikan")
        require(!trimmed(form.consent.givenBy).isEmpty, "form.consent.given_by", "Nama pemberi persetujuan wajib diisi")
        return problems
    }

    static func trimmed(_ text: String) -> Substring {
        text.drop { $0.isWhitespace }
    }

    static func isDigits(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Digits with an optional leading +, 9 to 15 digits (E.164 length).
    static func isPhone(_ text: String) -> Bool {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return (9...15).contains(digits.count) && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    static func isRealDate(_ date: Layar_V1_Date) -> Bool {
        guard (1900...2100).contains(date.year), (1...12).contains(date.month), date.day >= 1 else { return false }
        let leap = date.year % 4 == 0 && (date.year % 100 != 0 || date.year % 400 == 0)
        let days: [Int32] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return date.day <= days[Int(date.month) - 1]
    }
}
