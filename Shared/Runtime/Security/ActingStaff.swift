import GRPCCore
import LayarDomain

/// Who acted is the verified token's identity, never a request field: the `actor_id`,
/// `supervisor_id`, `operator_id` fields of older clients may only repeat it.
public enum ActingStaff {
    /// The caller's username. A request field that names someone else is refused (field-level
    /// INVALID_ARGUMENT), so nobody records an action in a colleague's name; a call without a
    /// staff identity is UNAUTHENTICATED.
    public static func username(claimed: String, field: String) throws -> String {
        guard let identity = StaffIdentity.current else {
            throw RPCError(code: .unauthenticated, message: "Tindakan ini hanya untuk petugas yang sudah masuk.")
        }
        let claimed = claimed.trimmingCharacters(in: .whitespaces)
        guard claimed.isEmpty || claimed == identity.username else {
            throw FieldViolations([FieldProblem(field, "Kosongkan, atau isi dengan nama pengguna Anda sendiri (\(identity.username))")]).error
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
