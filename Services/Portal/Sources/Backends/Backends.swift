import GRPCCore
import GRPCNIOTransportHTTP2
import LayarDomain
import LayarRuntime
import LayarSchema
import ServiceLifecycle

/// The portal's long-lived gRPC clients of the services it fronts. The portal holds no referral
/// data of its own: every page is one or a few calls to these APIs.
public struct Backends: Sendable {
    public typealias Transport = HTTP2ClientTransport.Posix
    let intakeClient: GRPCClient<Transport>
    let verificationClient: GRPCClient<Transport>
    let assignmentClient: GRPCClient<Transport>
    let surveyClient: GRPCClient<Transport>
    let notificationClient: GRPCClient<Transport>
    /// Signs staff tokens: the console's calls' and layarctl's (``LayarctlTokenRoute``).
    let signer: StaffTokenSigner?

    /// `signer` makes the staff tokens of the console's calls; without it those calls are refused.
    public init(_ addresses: BackendAddresses, signer: StaffTokenSigner? = nil, clock: LayarClock) throws {
        func client(_ address: ServiceAddress) throws -> GRPCClient<Transport> {
            GRPCClient(
                transport: try .http2NIOPosix(target: .dns(host: address.host, port: address.port), transportSecurity: .plaintext),
                // Each call continues the page's trace and, for a signed-in staff member, carries their token.
                interceptors: [
                    TracingClientInterceptor(), StaffTokenClientInterceptor(signer: signer, clock: clock), ForwardedForClientInterceptor(),
                ]
            )
        }
        intakeClient = try client(addresses.intake)
        verificationClient = try client(addresses.verification)
        assignmentClient = try client(addresses.assignment)
        surveyClient = try client(addresses.survey)
        notificationClient = try client(addresses.notification)
        self.signer = signer
    }

    var intake: Layar_V1_IntakeService.Client<Transport> { .init(wrapping: intakeClient) }
    var verification: Layar_V1_VerificationService.Client<Transport> { .init(wrapping: verificationClient) }
    var assignment: Layar_V1_AssignmentService.Client<Transport> { .init(wrapping: assignmentClient) }
    var survey: Layar_V1_SurveyService.Client<Transport> { .init(wrapping: surveyClient) }
    var notification: Layar_V1_NotificationService.Client<Transport> { .init(wrapping: notificationClient) }

    /// A page waits at most this long for a service, and not at all for one that is down: a
    /// citizen on a slow line gets an answer ("try again") instead of a hanging page.
    static let options: CallOptions = {
        var options = CallOptions.defaults
        options.timeout = .seconds(10)
        options.waitForReady = false
        return options
    }()

    /// Runs the clients' connections for the portal's lifetime and closes them on shutdown.
    public var connections: some Service { Connections(clients: [intakeClient, verificationClient, assignmentClient, surveyClient, notificationClient]) }

    private struct Connections: Service {
        let clients: [GRPCClient<Transport>]

        func run() async throws {
            try await withThrowingDiscardingTaskGroup { group in
                for client in clients { group.addTask { try await client.runConnections() } }
                try? await gracefulShutdown()
                for client in clients { client.beginGracefulShutdown() }
            }
        }
    }
}
