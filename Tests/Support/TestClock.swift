import Foundation
import LayarDomain
import Synchronization

/// A clock a test moves by hand. A test builds one and hands its ``clock`` to every component it
/// calls (stores, handlers, APIs, the cipher, the outbox), so they all agree on "now" and nothing
/// depends on the day the suite runs.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    /// Starts at the real now, in whole seconds: for tests whose outcome must not depend on the
    /// instant, only on every component agreeing on it. Whole seconds because PostgreSQL keeps
    /// microseconds: an instant with more digits comes back from a `timestamptz` column rounded,
    /// and a key announced "from now + 300 s" would become usable a fraction of a microsecond late.
    public convenience init() {
        self.init(Date(timeIntervalSince1970: LayarClock.system.now.timeIntervalSince1970.rounded(.down)))
    }

    /// Starts at `hour`:`minute` WITA on `date` in Balangan (a weekday, a night, a holiday...).
    public convenience init(_ date: CivilDate, hour: Int, minute: Int = 0) {
        self.init(date.startInBalangan.addingTimeInterval(Double(hour * 3600 + minute * 60)))
    }

    /// The instant it shows.
    public var now: Date { current.withLock { $0 } }

    /// The ``LayarClock`` to give to the code under test.
    public var clock: LayarClock { LayarClock { [self] in now } }

    public func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ instant: Date) {
        current.withLock { $0 = instant }
    }
}
