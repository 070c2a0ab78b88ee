import Foundation
import LayarPostgres
import LayarRuntime
import LayarSchema
import LayarTestSupport
import Testing

/// The fault suite's auditor: reads every service's own schema (with the service's own role)
/// once the system is quiet, and checks the referrals and the books.
extension FaultSuiteTests {
    static func audit(_ submitted: [Submitted], services: ServiceProcesses, counters: Counters) async throws {
        var pools: [String: PostgresPool] = [:]
        for name in ServiceProcesses.names {
            pools[name] = PostgresPool(
                configuration: .init(connectionString: try TestEnvironment.serviceDatabaseURL(name)), logger: TestEnvironment.logger
            )
        }
        do {
            try await audit(submitted, pools: pools, services: services, counters: counters)
        } catch {
            for pool in pools.values { await pool.close() }
            throw error
        }
        for pool in pools.values { await pool.close() }
    }

    private static func audit(
        _ submitted: [Submitted], pools: [String: PostgresPool], services: ServiceProcesses, counters: Counters
    ) async throws {
        let ids = PostgresTextArray(submitted.map(\.referralID))
        let intake = try #require(pools["intake"])
        let assignment = try #require(pools["assignment"])
        let notification = try #require(pools["notification"])
        var lost: [String] = []
        var duplicates: [String] = []

        // Quiet: every referral verified (and assigned when a case worker had room), every outbox
        // empty, no message waiting for the dispatcher (a send retried after an injected gateway
        // error publishes its NotificationDelivered late), every published event applied — seen
        // twice in a row, a second apart, so that nothing was in flight between the two looks.
        let deadline = ContinuousClock.now + .seconds(240)
        var waiting = Int.max
        var unpublished = Int.max
        var undispatched = Int.max
        var quietLooks = 0
        while ContinuousClock.now < deadline {
            waiting = try #require(try await intake.query(
                "SELECT count(*) AS n FROM referrals WHERE id = ANY($1::uuid[]) AND status NOT IN (2, 4)", [ids]
            ).first).decode(Int.self, "n")
            unpublished = 0
            for pool in pools.values {
                let row = try #require(try await pool.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL").first)
                unpublished += try row.decode(Int.self, "n")
            }
            let cases = try #require(try await assignment.query(
                "SELECT count(*) AS n FROM cases WHERE referral_id = ANY($1::uuid[])", [ids]
            ).first).decode(Int.self, "n")
            undispatched = try #require(try await notification.query(
                "SELECT count(*) AS n FROM messages WHERE status = $1 AND channel IN (1, 2, 3, 5)",
                [Layar_V1_DeliveryStatus.pending.rawValue]
            ).first).decode(Int.self, "n")
            if waiting == 0 && unpublished == 0 && undispatched == 0 && cases == submitted.count,
               try await unapplied(pools: pools).missing.isEmpty {
                quietLooks += 1
                if quietLooks == 2 { break }
            } else {
                quietLooks = 0
            }
            try await Task.sleep(for: .seconds(1))
        }
        if waiting > 0 { lost.append("\(waiting) referrals never reached VERIFIED or ASSIGNED") }
        if undispatched > 0 { lost.append("notification: \(undispatched) messages never dispatched") }
        if unpublished > 0 { lost.append("\(unpublished) outbox rows never published") }

        // Every referral once in each service that keeps one.
        let perService: [(String, StaticString, String)] = [
            ("intake", "SELECT count(*) AS n FROM referrals WHERE id = ANY($1::uuid[])", "referrals"),
            ("verification", "SELECT count(*) AS n FROM verifications WHERE referral_id = ANY($1::uuid[])", "verifications"),
            ("assignment", "SELECT count(*) AS n FROM cases WHERE referral_id = ANY($1::uuid[])", "cases"),
            ("survey", "SELECT count(*) AS n FROM referral_facts WHERE referral_id = ANY($1::uuid[])", "referral facts"),
        ]
        for (service, sql, what) in perService {
            let pool = try #require(pools[service])
            let count = try #require(try await pool.query(sql, [ids]).first).decode(Int.self, "n")
            if count < submitted.count { lost.append("\(service): \(submitted.count - count) \(what) missing") }
            if count > submitted.count { duplicates.append("\(service): \(count - submitted.count) extra \(what)") }
        }
        let applicantMessages = try #require(try await notification.query(
            "SELECT count(DISTINCT referral_id) AS n FROM messages WHERE referral_id = ANY($1::uuid[]) AND event_type = $2",
            [ids, Layar_V1_ReferralSubmitted.eventType]
        ).first).decode(Int.self, "n")
        if applicantMessages < submitted.count { lost.append("notification: \(submitted.count - applicantMessages) referrals without their receipt message") }

        // Effects that a twice-applied event would double.
        let doubledSteps = try #require(try await intake.query(
            """
            SELECT count(*) AS n FROM (SELECT referral_id, status FROM timeline WHERE referral_id = ANY($1::uuid[])
            GROUP BY referral_id, status HAVING count(*) > 1) doubled
            """, [ids]).first).decode(Int.self, "n")
        if doubledSteps > 0 { duplicates.append("intake: \(doubledSteps) timeline steps recorded twice") }
        let wrongLoads = try #require(try await assignment.query(
            """
            SELECT count(*) AS n FROM case_workers w WHERE w.open_cases <> (SELECT count(*) FROM cases c
            WHERE c.case_worker_id = w.id AND c.status NOT IN ('completed', 'closed', 'withdrawn'))
            """).first).decode(Int.self, "n")
        if wrongLoads > 0 { duplicates.append("assignment: \(wrongLoads) case workers' open-case counters are off") }

        // Inboxes: no event twice; every published event in the inbox of each consumer that handles its type.
        for (service, pool) in pools {
            let twice = try #require(try await pool.query(
                "SELECT count(*) AS n FROM (SELECT 1 FROM inbox GROUP BY consumer, event_id HAVING count(*) > 1) twice"
            ).first).decode(Int.self, "n")
            if twice > 0 { duplicates.append("\(service): \(twice) events in the inbox twice") }
        }
        let accounting = try await unapplied(pools: pools)
        lost += accounting.missing
        let (published, consumedEvents) = (accounting.published, accounting.applied)

        // Sends: the same idempotency key twice is a re-send after a crash between send and record
        // (the gateway absorbs it); the database allows one message per (event, audience, channel).
        let sentLines = services.sentNotifications.split(separator: "\n")
        let sentKeys = sentLines.compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
        let resentWithSameKey = sentKeys.count - Set(sentKeys).count

        let faults = counters.snapshot
        let injected = faults.filter { $0.key != "submission retries" }.values.reduce(0, +)
        print("""
            [audit] referrals \(submitted.count); faults injected \(injected): \
            \(faults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            [audit] events published \(published), applied \(consumedEvents); \
            messages sent \(Set(sentKeys).count) (re-sent with the same key after a crash: \(resentWithSameKey))
            [audit] lost found \(lost.count), duplicates found \(duplicates.count)
            """)
        for line in lost + duplicates { print("[audit]   \(line)") }
        #expect(lost.isEmpty, "lost: \(lost)")
        #expect(duplicates.isEmpty, "duplicates: \(duplicates)")
        #expect(injected >= 3, "the run was too short to inject faults")
    }
}

extension FaultSuiteTests {
    /// Published events some consumer that handles their type has not applied (yet), with the
    /// totals published and applied.
    static func unapplied(pools: [String: PostgresPool]) async throws -> (missing: [String], published: Int, applied: Int) {
        var published: [String: Set<String>] = [:]  // event type -> event ids
        for pool in pools.values {
            for row in try await pool.query("SELECT event_id::text AS id, event_type FROM outbox") {
                published[try row.decode(String.self, "event_type"), default: []].insert(try row.decode(String.self, "id"))
            }
        }
        var missing: [String] = []
        var applied = 0
        for pool in pools.values {
            var handled: [String: [String: Set<String>]] = [:]  // consumer -> type -> ids
            for row in try await pool.query("SELECT consumer, event_id, event_type FROM inbox") {
                handled[try row.decode(String.self, "consumer"), default: [:]][try row.decode(String.self, "event_type"), default: []]
                    .insert(try row.decode(String.self, "event_id"))
                applied += 1
            }
            for (consumer, types) in handled {
                for (type, seen) in types {
                    let absent = published[type, default: []].subtracting(seen)
                    if !absent.isEmpty { missing.append("\(consumer): \(absent.count) \(type) events never applied") }
                }
            }
        }
        return (missing.sorted(), published.values.map(\.count).reduce(0, +), applied)
    }
}

/// A client of the dev broker's control interface (one command per connection).
enum BrokerControlClient {
    static func send(_ command: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure("dev broker control not reachable on \(port)") }
        let line = Array((command + "\n").utf8)
        _ = Glibc.send(fd, line, line.count, Int32(MSG_NOSIGNAL))
        var buffer = [UInt8](repeating: 0, count: 512)
        var reply: [UInt8] = []
        while !reply.contains(10) {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            reply += buffer[..<count]
        }
        return String(decoding: reply, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
