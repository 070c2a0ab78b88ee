import Foundation
import LayarDomain
import LayarRuntime
import LayarSchema

/// The web form's inputs and the intake service's `ReferralForm`. Input names are the form's
/// field paths (`person.nik`, `applicant.phone`...), so the service's field violations land next
/// to the input they are about.
enum ReferralFormInput {
    /// One file input per document kind: a phone's file picker then needs no kind selector.
    static let documentInputs: [(name: String, kind: Layar_V1_DocumentKind)] = [
        ("documents.ktp", .ktp), ("documents.kk", .kk), ("documents.village_statement", .villageStatement),
        ("documents.medical_letter", .medicalLetter), ("documents.photo", .photo),
    ]

    struct Built: Sendable {
        var form: Layar_V1_ReferralForm
        /// The input each of `form.documents` came from, in order.
        var documentInputNames: [String]
        /// Problems found before asking the service (a date the browser sent malformed).
        var errors: [String: String]
    }

    static func build(from input: FormData, channel: Layar_V1_IntakeChannel, today: CivilDate) -> Built {
        var errors: [String: String] = [:]
        var documentNames: [String] = []
        // Without a NIK or papers an estimated age stands in for the birth date.
        let unknownIdentity = input.isChecked("person.unknown_identity")
        let birth = CivilDate(iso: input["person.birth_date"])
        let estimatedAge = Int(input["person.unknown_identity.estimated_age"].trimmingCharacters(in: .whitespaces))
        if unknownIdentity && estimatedAge == nil {
            errors["person.unknown_identity.estimated_age"] = "Perkiraan umur wajib diisi (angka tahun)"
        }
        if birth == nil && !(unknownIdentity && input["person.birth_date"].isEmpty) {
            errors["person.birth_date"] = input["person.birth_date"].isEmpty
                ? "Tanggal lahir wajib diisi" : "Tanggal lahir tidak dikenali (contoh: 1958-03-12)"
        }
        let form = Layar_V1_ReferralForm.with { form in
            form.person = .with { person in
                person.nik = input["person.nik"].filter(\.isNumber)
                person.familyCardNumber = input["person.family_card_number"].filter(\.isNumber)
                person.fullName = input["person.full_name"]
                person.sex = enumValue(input["person.sex"])
                person.birthPlace = input["person.birth_place"]
                if let birth {
                    person.birthDate = Layar_V1_Date(birth)
                    person.isChild = birth <= today && birth.age(on: today) < 18
                }
                if unknownIdentity {
                    person.unknownIdentity = .with {
                        $0.estimatedAge = Int32(clamping: estimatedAge ?? -1)
                        $0.foundAt = input["person.unknown_identity.found_at"]
                        $0.appearance = input["person.unknown_identity.appearance"]
                    }
                    person.isChild = (estimatedAge ?? 18) < 18
                }
                person.address = .with { address in
                    address.kecamatanCode = input["person.address.kecamatan_code"]
                    address.desaCode = input["person.address.desa_code"]
                    address.dusun = input["person.address.dusun"]
                    address.rt = input["person.address.rt"]
                    address.rw = input["person.address.rw"]
                    address.street = input["person.address.street"]
                }
                person.phone = input["person.phone"]
            }
            form.applicant = .with { applicant in
                applicant.relationship = enumValue(input["applicant.relationship"])
                applicant.name = input["applicant.name"]
                applicant.phone = input["applicant.phone"]
                applicant.email = input["applicant.email"]
                applicant.institution = input["applicant.institution"]
                applicant.preferredChannel = enumValue(input["applicant.preferred_channel"])
            }
            form.ppksKind = input["ppks_kind"]
            form.description_p = input["description"]
            form.urgency = enumValue(input["urgency"])
            form.needs = input.all("needs").compactMap { Int($0).flatMap(Layar_V1_Need.init(rawValue:)) }
            form.channel = channel
            form.consent = .with { consent in
                consent.given = input.isChecked("consent.given")
                consent.givenBy = input["consent.given_by"]
                consent.giver = enumValue(input["consent.giver"])
                consent.channel = channel == .operator ? .written : .electronic
                consent.purposes = [.verification, .referral]
                if input.isChecked("consent.notification") { consent.purposes.append(.notification) }
                if input.isChecked("consent.survey") { consent.purposes.append(.survey) }
            }
            (form.documents, documentNames) = documents(from: input)
        }
        return Built(form: form, documentInputNames: documentNames, errors: errors)
    }

    /// The files of the document inputs, in input order, with the input each came from.
    static func documents(from input: FormData) -> (uploads: [Layar_V1_DocumentUpload], inputNames: [String]) {
        var uploads: [Layar_V1_DocumentUpload] = []
        var names: [String] = []
        for (name, kind) in documentInputs {
            for file in input.files[name] ?? [] {
                uploads.append(.with {
                    $0.kind = kind
                    $0.fileName = String(file.fileName.suffix(200))
                    $0.content = Data(file.bytes)
                })
                names.append(name)
            }
        }
        return (uploads, names)
    }

    /// The input a service violation is about (`form.person.nik` -> `person.nik`,
    /// `form.documents[2].content` -> the file input of the third document).
    static func inputName(for field: String, documentInputNames: [String]) -> String {
        var path = field.hasPrefix("form.") ? String(field.dropFirst(5)) : field
        if path.hasPrefix("documents["), let close = path.firstIndex(of: "]"),
           let index = Int(path[path.index(path.startIndex, offsetBy: 10)..<close]),
           documentInputNames.indices.contains(index) {
            return documentInputNames[index]
        }
        switch path {
        case "person.is_child": path = "person.birth_date"  // the estimated age's own field says it too
        case "consent.purposes", "consent.channel": path = "consent.given"
        case "person": path = "person.nik"
        default: break
        }
        return path
    }

    private static func enumValue<E: SwiftProtobuf.Enum>(_ text: String) -> E {
        Int(text).flatMap(E.init(rawValue:)) ?? E()
    }
}

import SwiftProtobuf
