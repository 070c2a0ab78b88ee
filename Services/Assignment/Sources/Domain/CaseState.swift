import LayarSchema

/// Where a case is, as stored (`cases.status`). The workflow:
///
///     unassigned → assigned → assessed ─(refer)→ offered → accepted → admitted → in_service
///                                     └(serve locally)──────────────────────────→ in_service
///     offered → assessed (declined, expired, revoked)      admitted / in_service → outcome_recorded
///     outcome_recorded → completed → closed                any open state → closed (with a reason)
enum CaseState: String, Sendable, CaseIterable {
    case unassigned, assigned, assessed, offered, accepted, admitted
    case inService = "in_service"
    case outcomeRecorded = "outcome_recorded"
    case completed, closed, withdrawn

    /// Still being worked on: counts towards the case worker's load.
    var isOpen: Bool {
        switch self {
        case .completed, .closed, .withdrawn: false
        default: true
        }
    }

    var proto: Layar_V1_CaseStatus {
        switch self {
        case .unassigned: .unassigned
        case .assigned: .assigned
        case .assessed: .assessed
        case .offered: .offered
        case .accepted: .accepted
        case .admitted: .admitted
        case .inService: .inService
        case .outcomeRecorded: .outcomeRecorded
        case .completed: .completed
        case .closed: .closed
        case .withdrawn: .withdrawn
        }
    }

    /// The Indonesian name shown in error messages.
    var label: String {
        switch self {
        case .unassigned: "menunggu pendamping"
        case .assigned: "sudah ada pendamping"
        case .assessed: "sudah diasesmen"
        case .offered: "menunggu jawaban lembaga"
        case .accepted: "diterima lembaga"
        case .admitted: "sudah masuk lembaga"
        case .inService: "sedang dilayani"
        case .outcomeRecorded: "hasil layanan tercatat"
        case .completed: "selesai"
        case .closed: "ditutup"
        case .withdrawn: "dibatalkan pemohon"
        }
    }
}

/// Where an offer is, as stored (`offers.status`).
enum OfferState: String, Sendable {
    case pending, accepted, declined, expired, revoked, admitted
    case outcomeRecorded = "outcome_recorded"

    /// Pending, accepted or admitted: at most one per case.
    var isLive: Bool { self == .pending || self == .accepted || self == .admitted }

    var proto: Layar_V1_OfferStatus {
        switch self {
        case .pending: .pending
        case .accepted: .accepted
        case .declined: .declined
        case .expired: .expired
        case .revoked: .revoked
        case .admitted: .admitted
        case .outcomeRecorded: .outcomeRecorded
        }
    }
}
