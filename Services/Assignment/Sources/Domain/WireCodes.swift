import LayarSchema

// Stable upper-case codes for enums where a text travels or is stored (ledger reasons, partner
// messages): partners get words, not LAYAR's enum numbers.

extension Layar_V1_ServiceOutcome {
    var code: String {
        switch self {
        case .gotHelp: "GOT_HELP"
        case .couldNotGetHelp: "COULD_NOT_GET_HELP"
        case .referredElsewhere: "REFERRED_ELSEWHERE"
        case .noLongerInterested: "NO_LONGER_INTERESTED"
        case .unreachable: "UNREACHABLE"
        case .deceased: "DECEASED"
        default: "UNSPECIFIED"
        }
    }
}

extension Layar_V1_DeclineReason {
    var code: String {
        switch self {
        case .noCapacity: "NO_CAPACITY"
        case .notEligible: "NOT_ELIGIBLE"
        case .cannotContact: "CANNOT_CONTACT"
        case .other: "OTHER"
        default: "UNSPECIFIED"
        }
    }
}

extension Layar_V1_Need {
    var code: String {
        switch self {
        case .residentialRehabilitation: "RESIDENTIAL_REHABILITATION"
        case .communityRehabilitation: "COMMUNITY_REHABILITATION"
        case .psychiatricCare: "PSYCHIATRIC_CARE"
        case .assistiveDevice: "ASSISTIVE_DEVICE"
        case .familySupport: "FAMILY_SUPPORT"
        case .legalProtection: "LEGAL_PROTECTION"
        case .basicNeeds: "BASIC_NEEDS"
        case .addictionRehabilitation: "ADDICTION_REHABILITATION"
        default: "UNSPECIFIED"
        }
    }
}

extension Layar_V1_Urgency {
    var code: String {
        switch self {
        case .normal: "NORMAL"
        case .urgent: "URGENT"
        case .emergency: "EMERGENCY"
        default: "UNSPECIFIED"
        }
    }
}

extension Layar_V1_Sex {
    var code: String {
        switch self {
        case .male: "MALE"
        case .female: "FEMALE"
        default: "UNSPECIFIED"
        }
    }
}

extension Layar_V1_CaseDeadline {
    var code: String {
        switch self {
        case .assignment: "ASSIGNMENT_DEADLINE"
        case .assessment: "ASSESSMENT_DEADLINE"
        case .partnerAnswer: "PARTNER_ANSWER_DEADLINE"
        default: "DEADLINE"
        }
    }
}
