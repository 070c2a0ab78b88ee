import Foundation
import Logging
import ServiceLifecycle

/// Anonymises referrals closed longer than the retention period, every `interval`: each batch
/// is a data-subject request of kind RETENTION, so every service anonymises the same referrals
/// (and intake keeps the record of it).
struct RetentionSweeper: Service {
    let store: IntakeStore
    let retention: Duration
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Opens retention requests until no referral is due (batches of 200).
    func sweep(now: Date = Date()) async {
        do {
            while let request = try await store.openRetentionRequest(closedBefore: now.addingTimeInterval(-retention.inSeconds), now: now) {
                logger.info("retention: \(request.referralIds.count) referral(s) anonymised", metadata: ["request": "\(request.requestID)"])
            }
        } catch {
            logger.warning("retention sweep failed, retrying at the next round: \(error)")
        }
    }
}
