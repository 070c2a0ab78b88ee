import LayarSchema

/// A complete, valid referral form with synthetic data (no real person): an elderly woman in
/// Kelurahan Paringin Kota, referred by a village official.
public enum SampleReferral {
    public static func form(nik: String = "6311065203580001") -> Layar_V1_ReferralForm {
        .with {
            $0.person = .with {
                $0.nik = nik
                $0.fullName = "Siti Aminah"
                $0.sex = .female
                $0.birthDate = .with { $0.year = 1958; $0.month = 3; $0.day = 12 }
                $0.address = .with { $0.kecamatanCode = "63.11.06"; $0.desaCode = "63.11.06.1023" }
            }
            $0.applicant = .with {
                $0.relationship = .villageOfficial
                $0.name = "Rusdiansyah"
                $0.phone = "081234567890"
                $0.preferredChannel = .sms
            }
            $0.ppksKind = "PPKS-08"
            $0.description_p = "Lansia tinggal sendiri, tidak ada yang merawat."
            $0.urgency = .urgent
            $0.channel = .web
            $0.consent = .with { $0.given = true; $0.givenBy = "Siti Aminah" }
        }
    }
}
