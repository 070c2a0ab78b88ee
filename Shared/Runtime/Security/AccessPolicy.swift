import GRPCCore
import LayarSchema

/// Who may call an RPC.
public enum Access: Sendable, Equatable {
    /// Anyone (citizens, through the portal): the RPC itself asks for what proves a right to the
    /// data (a tracking code with its PIN, a survey code).
    case `public`
    /// A partner agency, by its key (the assignment service's partner authenticator binds it).
    case partner
    /// A staff member holding at least one of these roles, by a bearer token.
    case staff(Set<StaffRole>)
}

/// One gRPC service's table of RPC × access. An RPC missing from the table is refused to everyone
/// (deny by default), and a test checks every RPC of every service has its row.
public struct AccessPolicy: Sendable {
    public var service: ServiceDescriptor
    public var rules: [String: Access]

    /// `rules` by method name ("SubmitReferral").
    public init(_ service: ServiceDescriptor, _ rules: [String: Access]) {
        self.service = service
        self.rules = rules
    }

    /// The access of `method`; nil (refused to all) when it is not in the table.
    public func access(for method: MethodDescriptor) -> Access? {
        method.service == service ? rules[method.method] : nil
    }

    /// The roles that reach every referral through `method`: its roles but the case worker's, who
    /// reaches only their own (``CaseWorkerScope``).
    public func rolesBeyondOwnCases(_ method: String) -> Set<StaffRole> {
        guard case .staff(let roles) = rules[method] else { return [] }
        return roles.subtracting([.caseWorker])
    }

    /// The audit trail every service keeps: administrators only.
    public static let audit = AccessPolicy(Layar_V1_AuditService.descriptor, ["ListAuditEvents": .staff([.admin])])

    /// The health service: probes and load balancers call it without credentials.
    public static let health = AccessPolicy(
        ServiceDescriptor(fullyQualifiedService: "grpc.health.v1.Health"), ["Check": .public, "Watch": .public]
    )
}

extension Set where Element == StaffRole {
    /// Every staff role.
    public static var anyStaff: Set<StaffRole> { Set(StaffRole.allCases) }
}
