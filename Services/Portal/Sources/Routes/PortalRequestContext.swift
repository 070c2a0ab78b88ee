import Hummingbird

/// Hummingbird's request context plus the signed-in staff member, set by ``StaffSessionMiddleware``,
/// and the client's address (for ``PublicFormThrottle``).
public struct PortalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var staff: StaffSession?
    /// The peer's IP address; behind a proxy, the proxy's (the throttle then counts per proxy).
    let clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        staff = nil
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Forms may carry documents: 8 × 2 MiB at most, plus the fields.
    public var maxUploadSize: Int { 11 * 1024 * 1024 }
}
