import Foundation
import Hummingbird
import LayarDomain
import LayarRuntime
import Logging

/// What every route needs: the services' clients, the staff accounts, and the clock.
public struct Portal: Sendable {
    let backends: Backends
    let accounts: StaffAccounts
    let secureCookies: Bool
    let logger: Logger
    /// Counters shared by the portal's replicas.
    let limiter: RateLimiter
    /// Citizens' form posts per client address and for everyone (tests set small limits).
    var formThrottle: PublicFormThrottle
    /// Staff sign-ins per client address and per username, beside each account's lockout.
    var loginLimits = LoginLimits()
    /// layarctl key exchanges per client address (one per command run: far above a person's pace).
    var layarctlExchanges = RateLimiter.Rule(name: "layarctl-address", limit: 600, window: .seconds(600))
    /// The proxies whose forwarded client address is believed.
    var trustedProxies: TrustedProxies

    public init(
        backends: Backends, accounts: StaffAccounts, secureCookies: Bool, logger: Logger, trustedProxies: String = ""
    ) {
        self.backends = backends
        self.accounts = accounts
        self.secureCookies = secureCookies
        self.logger = logger
        self.limiter = RateLimiter(pool: accounts.pool, clock: accounts.clock)
        self.formThrottle = PublicFormThrottle(limiter: limiter)
        self.trustedProxies = TrustedProxies(list: trustedProxies) ?? TrustedProxies(list: "")!
    }

    /// Sign-in limits: beyond them the page says to wait, whatever the password.
    struct LoginLimits: Sendable {
        var perAddress = RateLimiter.Rule(name: "login-address", limit: 20, window: .seconds(600))
        var perUsername = RateLimiter.Rule(name: "login-username", limit: 10, window: .seconds(600))
    }

    /// The portal's one clock (the accounts' clock, given by whoever built them).
    var clock: LayarClock { accounts.clock }

    /// Today in Balangan: the latest date a form may carry.
    func today() -> CivilDate { clock.todayInBalangan }

    /// The web application: public pages, static assets, and the staff console behind a login.
    public func router() -> Router<PortalRequestContext> {
        let router = Router(context: PortalRequestContext.self)
        router.add(middleware: ClientAddressMiddleware(trusted: trustedProxies))
        router.add(middleware: TraceContextMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: PortalErrorMiddleware(logger: logger))
        router.add(middleware: formThrottle)
        router.add(middleware: MetricsExposureMiddleware(trusted: trustedProxies))
        ObservabilityEndpoint.addRoutes(to: router, registry: LayarMetrics.registry) { true }
        StaticRoutes.add(to: router)
        CitizenRoutes(portal: self).add(to: router)
        StaffLoginRoutes(portal: self).add(to: router)
        LayarctlTokenRoute(portal: self).add(to: router)
        let staff = router.group("staf").add(middleware: StaffSessionMiddleware(accounts: accounts))
        StaffHomeRoutes(portal: self).add(to: staff)
        StaffInboxRoutes(portal: self).add(to: staff)
        VerificationRoutes(portal: self).add(to: staff)
        CaseRoutes(portal: self).add(to: staff)
        ComplaintDeskRoutes(portal: self).add(to: staff)
        WalkInRoutes(portal: self).add(to: staff)
        MonitoringRoutes(portal: self).add(to: staff)
        return router
    }
}
