import Foundation
import JWTKit

/// The claims of a staff bearer token (a JWT signed with Ed25519 by the portal, which holds the
/// staff accounts). Services hold only the public keys: they can check a token, never make one.
public struct StaffClaims: JWTPayload, Equatable {
    public static let issuer = "layar-portal"
    public static let audience = "layar-services"

    public var iss: IssuerClaim
    public var aud: AudienceClaim
    /// The staff member's username: the actor recorded in audit and history.
    public var sub: SubjectClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    /// The portal session the token was made for: revoking the session stops new tokens.
    public var sid: String
    public var roles: [StaffRole]
    /// The assignment service's id of this person as a case worker; empty when not one.
    public var cw: String

    public init(username: String, roles: [StaffRole], caseWorkerID: String = "", sessionID: String, issuedAt: Date = Date(), lifetime: Duration) {
        iss = IssuerClaim(value: Self.issuer)
        aud = AudienceClaim(value: [Self.audience])
        sub = SubjectClaim(value: username)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        sid = sessionID
        self.roles = roles
        cw = caseWorkerID
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Self.audience)
        guard iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unknown issuer") }
        // A token is valid for at most a working day from when it was made, whatever its expiry
        // says, and is not made in the future (a minute of clock difference allowed).
        guard iat.value <= Date().addingTimeInterval(60) else {
            throw JWTError.claimVerificationFailure(failedClaim: iat, reason: "issued in the future")
        }
        guard exp.value.timeIntervalSince(iat.value) <= 12 * 3600 else {
            throw JWTError.claimVerificationFailure(failedClaim: exp, reason: "lifetime above 12 hours")
        }
    }
}
