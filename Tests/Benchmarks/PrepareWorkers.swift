import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LayarDomain
import LayarRuntime
import LayarSchema

/// Gives the local stack enough case workers for a load run: the sample referrals all live in
/// Kecamatan Paringin, whose seeded workers take 40 cases in all.
struct PrepareWorkers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare-workers", abstract: "Add case workers covering Paringin for a load run."
    )
    @Option(help: "Assignment address.") var assignment = LayarServiceName.assignment.localAddress
    @Option(help: "Workers to add.") var count = 100
    @Option(help: "Capacity of each (at most 200).") var capacity: Int32 = 200
    @Option(help: "The portal's token signing key (PEM), to sign an admin token (env LAYAR_TOKEN_SIGNING_KEY_FILE).")
    var signingKeyFile = ProcessInfo.processInfo.environment["LAYAR_TOKEN_SIGNING_KEY_FILE"] ?? ""
    @Option(help: "Its key id (env LAYAR_TOKEN_SIGNING_KEY_ID).")
    var signingKeyID = ProcessInfo.processInfo.environment["LAYAR_TOKEN_SIGNING_KEY_ID"] ?? "dev-1"

    func run() async throws {
        guard let address = ServiceAddress(assignment) else { throw ValidationError("--assignment must be host:port") }
        guard !signingKeyFile.isEmpty else { throw ValidationError("--signing-key-file (or LAYAR_TOKEN_SIGNING_KEY_FILE) is needed") }
        let token = try await StaffTokenSigner(privateKeyFile: signingKeyFile, keyID: signingKeyID).sign(
            StaffClaims(username: "bench", roles: [.admin], sessionID: "bench", issuedAt: LayarClock.system.now, lifetime: StaffClaims.maximumLifetime)
        )
        try await address.withClient(bearerToken: token) { client in
            let assignment = Layar_V1_AssignmentService.Client(wrapping: client)
            for index in 1...count {
                _ = try await assignment.upsertCaseWorker(.with {
                    $0.id = String(format: "BENCH-%03d", index)
                    $0.name = "Pendamping uji beban \(index)"
                    $0.role = .pekerjaSosial
                    $0.kecamatanCodes = ["63.11.06"]
                    $0.capacity = capacity
                    $0.active = true
                })
            }
        }
        print("\(count) case workers with capacity \(capacity) cover Paringin")
    }
}
