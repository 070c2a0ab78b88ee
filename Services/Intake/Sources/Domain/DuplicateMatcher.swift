import Foundation
import LayarDomain
import LayarSchema

/// Finds earlier referrals of people without papers that may be the same person as a new one.
/// Nothing is merged: each match is a proposal with its signals, and a verifier decides.
///
/// Points (threshold 55 of 100): a similar name (0.85 or more) up to 40 (a clearly different
/// name, under 0.7, rules the pair out), estimated ages within five years up to 20 (more than ten
/// apart rules it out), the same desa 25 or only the same kecamatan 10, submitted within a week 15
/// or a month 10. A different recorded sex rules the pair out. So a person nobody could name is still proposed when found in the same
/// desa, at about the same age, within the same week: the case of someone seen twice at a market.
public enum DuplicateMatcher {
    /// What intake keeps of a referral of a person without papers to find them again.
    public struct Profile: Sendable, Equatable {
        public var referralID: ReferralID
        public var trackingCode: String
        public var name: PersonNameKey
        public var sex: Layar_V1_Sex
        public var estimatedAge: Int
        public var kecamatanCode: String
        public var desaCode: String
        public var submittedAt: Date

        public init(
            referralID: ReferralID, trackingCode: String, name: String, sex: Layar_V1_Sex, estimatedAge: Int,
            kecamatanCode: String, desaCode: String, submittedAt: Date
        ) {
            self.referralID = referralID
            self.trackingCode = trackingCode
            self.name = PersonNameKey(name)
            self.sex = sex
            self.estimatedAge = estimatedAge
            self.kecamatanCode = kecamatanCode
            self.desaCode = desaCode
            self.submittedAt = submittedAt
        }
    }

    /// How far back earlier referrals are compared.
    public static let window: TimeInterval = 90 * 86_400
    /// At most this many proposals per referral, the likeliest first.
    public static let maximumProposals = 5
    static let threshold = 55

    public static func possibleDuplicates(of new: Profile, among earlier: [Profile]) -> [Layar_V1_PossibleDuplicate] {
        let matches = earlier.compactMap { candidate -> Layar_V1_PossibleDuplicate? in
            guard candidate.referralID != new.referralID, let (score, signals) = compare(new, candidate), score >= threshold
            else { return nil }
            return .with {
                $0.referralID = candidate.referralID.description
                $0.trackingCode = candidate.trackingCode
                $0.score = Int32(min(score, 100))
                $0.signals = signals
            }
        }
        return Array(matches.sorted { ($0.score, $1.trackingCode) > ($1.score, $0.trackingCode) }.prefix(maximumProposals))
    }

    /// The points and signals of a pair, or nil when something rules it out.
    static func compare(_ a: Profile, _ b: Profile) -> (Int, [Layar_V1_DuplicateSignal])? {
        if a.sex != b.sex, a.sex != .unspecified, b.sex != .unspecified { return nil }
        var score = 0
        var signals: [Layar_V1_DuplicateSignal] = []
        if let similarity = a.name.similarity(to: b.name) {
            if similarity < 0.7 { return nil }
            if similarity >= 0.85 {
                score += Int((40 * similarity).rounded())
                signals.append(.similarName)
            }
        }
        let ageGap = abs(a.estimatedAge - b.estimatedAge)
        if ageGap > 10 { return nil }
        if ageGap <= 5 {
            score += 20 - 2 * ageGap
            signals.append(.ageRange)
        }
        if a.desaCode == b.desaCode {
            score += 25
            signals.append(.sameDesa)
        } else if a.kecamatanCode == b.kecamatanCode {
            score += 10
            signals.append(.sameKecamatan)
        }
        let days = abs(a.submittedAt.timeIntervalSince(b.submittedAt)) / 86_400
        if days <= 30 {
            score += days <= 7 ? 15 : 10
            signals.append(.closeInTime)
        }
        return (score, signals)
    }
}
