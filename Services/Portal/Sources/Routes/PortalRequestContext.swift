import Hummingbird

/// Hummingbird's request context plus the signed-in staff member, set by ``StaffSessionMiddleware``,
/// and the client's address (for the limits).
public struct PortalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var staff: StaffSession?
    /// The TCP peer's IP address (behind a proxy, the proxy's).
    let peerAddress: String?
    /// The client's address: the peer's, or what a trusted proxy forwards (``ClientAddressMiddleware``).
    var clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        staff = nil
        peerAddress = source.channel.remoteAddress?.ipAddress
        clientAddress = peerAddress
    }

    /// Forms may carry documents: 8 × 2 MiB at most, plus the fields.
    public var maxUploadSize: Int { 11 * 1024 * 1024 }
}
