/// One invalid input field: its path in the request (`form.person.nik`) and a message for the
/// person filling the form, in Bahasa Indonesia. The gRPC layer turns these into
/// `google.rpc.BadRequest` field violations.
public struct FieldProblem: Sendable, Hashable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}
