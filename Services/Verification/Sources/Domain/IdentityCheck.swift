import LayarDomain
import LayarSchema

/// The automatic checks on a referral: NIK structure and agreement with the stated birth date
/// and sex (rejection), then the documents needed before a case can be opened (a request to the
/// applicant). Registry, domicile and duplicate-case checks join here with the verification issue.
public enum IdentityCheck {
    /// What verification knows of a referral: from `ReferralSubmitted`, documents updated by
    /// `ReferralDocumentsAdded`.
    public struct Subject: Sendable, Equatable {
        public var nik: String
        public var birthDate: Layar_V1_Date
        public var sex: Layar_V1_Sex
        public var urgency: Layar_V1_Urgency
        public var isChild: Bool
        public var documentKinds: Set<Layar_V1_DocumentKind>

        public init(_ submitted: Layar_V1_ReferralSubmitted) {
            nik = submitted.nik
            birthDate = submitted.birthDate
            sex = submitted.sex
            urgency = submitted.urgency
            isChild = submitted.isChild
            documentKinds = Set(submitted.documents.map(\.kind))
        }
    }

    public enum Decision: Sendable, Equatable {
        case verified(priority: Int32)
        case informationRequested(missing: [Layar_V1_DocumentKind], message: String)
        case rejected([Layar_V1_CheckFinding])
    }

    public static func decide(_ subject: Subject) -> Decision {
        let findings = identityFindings(subject)
        if !findings.isEmpty { return .rejected(findings) }
        // Identity must be documented: a family card for a child (children rarely have a KTP),
        // a KTP or a family card for an adult.
        if subject.isChild {
            if !subject.documentKinds.contains(.kk) {
                return .informationRequested(missing: [.kk], message: "Unggah foto Kartu Keluarga anak yang dirujuk.")
            }
        } else if subject.documentKinds.isDisjoint(with: [.ktp, .kk]) {
            return .informationRequested(
                missing: [.ktp, .kk], message: "Unggah foto KTP atau Kartu Keluarga orang yang dirujuk."
            )
        }
        return .verified(priority: priority(for: subject))
    }

    static func identityFindings(_ subject: Subject) -> [Layar_V1_CheckFinding] {
        do {
            let nik = try NIK(subject.nik)
            let birth = subject.birthDate
            return nik.mismatches(
                birthYear: Int(birth.year), birthMonth: Int(birth.month), birthDay: Int(birth.day),
                isFemale: subject.sex == .female
            ).map(finding)
        } catch let problem as NIK.Problem {
            return [finding(problem)]
        } catch {
            return [.with { $0.code = "NIK_UNREADABLE"; $0.message = "NIK tidak dapat diperiksa" }]
        }
    }

    /// Queue priority, higher first: emergencies (pasung, a child facing violence) first, children
    /// before adults.
    public static func priority(for subject: Subject) -> Int32 {
        let base: Int32 = switch subject.urgency {
        case .emergency: 90
        case .urgent: 60
        default: 30
        }
        return base + (subject.isChild ? 10 : 0)
    }

    private static func finding(_ problem: NIK.Problem) -> Layar_V1_CheckFinding {
        .with {
            $0.code = problem.code
            $0.message = problem.message
        }
    }
}
