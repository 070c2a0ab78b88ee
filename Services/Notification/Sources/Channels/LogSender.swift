import Foundation
import Logging
import Synchronization

/// The development channel: appends each message as a JSON line to a file (or logs it), so a
/// local stack "sends" without any gateway.
final class LogSender: MessageSender {
    let path: String?
    let logger: Logger
    private let lock = Mutex(())

    init(path: String?, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func send(_ message: OutgoingMessage) async throws -> String {
        guard let path else {
            logger.info("notification \(message.id) to \(ChannelChoice.masked(message.to)): \(message.text)")
            return "log"
        }
        let line = try JSONSerialization.data(
            withJSONObject: ["id": message.id, "to": message.to, "subject": message.subject, "text": message.text],
            options: [.sortedKeys]
        ) + Data("\n".utf8)
        try lock.withLock { _ in
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        }
        return "log"
    }
}
