import LayarRuntime
import Testing

@Suite("Service configuration")
struct ConfigurationTests {
    @Test("every missing or invalid variable is reported at once")
    func allProblemsReported() {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(
                serviceName: "intake", defaultPort: 50051,
                environment: ["LAYAR_GRPC_PORT": "seventy", "LAYAR_LOG_LEVEL": "loud"]
            )
        }
        let text = error?.description ?? ""
        #expect(error?.problems.count == 4)
        #expect(text.contains("LAYAR_DATABASE_URL is not set"))
        #expect(text.contains("KAFKA_BROKERS is not set"))
        #expect(text.contains("LAYAR_GRPC_PORT=seventy is invalid"))
        #expect(text.contains("LAYAR_LOG_LEVEL=loud is invalid"))
    }

    @Test("defaults fill what is optional")
    func defaults() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(
            serviceName: "survey", defaultPort: 50055,
            environment: ["LAYAR_DATABASE_URL": "postgresql://survey@127.0.0.1/layar", "KAFKA_BROKERS": "127.0.0.1:9092"]
        )
        #expect(configuration.grpcPort == 50055)
        #expect(configuration.grpcHost == "127.0.0.1")
        #expect(configuration.databasePoolSize == 4)
        #expect(configuration.logLevel == .info)
    }
}
