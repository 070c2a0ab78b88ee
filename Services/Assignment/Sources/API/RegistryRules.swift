import LayarDomain
import LayarRuntime
import LayarSchema

/// Validation of registry entries (case workers, institutions) sent by staff.
enum RegistryRules {
    /// Codes such as "PS-01" or "RSJ-SAMBANG-LIHUM": upper-case letters, digits and '-'.
    static func isCode(_ code: String, maximum: Int) -> Bool {
        (2...maximum).contains(code.utf8.count)
            && code.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    /// Kafka topic names allow letters, digits, '.', '_' and '-'; partner prefixes use lower case.
    static func isTopicPrefix(_ prefix: String) -> Bool {
        (3...200).contains(prefix.utf8.count)
            && prefix.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || "._-".utf8.contains($0) }
    }

    static func checkKecamatan(_ codes: [String], field: String, required: Bool, into violations: inout FieldViolations) {
        if required && codes.isEmpty { violations.add(field, "Pilih paling sedikit satu kecamatan") }
        for (index, code) in codes.enumerated() where BalanganRegions.kecamatan[code] == nil {
            violations.add("\(field)[\(index)]", "\(code) bukan kode kecamatan di Kabupaten Balangan")
        }
    }

    /// Checks an institution, trims its texts and fills the default topic prefix.
    static func normalise(_ institution: inout Layar_V1_Institution) throws {
        var violations = FieldViolations()
        violations.require(
            isCode(institution.code, maximum: 60), field: "code", "Gunakan huruf besar, angka dan '-' (2-60)"
        )
        institution.name = violations.text(institution.name, field: "name", maximum: 200)
        violations.require(
            institution.kind != .unspecified && Layar_V1_InstitutionKind.allCases.contains(institution.kind),
            field: "kind", "Jenis lembaga wajib dipilih"
        )
        institution.operator = violations.text(institution.operator, field: "operator", required: false, maximum: 200)
        institution.location = violations.text(institution.location, field: "location", required: false, maximum: 200)
        institution.eligibilityNotes = violations.text(
            institution.eligibilityNotes, field: "eligibility_notes", required: false, maximum: 2000
        )
        institution.contact = violations.text(institution.contact, field: "contact", required: false, maximum: 200)
        if institution.ppksKinds.isEmpty { violations.add("ppks_kinds", "Pilih paling sedikit satu jenis PPKS") }
        for (index, kind) in institution.ppksKinds.enumerated() where PPKSKind.all[kind] == nil {
            violations.add("ppks_kinds[\(index)]", "\(kind) bukan jenis PPKS (PPKS-01 sampai PPKS-26)")
        }
        if institution.services.isEmpty { violations.add("services", "Pilih paling sedikit satu layanan") }
        for (index, service) in institution.services.enumerated()
        where service == .unspecified || !Layar_V1_Need.allCases.contains(service) {
            violations.add("services[\(index)]", "Layanan tidak dikenal")
        }
        for (index, document) in institution.requiredDocuments.enumerated()
        where document == .unspecified || !Layar_V1_DocumentKind.allCases.contains(document) {
            violations.add("required_documents[\(index)]", "Jenis dokumen tidak dikenal")
        }
        checkKecamatan(institution.serviceArea, field: "service_area", required: false, into: &violations)
        checkCapacity(available: institution.capacityAvailable, total: institution.capacityTotal, into: &violations)
        if institution.topicPrefix.isEmpty {
            institution.topicPrefix = LayarTopic.defaultPartnerPrefix(institutionCode: institution.code)
        }
        violations.require(
            isTopicPrefix(institution.topicPrefix), field: "topic_prefix",
            "Gunakan huruf kecil, angka, '.', '_' dan '-' (3-200)"
        )
        try violations.check()
    }

    static func checkCapacity(available: Int32, total: Int32, into violations: inout FieldViolations) {
        violations.require((0...100_000).contains(total), field: "capacity_total", "Jumlah tempat 0 sampai 100000")
        violations.require(
            available >= 0 && available <= max(total, 0), field: "capacity_available",
            "Tempat kosong tidak boleh negatif atau melebihi jumlah tempat"
        )
    }
}
