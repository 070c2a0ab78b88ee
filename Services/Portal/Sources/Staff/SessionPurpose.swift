
/// What a staff session is for (`staff_sessions.purpose`): a key of one kind never opens the other.
enum SessionPurpose: String, Sendable {
    /// The console's browser session, opened by signing in; its key is the HttpOnly cookie.
    case console
    /// A layarctl session, opened by `layar-portal issue-token`; its key is exchanged for tokens.
    case layarctl
}
