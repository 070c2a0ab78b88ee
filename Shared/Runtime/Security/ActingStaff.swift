import GRPCCore
import LayarDomain

/// Who acted is the verified token's identity, never a request field: the requests' former
/// `actor_id`, `supervisor_id` and `operator_id` fields are reserved in the proto, so an older
/// client's value is an unknown field that nothing reads.
public enum ActingStaff {
    /// The caller's username; a call without a staff identity is UNAUTHENTICATED.
    public static func username() throws -> String {
        guard let identity = StaffIdentity.current else {
            throw RPCError(code: .unauthenticated, message: "Tindakan ini hanya untuk petugas yang sudah masuk.")
        }
        return identity.username
    }

    /// The signed-in staff member holding one of `roles`, for a public RPC that a staff member
    /// may also make (an operator's walk-in submission): refused without such a token.
    public static func requireRole(_ roles: Set<StaffRole>, for what: String) throws -> StaffIdentity {
        guard let identity = StaffIdentity.current else {
            throw RPCError(code: .unauthenticated, message: "\(what) hanya untuk petugas yang sudah masuk.")
        }
        guard !identity.roles.isDisjoint(with: roles) else {
            throw RPCError(code: .permissionDenied, message: "\(what) memerlukan peran \(roles.map(\.rawValue).sorted().joined(separator: " atau ")).")
        }
        return identity
    }
}
