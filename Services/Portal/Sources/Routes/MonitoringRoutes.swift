import Hummingbird
import LayarDomain
import LayarRuntime
import LayarSchema
import NIOCore

/// The monev dashboard and its CSV, for a period picked by the user (this year so far by default).
struct MonitoringRoutes {
    let portal: Portal

    func add(to staff: RouterGroup<PortalRequestContext>) {
        staff.get("monev") { request, context in
            let session = try context.staff(.monitoring)
            let (period, state) = period(request)
            do {
                async let report = portal.backends.survey.getMonitoringReport(period, options: Backends.options)
                async let ikm = try? portal.backends.survey.getIKMReport(period, options: Backends.options)
                let body = MonitoringPage.body(try await report, ikm: await ikm, period: state)
                return PageResponse.page("Monev & IKM", staff: session, body: body)
            } catch {
                let failure = BackendFailure(error)
                return PageResponse.page("Monev & IKM", staff: session, notice: .error(failure.message),
                                         body: MonitoringPage.body(.init(), ikm: nil, period: FormState(values: state.values, errors: failure.fields)),
                                         status: .unprocessableContent)
            }
        }
        staff.get("monev.csv") { request, context in
            _ = try context.staff(.monitoring)
            let (period, state) = period(request)
            let report = try await portal.backends.survey.getMonitoringReport(period, options: Backends.options)
            var headers = PageResponse.securityHeaders
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"monev-\(state["dari"])-\(state["sampai"]).csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: report.csv)))
        }
    }

    private func period(_ request: Request) -> (Layar_V1_PeriodRequest, FormState) {
        let today = portal.today()
        let query = request.uri.queryParameters
        let from = query.get("dari").flatMap { CivilDate(iso: $0) } ?? CivilDate(year: today.year, month: 1, day: 1)
        let to = query.get("sampai").flatMap { CivilDate(iso: $0) } ?? today
        var state = FormState()
        state.values.append(from.description, to: "dari")
        state.values.append(to.description, to: "sampai")
        return (.with { $0.from = Layar_V1_Date(from); $0.to = Layar_V1_Date(to) }, state)
    }
}
