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
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                do {
                    cipher.update(try await store.load())
                } catch {
                    logger.warning("data keys not reloaded: \(error)")
                }
            }
        }
    }
}
