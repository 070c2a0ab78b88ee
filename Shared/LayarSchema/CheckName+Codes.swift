/// The verification checks' names: the code kept in the deprecated text fields (`check`,
/// `failed_checks`) and the Bahasa Indonesia name staff read.
extension Layar_V1_CheckName {
    /// The text name older readers and ledgers know ("identity", "open_case", ...).
    public var code: String {
        switch self {
        case .identity: "identity"
        case .domicile: "domicile"
        case .registry: "registry"
        case .documents: "documents"
        case .openCase: "open_case"
        case .identification: "identification"
        case .possibleDuplicate: "possible_duplicate"
        case .unspecified, .UNRECOGNIZED: ""
        }
    }

    /// The check of a text name, for results and events written before the enum existed.
    public init?(code: String) {
        guard let name = Self.allCases.first(where: { $0 != .unspecified && $0.code == code }) else { return nil }
        self = name
    }

    /// What verifiers read (console, inbox messages).
    public var displayName: String {
        switch self {
        case .identity: "identitas (NIK)"
        case .domicile: "domisili"
        case .registry: "DTSEN"
        case .documents: "dokumen"
        case .openCase: "rujukan lain masih terbuka"
        case .identification: "identifikasi (tanpa NIK)"
        case .possibleDuplicate: "mungkin orang yang sama"
        case .unspecified, .UNRECOGNIZED: "pemeriksaan lain"
        }
    }
}

extension Layar_V1_CheckResult {
    /// Which check this is, also for a result stored before `name` existed.
    public var checkName: Layar_V1_CheckName {
        name != .unspecified ? name : Layar_V1_CheckName(code: check) ?? .unspecified
    }
}

extension Layar_V1_ReferralQueued {
    /// The checks that need a verifier, also from an event written before the names were an enum.
    public var checkNames: [Layar_V1_CheckName] {
        failedCheckNames.isEmpty ? failedChecks.compactMap(Layar_V1_CheckName.init(code:)) : failedCheckNames
    }
}

extension Layar_V1_DuplicateSignal {
    /// What a verifier reads beside a possible duplicate.
    public var displayName: String {
        switch self {
        case .similarName: "nama mirip"
        case .ageRange: "umur perkiraan berdekatan"
        case .sameDesa: "desa sama"
        case .sameKecamatan: "kecamatan sama"
        case .closeInTime: "dilaporkan berdekatan waktunya"
        case .unspecified, .UNRECOGNIZED: "lain"
        }
    }
}
