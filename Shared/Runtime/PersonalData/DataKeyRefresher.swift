import LayarJobs
import Logging
import ServiceLifecycle

/// Reloads the data keys every minute, so a key made by `rotate-data-key` (on any instance) is
/// known everywhere before it starts sealing, and values it seals open on every instance.
public struct DataKeyRefresher: Service {
    let store: DataKeyStore
    let cipher: PersonalDataCipher
    let logger: Logger
    var interval: Duration = .seconds(60)

    public init(store: DataKeyStore, cipher: PersonalDataCipher, logger: Logger) {
        self.store = store
        self.cipher = cipher
        self.logger = logger
    }

    public func run() async throws {
        // The keys were loaded at start: the first reload is one interval later.
        try await RecurringJob("data key reload", .every(interval, waitFirst: true), logger: logger) {
            cipher.update(try await store.load())
            return false
        }.run()
    }
}
