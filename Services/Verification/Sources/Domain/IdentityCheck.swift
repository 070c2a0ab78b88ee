import LayarDomain
import LayarSchema

/// The automatic checks on a submitted referral. The walking skeleton checks the NIK's structure
/// and its agreement with the stated birth date and sex; registry, domicile and document checks
/// join here.
public enum IdentityCheck {
    public struct Decision: Sendable, Equatable {
        public var findings: [Layar_V1_CheckFinding]
        public var priority: Int32
        public var isVerified: Bool { findings.isEmpty }
    }

    public static func decide(_ referral: Layar_V1_ReferralSubmitted) -> Decision {
        var findings: [Layar_V1_CheckFinding] = []
        do {
            let nik = try NIK(referral.nik)
            let birth = referral.birthDate
            findings += nik.mismatches(
                birthYear: Int(birth.year), birthMonth: Int(birth.month), birthDay: Int(birth.day),
                isFemale: referral.sex == .female
            ).map(finding)
        } catch let problem as NIK.Problem {
            findings.append(finding(problem))
        } catch {
            findings.append(.with { $0.code = "NIK_UNREADABLE"; $0.message = "NIK tidak dapat diperiksa" })
        }
        return Decision(findings: findings, priority: priority(for: referral.urgency))
    }

    /// Queue priority: emergencies (pasung, a child facing violence) first.
    public static func priority(for urgency: Layar_V1_Urgency) -> Int32 {
        switch urgency {
        case .emergency: 100
        case .urgent: 70
        default: 40
        }
    }

    private static func finding(_ problem: NIK.Problem) -> Layar_V1_CheckFinding {
        .with {
            $0.code = problem.code
            $0.message = problem.message
        }
    }
}
