import Foundation
import LayarSchema

/// What LAYAR sends to SP4N-LAPOR! for a complaint. LAPOR!'s regional-integration API is not
/// reachable from here, so this is our mapping at the adapter boundary: the complaint's text,
/// category and channel, marked confidential; **never** the complainant's identity (UU 27/2022
/// and LAPOR!'s own confidentiality rule). `reference` doubles as the idempotency key.
struct LaporReport: Codable, Sendable, Equatable {
    var reference: String
    var title: String
    var content: String
    var category: String
    var channel: String
    var anonymous: Bool
    var confidential: Bool
    var agency: String
    var location: String
    var filedAt: String
    var relatedTrackingCode: String?

    static let agency = "Dinas Sosial Kabupaten Balangan"

    init(_ complaint: Layar_V1_Complaint) {
        reference = complaint.reference
        title = "\(Self.categoryName(complaint.category)) - \(Self.agency)"
        content = complaint.description_p
        category = Self.categoryName(complaint.category)
        channel = Self.channelName(complaint.channel)
        anonymous = complaint.anonymous
        confidential = true
        agency = Self.agency
        location = "Kabupaten Balangan, Kalimantan Selatan"
        filedAt = complaint.filedAt.date.formatted(Date.ISO8601FormatStyle())
        relatedTrackingCode = complaint.trackingCode.isEmpty ? nil : complaint.trackingCode
    }

    static func categoryName(_ category: Layar_V1_ComplaintCategory) -> String {
        switch category {
        case .serviceDelay: "Layanan lambat"
        case .staffConduct: "Perilaku petugas"
        case .eligibility: "Keberatan atas keputusan"
        case .institution: "Layanan lembaga rujukan"
        case .charges: "Pungutan"
        case .dataProtection: "Pelindungan data pribadi"
        default: "Lainnya"
        }
    }

    static func channelName(_ channel: Layar_V1_IntakeChannel) -> String {
        switch channel {
        case .web: "web"
        case .mobile: "mobile"
        case .operator: "loket"
        case .partner: "mitra"
        default: "lainnya"
        }
    }
}
