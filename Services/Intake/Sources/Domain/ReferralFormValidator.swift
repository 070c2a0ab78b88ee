import LayarDomain
import LayarRuntime
import LayarSchema

/// The intake rules for a submitted form. Every problem is reported at once, one per field, with
/// a message in Bahasa Indonesia, so the applicant can fix them all in one go.
public enum ReferralFormValidator {
    public static func problems(in form: Layar_V1_ReferralForm, today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        guard form.hasPerson else { return [FieldProblem("form.person", "Data orang yang dirujuk wajib diisi")] }
        problems += personProblems(form.person, today: today)
        problems += applicantProblems(form.applicant)
        require(PPKSKind.all[form.ppksKind] != nil, "form.ppks_kind", "Jenis PPKS harus salah satu dari 26 jenis (PPKS-01 s.d. PPKS-26)")
        require(!isBlank(form.description_p), "form.description", "Uraian masalah wajib diisi")
        require(form.description_p.count <= 4000, "form.description", "Uraian masalah terlalu panjang (maksimal 4000 huruf)")
        require(!form.needs.isEmpty, "form.needs", "Pilih minimal satu kebutuhan layanan")
        require(form.needs.count <= Layar_V1_Need.allCases.count, "form.needs", "Terlalu banyak kebutuhan layanan dipilih")
        require(form.needs.allSatisfy(isKnown), "form.needs", "Kebutuhan layanan tidak dikenal")
        require(isKnown(form.urgency), "form.urgency", "Tingkat kedaruratan tidak dikenal")
        require(form.channel != .unspecified && isKnown(form.channel), "form.channel", "Saluran pengajuan wajib diisi")
        if form.person.hasUnknownIdentity && form.applicant.phone.isEmpty && form.applicant.email.isEmpty {
            problems.append(FieldProblem(
                "form.applicant.phone", "Untuk orang tanpa NIK, isi nomor telepon atau email pengaju agar petugas dapat menghubungi"
            ))
        }
        // The birth date (or the estimated age) decides whether the person is a child (the flag is
        // checked against it).
        let isChild = form.person.hasUnknownIdentity
            ? Self.isChild(estimatedAge: form.person.unknownIdentity.estimatedAge) ?? form.person.isChild
            : Self.isChild(CivilDate(form.person.birthDate), today: today) ?? form.person.isChild
        problems += consentProblems(form.consent, isChild: isChild)
        problems += DocumentRules.problems(in: form.documents, path: "form.documents")
        return problems
    }

    static func personProblems(_ person: Layar_V1_Person, today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        require(person.sex == .male || person.sex == .female, "form.person.sex", "Jenis kelamin wajib dipilih")
        if person.hasUnknownIdentity {
            problems += unknownIdentityProblems(person)
        } else {
            problems += identityProblems(person, today: today)
        }
        require(
            person.familyCardNumber.isEmpty || isDigits(person.familyCardNumber, count: 16),
            "form.person.family_card_number", "Nomor KK harus 16 angka"
        )
        require(
            isPersonName(person.fullName), "form.person.full_name",
            "Nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik (') dan tanda hubung"
        )
        require(person.fullName.count <= 150, "form.person.full_name", "Nama lengkap terlalu panjang (maksimal 150 huruf)")
        require(person.birthPlace.count <= 100, "form.person.birth_place", "Tempat lahir terlalu panjang")
        let address = person.address
        if BalanganRegions.kecamatan[address.kecamatanCode] == nil {
            problems.append(FieldProblem("form.person.address.kecamatan_code", "Kecamatan harus salah satu kecamatan di Kabupaten Balangan"))
        } else {
            require(
                BalanganRegions.desa(address.desaCode, isIn: address.kecamatanCode),
                "form.person.address.desa_code", "Desa/kelurahan tidak ada di kecamatan yang dipilih"
            )
        }
        require(address.rt.isEmpty || isDigits(address.rt, upTo: 3), "form.person.address.rt", "RT berupa angka, paling banyak 3 digit")
        require(address.rw.isEmpty || isDigits(address.rw, upTo: 3), "form.person.address.rw", "RW berupa angka, paling banyak 3 digit")
        require(address.dusun.count <= 100, "form.person.address.dusun", "Nama dusun terlalu panjang")
        require(address.street.count <= 200, "form.person.address.street", "Detail alamat terlalu panjang")
        require(
            person.phone.isEmpty || PhoneNumber.normalized(person.phone) != nil,
            "form.person.phone", "Nomor telepon tidak valid (contoh: 0812-3456-7890)"
        )
        return problems
    }

    /// A person with papers: the NIK, agreeing with the birth date and sex, and a name.
    static func identityProblems(_ person: Layar_V1_Person, today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let birth = CivilDate(person.birthDate)
        let birthValid = person.hasBirthDate && birth.isValid && birth <= today
        if !birthValid { problems.append(FieldProblem("form.person.birth_date", "Tanggal lahir tidak valid")) }
        do {
            let nik = try NIK(person.nik)
            if birthValid && (person.sex == .male || person.sex == .female) {
                for mismatch in nik.mismatches(
                    birthYear: birth.year, birthMonth: birth.month, birthDay: birth.day, isFemale: person.sex == .female
                ) {
                    let field = mismatch.code == "NIK_SEX_MISMATCH" ? "form.person.sex" : "form.person.birth_date"
                    problems.append(FieldProblem(field, mismatch.message))
                }
            }
        } catch let problem as NIK.Problem {
            problems.append(FieldProblem("form.person.nik", problem.message))
        } catch {
            problems.append(FieldProblem("form.person.nik", "NIK tidak valid"))
        }
        if isBlank(person.fullName) { problems.append(FieldProblem("form.person.full_name", "Nama lengkap wajib diisi")) }
        if let child = isChild(birth, today: today), person.isChild != child {
            problems.append(FieldProblem(
                "form.person.is_child",
                child ? "Orang yang dirujuk berusia di bawah 18 tahun: tandai sebagai anak" : "Orang yang dirujuk sudah dewasa menurut tanggal lahirnya"
            ))
        }
        return problems
    }

    /// A person without a NIK or papers: an estimated age instead of the birth date, where they
    /// were found, how to recognise them. The name may be unknown.
    static func unknownIdentityProblems(_ person: Layar_V1_Person) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        let unknown = person.unknownIdentity
        require(person.nik.isEmpty, "form.person.nik", "Kosongkan NIK bila orang yang dirujuk tidak punya NIK")
        require(!person.hasBirthDate, "form.person.birth_date", "Kosongkan tanggal lahir bila hanya umur perkiraan yang diketahui")
        if let child = isChild(estimatedAge: unknown.estimatedAge) {
            require(
                person.isChild == child, "form.person.is_child",
                child ? "Perkiraan umur di bawah 18 tahun: tandai sebagai anak" : "Menurut perkiraan umurnya orang ini sudah dewasa"
            )
        } else {
            problems.append(FieldProblem("form.person.unknown_identity.estimated_age", "Perkiraan umur harus antara 0 dan 120 tahun"))
        }
        require(!isBlank(unknown.foundAt), "form.person.unknown_identity.found_at", "Tempat orang itu ditemukan atau berada wajib diisi")
        require(unknown.foundAt.count <= 200, "form.person.unknown_identity.found_at", "Tempat ditemukan terlalu panjang (maksimal 200 huruf)")
        require(unknown.appearance.count <= 1000, "form.person.unknown_identity.appearance", "Ciri-ciri terlalu panjang (maksimal 1000 huruf)")
        return problems
    }

    /// Whether an estimated age (0...120) makes the person a child; nil when it is out of range.
    static func isChild(estimatedAge: Int32) -> Bool? {
        (0...120).contains(estimatedAge) ? estimatedAge < 18 : nil
    }

    /// Whether a valid birth date makes the person a child today; nil when it is not valid.
    static func isChild(_ birth: CivilDate, today: CivilDate) -> Bool? {
        birth.isValid && birth <= today ? birth.age(on: today) < 18 : nil
    }

    static func applicantProblems(_ applicant: Layar_V1_Applicant) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        require(
            applicant.relationship != .unspecified && isKnown(applicant.relationship), "form.applicant.relationship",
            "Hubungan pengaju dengan orang yang dirujuk wajib dipilih"
        )
        if applicant.relationship != .self_ && applicant.relationship != .unspecified {
            require(!isBlank(applicant.name), "form.applicant.name", "Nama pengaju wajib diisi")
        }
        require(applicant.name.count <= 150, "form.applicant.name", "Nama pengaju terlalu panjang")
        require(applicant.institution.count <= 150, "form.applicant.institution", "Nama lembaga terlalu panjang")
        let phoneValid = PhoneNumber.normalized(applicant.phone) != nil
        require(applicant.phone.isEmpty || phoneValid, "form.applicant.phone", "Nomor telepon pengaju tidak valid (contoh: 0812-3456-7890)")
        let emailValid = isEmail(applicant.email)
        require(applicant.email.isEmpty || emailValid, "form.applicant.email", "Alamat email tidak valid")
        require(isKnown(applicant.preferredChannel), "form.applicant.preferred_channel", "Saluran pemberitahuan tidak dikenal")
        switch applicant.preferredChannel {
        case .sms, .whatsapp:
            if applicant.phone.isEmpty {
                problems.append(FieldProblem("form.applicant.phone", "Nomor telepon diperlukan untuk pemberitahuan SMS/WhatsApp"))
            }
        case .email:
            if applicant.email.isEmpty {
                problems.append(FieldProblem("form.applicant.email", "Alamat email diperlukan untuk pemberitahuan email"))
            }
        default:
            break
        }
        return problems
    }

    static func consentProblems(_ consent: Layar_V1_Consent, isChild: Bool) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        require(consent.given, "form.consent.given", "Persetujuan pemrosesan data wajib diberikan")
        require(!isBlank(consent.givenBy), "form.consent.given_by", "Nama pemberi persetujuan wajib diisi")
        require(consent.givenBy.count <= 150, "form.consent.given_by", "Nama pemberi persetujuan terlalu panjang")
        if isChild {
            require(
                consent.giver == .parent || consent.giver == .guardian, "form.consent.giver",
                "Untuk anak, persetujuan harus diberikan oleh orang tua atau wali"
            )
        } else {
            require(consent.giver != .unspecified && isKnown(consent.giver), "form.consent.giver", "Pemberi persetujuan wajib dipilih")
        }
        require(
            consent.channel != .unspecified && isKnown(consent.channel), "form.consent.channel",
            "Cara pemberian persetujuan wajib dipilih"
        )
        require(
            consent.purposes.contains(.verification) && consent.purposes.contains(.referral), "form.consent.purposes",
            "Persetujuan minimal untuk verifikasi dan rujukan"
        )
        require(consent.purposes.allSatisfy(isKnown), "form.consent.purposes", "Tujuan persetujuan tidak dikenal")
        return problems
    }

    /// False for enum values this server does not know (`UNRECOGNIZED` in Swift protobuf, whose
    /// generated enums list their known cases in `allCases`).
    static func isKnown<E: CaseIterable & Equatable>(_ value: E) -> Bool {
        E.allCases.contains(value)
    }

    /// Names in any script: letters and combining marks, spaces, and the punctuation names and
    /// titles use (Ma'ruf, Hj. Siti, S.Tr.Sos., Abdul-Rahman). Markup, braces, digits and control
    /// characters are not names.
    static func isPersonName(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.generalCategory == .nonspacingMark
                || scalar == " " || ".,'-\u{2019}".unicodeScalars.contains(scalar)
        }
    }

    static func isBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }

    static func isDigits(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && isDigits(text, upTo: count)
    }

    static func isDigits(_ text: String, upTo count: Int) -> Bool {
        !text.isEmpty && text.utf8.count <= count && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
    }
}
