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

    public init(username: String, roles: [StaffRole], caseWorkerID: String = "", sessionID: String, issuedAt: Date, lifetime: Duration) {
        iss = IssuerClaim(value: Self.issuer)
        aud = AudienceClaim(value: [Self.audience])
        sub = SubjectClaim(value: username)
        iat = IssuedAtClaim(value: issuedAt)
        exp = ExpirationClaim(value: issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        sid = sessionID
        self.roles = roles
        cw = caseWorkerID
    }

    /// The longest lifetime a service honours. Services check a token by its signature alone, so
    /// this bounds how long a token outlives what ended it (a password or role change, a disabled
    /// account, a signed-out session): the portal's tokens live five minutes, layarctl's two.
    public static let maximumLifetime: Duration = .seconds(5 * 60)

    /// What holds whatever the time: audience, issuer and a lifetime of at most
    /// ``maximumLifetime`` (JWTKit calls this while checking the signature; the instants are
    /// checked by ``verifyTimes(at:)`` against the verifier's clock).
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try aud.verifyIntendedAudience(includes: Self.audience)
        guard iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unknown issuer") }
        guard exp.value.timeIntervalSince(iat.value) <= TimeInterval(Self.maximumLifetime.components.seconds) else {
            throw JWTError.claimVerificationFailure(failedClaim: exp, reason: "lifetime above \(Self.maximumLifetime)")
        }
    }

    /// The token is not expired at `now` and was not made in the future (a minute of clock
    /// difference between portal and service allowed).
    public func verifyTimes(at now: Date) throws {
        try exp.verifyNotExpired(currentDate: now)
        guard iat.value <= now.addingTimeInterval(60) else {
            throw JWTError.claimVerificationFailure(failedClaim: iat, reason: "issued in the future")
        }
    }
}
