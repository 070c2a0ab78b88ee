import Hummingbird

/// Hummingbird's request context plus the signed-in staff member, set by ``StaffSessionMiddleware``.
public struct PortalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var staff: StaffSession?

    public init(source: Source) {
        coreContext = .init(source: source)
        staff = nil
    }

    /// Forms may carry documents: 8 × 2 MiB at most, plus the fields.
    public var maxUploadSize: Int { 11 * 1024 * 1024 }
}
