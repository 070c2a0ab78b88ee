// swift-tools-version:6.0
// LAYAR: Layanan Rujukan Rehabilitasi Sosial. The module graph is the architecture:
// C bridges -> Shared layers (schema, Kafka, Postgres, jobs, runtime) -> one library per service
// -> thin executables. Tests depend on the same products the executables ship.
import PackageDescription

let services = ["Intake", "Verification", "Assignment", "Notification", "Survey"]

let runtimeDependencies: [Target.Dependency] = [
    "LayarDomain", "LayarSchema", "LayarKafka", "LayarPostgres", "LayarJobs", "LayarRuntime",
    .product(name: "GRPCCore", package: "grpc-swift-2"),
    .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
    .product(name: "SwiftProtobuf", package: "swift-protobuf"),
    .product(name: "Logging", package: "swift-log"),
]

/// What a service needs beyond the runtime.
let serviceDependencies: [String: [Target.Dependency]] = [
    "Intake": [  // SHA-256 of documents; the retention job.
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ],
    "Assignment": [  // SHA-256 of partner keys; the deadline sweeper.
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ],
    "Notification": [  // Templates, the SMS, WhatsApp and mail gateways, and their signed webhooks.
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        // The SMTP sender: its own connections (NIOPosix) with STARTTLS or implicit TLS (NIOSSL).
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ],
    "Verification": [  // Registry extracts as XLSX workbooks.
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
    ],
    "Survey": [  // The SP4N-LAPOR! adapter.
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ],
]

let serviceTargets: [Target] = services.flatMap { name -> [Target] in
    [
        // The service: domain, storage and migrations, gRPC API, event consumers.
        .target(
            name: "Layar\(name)", dependencies: runtimeDependencies + serviceDependencies[name, default: []],
            path: "Services/\(name)/Sources"
        ),
        // The thin executable: configuration and the service group, nothing else.
        .executableTarget(
            name: "\(name)Main",
            dependencies: [
                .target(name: "Layar\(name)"), "LayarRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/\(name)/Main"
        ),
    ]
}

let package = Package(
    name: "layar",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: "layar-\($0.lowercased())", targets: ["\($0)Main"]) } + [
        .executable(name: "layarctl", targets: ["Ctl"]),
        .executable(name: "layar-bench", targets: ["Benchmarks"]),
        .executable(name: "layar-devbroker", targets: ["DevBroker"]),
        .executable(name: "layar-portal", targets: ["PortalMain"]),
        .library(name: "LayarSchema", targets: ["LayarSchema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-service-context.git", from: "1.5.1"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // C libraries from the system (Debian: librdkafka-dev, libpq-dev).
        .systemLibrary(
            name: "CRDKafka", path: "Shared/CRDKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),

        // The shared schema module: Swift generated from proto/ (committed), topics and event types.
        .target(
            name: "LayarSchema",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ],
            path: "Shared/LayarSchema"
        ),
        // Domain facts shared by services: NIK rules, Balangan's regions, the PPKS kinds.
        .target(name: "LayarDomain", path: "Shared/Domain"),
        // Kafka over librdkafka: producer with delivery reports, consumer-group consumer, mock cluster.
        .target(
            name: "LayarKafka",
            dependencies: ["CRDKafka", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Kafka"
        ),
        // PostgreSQL over libpq: pool, parameterised queries, transactions, migrations.
        .target(
            name: "LayarPostgres",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Postgres"
        ),
        // Loops and queues: recurring jobs woken by their tables' notifications, the one outbound
        // delivery queue and its retry rule, backoff, typed ids in SQL. Knows no service and no Kafka.
        .target(
            name: "LayarJobs",
            dependencies: [
                "LayarDomain", "LayarPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Jobs"
        ),
        // The service runtime: configuration, lifecycle, outbox relay, inbox consumer, gRPC bootstrap.
        .target(
            name: "LayarRuntime",
            dependencies: [
                "LayarDomain", "LayarSchema", "LayarKafka", "LayarPostgres", "LayarJobs",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // One command line for every service executable (ServiceCommand).
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                // Observability: metrics, the Prometheus endpoint, W3C trace context.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                // Security: staff bearer tokens (EdDSA JWTs); personal data sealed at rest (AES-GCM).
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Shared/Runtime"
        ),

        // Developer tools: the command-line client and the dev broker.
        .executableTarget(
            name: "Ctl",
            dependencies: [
                "LayarSchema", "LayarKafka", "LayarRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Services/Ctl"
        ),
        .executableTarget(
            name: "DevBroker",
            dependencies: [
                "LayarKafka", "LayarSchema",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/DevBroker"
        ),

        // The web edge: the citizens' form and the staff console, a client of the services' gRPC APIs.
        .target(
            name: "LayarPortal",
            dependencies: [
                "LayarDomain", "LayarSchema", "LayarPostgres", "LayarRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),  // PBKDF2 for staff passwords.
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Portal/Sources"
        ),
        .executableTarget(
            name: "PortalMain",
            dependencies: [
                "LayarPortal", "LayarRuntime", "LayarPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Portal/Main"
        ),

        // Tests.
        .target(
            name: "LayarTestSupport",
            dependencies: [
                "LayarDomain", "LayarKafka", "LayarPostgres", "LayarRuntime", "LayarSchema", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                // The SMTP stand-in: TLS, and a CA and server certificate made at test time.
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/Support"
        ),
        // The load generator and Kafka layer benchmarks (figures, not tests).
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "LayarDomain", "LayarKafka", "LayarRuntime", "LayarSchema", "LayarTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Tests/Benchmarks"
        ),
        .testTarget(name: "KafkaTests", dependencies: ["LayarKafka", "LayarTestSupport"], path: "Tests/KafkaTests"),
        .testTarget(name: "PostgresTests", dependencies: ["LayarPostgres", "LayarTestSupport"], path: "Tests/PostgresTests"),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "LayarDomain", "LayarJobs", "LayarPostgres", "LayarRuntime", "LayarSchema", "LayarTestSupport",
                .product(name: "GRPCCore", package: "grpc-swift-2"), .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/RuntimeTests"
        ),
        .testTarget(
            name: "ServiceTests",
            dependencies: services.map { .target(name: "Layar\($0)") } + [
                "LayarDomain", "LayarJobs", "LayarRuntime", "LayarSchema", "LayarTestSupport", .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),  // writes the XLSX test workbooks
                // Serves notification's provider webhooks over real HTTP.
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/ServiceTests"
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: [
                "LayarPortal", "LayarSchema", "LayarTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/PortalTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "LayarDomain", "LayarPostgres", "LayarRuntime", "LayarSchema", "LayarTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                // Posts signed provider webhooks to notification, as Twilio does.
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/IntegrationTests"
        ),
    ] + serviceTargets
)
