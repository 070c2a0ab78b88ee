import GRPCCore
import LayarSchema

/// Asks a local gRPC health endpoint whether the server is serving, within a few seconds: the
/// container health check (`layar-<name> healthcheck`), which needs no extra tool in the image.
public enum HealthProbe {
    public static func isServing(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(3)) async -> Bool {
        var options = CallOptions.defaults
        options.timeout = timeout
        options.waitForReady = false
        let response = try? await ServiceAddress(host: host, port: port).withClient { client in
            try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init(), options: options)
        }
        return response?.status == .serving
    }
}
