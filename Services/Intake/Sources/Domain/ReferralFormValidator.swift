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
        // The birth date decides whether the person is a child (the flag is checked against it).
        let birth = CivilDate(form.person.birthDate)
        let isChild = birth.isValid && birth <= today ? birth.age(on: today) < 18 : form.person.isChild
        problems += consentProblems(form.consent, isChild: isChild)
        problems += DocumentRules.problems(in: form.documents, path: "form.documents")
        return problems
    }

    static func personProblems(_ person: Layar_V1_Person, today: CivilDate) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func require(_ condition: Bool, _ field: String, _ message: String) {
            if !condition { problems.append(FieldProblem(field, message)) }
        }
        let birth = CivilDate(person.birthDate)
        let birthValid = person.hasBirthDate && birth.isValid && birth <= today
        require(birthValid, "form.person.birth_date", "Tanggal lahir tidak valid")
        require(person.sex == .male || person.sex == .female, "form.person.sex", "Jenis kelamin wajib dipilih")
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
        require(
            person.familyCardNumber.isEmpty || isDigits(person.familyCardNumber, count: 16),
            "form.person.family_card_number", "Nomor KK harus 16 angka"
        )
        require(!isBlank(person.fullName), "form.person.full_name", "Nama lengkap wajib diisi")
        require(
            isPersonName(person.fullName), "form.person.full_name",
            "Nama hanya boleh berisi huruf, spasi, titik, koma, tanda petik (') dan tanda hubung"
        )
        require(person.fullName.count <= 150, "form.person.full_name", "Nama lengkap terlalu panjang (maksimal 150 huruf)")
        require(person.birthPlace.count <= 100, "form.person.birth_place", "Tempat lahir terlalu panjang")
        if birthValid {
            let child = birth.age(on: today) < 18
            require(
                person.isChild == child, "form.person.is_child",
                child ? "Orang yang dirujuk berusia di bawah 18 tahun: tandai sebagai anak" : "Orang yang dirujuk sudah dewasa menurut tanggal lahirnya"
            )
        }
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
