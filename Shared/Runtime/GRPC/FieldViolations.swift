import GRPCCore
import GRPCProtobuf
import LayarDomain

/// Collects field-level validation errors and turns them into one INVALID_ARGUMENT status with a
/// `google.rpc.BadRequest` detail, so any gRPC client can show which field is wrong and why.
public struct FieldViolations: Sendable {
    public private(set) var violations: [ErrorDetails.BadRequest.FieldViolation] = []

    public init() {}

    public init(_ problems: [FieldProblem]) {
        for problem in problems { add(problem.field, problem.message) }
    }

    /// Adds a violation; `field` is a path such as `form.person.nik`, `message` is for the user.
    public mutating func add(_ field: String, _ message: String) {
        violations.append(.init(field: field, description: message))
    }

    public var isEmpty: Bool { violations.isEmpty }

    /// Throws ``error`` when anything was added.
    public func check() throws {
        guard violations.isEmpty else { throw error }
    }

    /// The INVALID_ARGUMENT status carrying the violations.
    public var error: GoogleRPCStatus {
        GoogleRPCStatus(
            code: .invalidArgument, message: "Data yang dikirim belum benar",
            details: [.badRequest(violations: violations)]
        )
    }
}
