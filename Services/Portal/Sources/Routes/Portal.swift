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
    /// Citizens' form posts per client address (tests set a small limit).
    var formThrottle: PublicFormThrottle

    public init(backends: Backends, accounts: StaffAccounts, secureCookies: Bool, logger: Logger) {
        self.backends = backends
        self.accounts = accounts
        self.secureCookies = secureCookies
        self.logger = logger
        self.formThrottle = PublicFormThrottle(clock: accounts.clock)
    }

    /// The portal's one clock (the accounts' clock, given by whoever built them).
    var clock: LayarClock { accounts.clock }

    /// Today in Balangan: the latest date a form may carry.
    func today() -> CivilDate { clock.todayInBalangan }

    /// The web application: public pages, static assets, and the staff console behind a login.
    public func router() -> Router<PortalRequestContext> {
        let router = Router(context: PortalRequestContext.self)
        router.add(middleware: TraceContextMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: PortalErrorMiddleware(logger: logger))
        router.add(middleware: formThrottle)
        ObservabilityEndpoint.addRoutes(to: router, registry: LayarMetrics.registry) { true }
        StaticRoutes.add(to: router)
        CitizenRoutes(portal: self).add(to: router)
        StaffLoginRoutes(portal: self).add(to: router)
        let staff = router.group("staf").add(middleware: StaffSessionMiddleware(accounts: accounts))
        StaffHomeRoutes(portal: self).add(to: staff)
        VerificationRoutes(portal: self).add(to: staff)
        CaseRoutes(portal: self).add(to: staff)
        ComplaintDeskRoutes(portal: self).add(to: staff)
        WalkInRoutes(portal: self).add(to: staff)
        MonitoringRoutes(portal: self).add(to: staff)
        return router
    }
}
