import Foundation
import LayarSchema

/// Complete, valid referral forms with synthetic data (no real person): by default an elderly
/// woman in Kelurahan Paringin Kota, referred by a village official, with a photo of her KTP.
public enum SampleReferral {
    /// The smallest byte strings each accepted format is recognised by.
    public static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 0, count: 64)
    public static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64)
    public static let pdf: [UInt8] = Array("%PDF-1.4\n%\u{e2}\u{e3}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)

    public static func document(_ kind: Layar_V1_DocumentKind, _ bytes: [UInt8] = jpeg, name: String = "foto.jpg") -> Layar_V1_DocumentUpload {
        .with {
            $0.kind = kind
            $0.fileName = name
            $0.content = Data(bytes)
        }
    }

    /// A person whose NIK agrees with her birth date: a woman born on `birthDate`, registered in
    /// Paringin (63.11.06), with the given serial.
    public static func nik(birthDate: Layar_V1_Date, female: Bool = true, serial: Int = 1) -> String {
        String(
            format: "631106%02d%02d%02d%04d", Int(birthDate.day) + (female ? 40 : 0), Int(birthDate.month),
            Int(birthDate.year) % 100, serial
        )
    }

    /// A fresh adult woman with a random birth date and serial, so tests never meet an open
    /// referral of an earlier run.
    public static func uniquePerson() -> (nik: String, birthDate: Layar_V1_Date) {
        let birthDate = Layar_V1_Date.with {
            $0.year = Int32.random(in: 1940...1990)
            $0.month = Int32.random(in: 1...12)
            $0.day = Int32.random(in: 1...28)
        }
        return (nik(birthDate: birthDate, serial: Int.random(in: 1...9999)), birthDate)
    }

    public static let defaultBirthDate = Layar_V1_Date.with { $0.year = 1958; $0.month = 3; $0.day = 12 }

    public static func form(
        nik: String = "6311065203580001", birthDate: Layar_V1_Date = defaultBirthDate,
        documents: [Layar_V1_DocumentUpload] = [document(.ktp)]
    ) -> Layar_V1_ReferralForm {
        .with {
            $0.person = .with {
                $0.nik = nik
                $0.fullName = "Siti Aminah"
                $0.sex = .female
                $0.birthPlace = "Paringin"
                $0.birthDate = birthDate
                $0.address = .with {
                    $0.kecamatanCode = "63.11.06"
                    $0.desaCode = "63.11.06.1023"
                    $0.rt = "004"
                    $0.rw = "002"
                }
            }
            $0.applicant = .with {
                $0.relationship = .villageOfficial
                $0.name = "Rusdiansyah"
                $0.phone = "0812-3456-7890"
                $0.institution = "Kantor Kelurahan Paringin Kota"
                $0.preferredChannel = .sms
            }
            $0.ppksKind = "PPKS-08"
            $0.description_p = "Lansia tinggal sendiri, tidak ada yang merawat."
            $0.needs = [.residentialRehabilitation, .basicNeeds]
            $0.urgency = .urgent
            $0.channel = .web
            $0.consent = .with {
                $0.given = true
                $0.givenBy = "Siti Aminah"
                $0.giver = .self_
                $0.channel = .electronic
                $0.purposes = [.verification, .referral, .notification, .survey]
            }
            $0.documents = documents
        }
    }

    /// A form for a person from ``uniquePerson()``.
    public static func uniqueForm(documents: [Layar_V1_DocumentUpload] = [document(.ktp)]) -> Layar_V1_ReferralForm {
        let person = uniquePerson()
        return form(nik: person.nik, birthDate: person.birthDate, documents: documents)
    }

    /// A person without a NIK or papers, found in Paringin Kota: the name as a reporter knows it,
    /// an estimated age, where they were found; the applicant is a social worker with a phone.
    public static func formWithoutNIK(
        name: String = "Udin", sex: Layar_V1_Sex = .male, estimatedAge: Int32 = 40, desa: String = "63.11.06.1023"
    ) -> Layar_V1_ReferralForm {
        var form = form(documents: [])
        form.person.nik = ""
        form.person.clearBirthDate()
        form.person.fullName = name
        form.person.sex = sex
        form.person.birthPlace = ""
        form.person.address.desaCode = desa
        form.person.isChild = estimatedAge < 18
        form.person.unknownIdentity = .with {
            $0.estimatedAge = estimatedAge
            $0.foundAt = "Emperan toko dekat pasar"
            $0.appearance = "Kurus, kaos merah"
        }
        form.ppksKind = "PPKS-11"  // Gelandangan
        form.applicant.relationship = .socialWorker
        form.consent.giver = estimatedAge < 18 ? .guardian : .family
        form.consent.givenBy = "Rusdiansyah"
        return form
    }
}
