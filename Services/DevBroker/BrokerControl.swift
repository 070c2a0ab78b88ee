import Foundation
import LayarKafka
#if canImport(Glibc)
import Glibc
#endif

/// The dev broker's fault-injection interface, for fault tests: one command per line on a
/// loopback TCP port, answered `ok` or `error: <why>`.
///
///     broker <id> down | up          take a broker down (connections refused) or back up
///     latency <id> <milliseconds>    add round-trip latency to a broker
///     errors <api> <code> [count]    fail the next <count> requests of produce, fetch, commit or
///                                    offset-fetch with Kafka error <code> (e.g. 7 REQUEST_TIMED_OUT)
struct BrokerControl {
    let cluster: KafkaMockCluster

    func execute(_ line: String) -> String {
        let words = line.split(separator: " ").map(String.init)
        do {
            switch words.first {
            case "broker" where words.count == 3 && ["up", "down"].contains(words[2]):
                try cluster.setBroker(try number(words[1]), up: words[2] == "up")
            case "latency" where words.count == 3:
                try cluster.setBrokerLatency(try number(words[1]), milliseconds: Int(try number(words[2])))
            case "errors" where words.count == 3 || words.count == 4:
                let api: KafkaMockCluster.API = switch words[1] {
                case "produce": .produce
                case "fetch": .fetch
                case "commit": .offsetCommit
                case "offset-fetch": .offsetFetch
                default: throw ControlError("unknown api \(words[1])")
                }
                let count = words.count == 4 ? Int(try number(words[3])) : 1
                cluster.pushRequestErrors(api: api, Array(repeating: try number(words[2]), count: count))
            default:
                throw ControlError("unknown command: \(line)")
            }
            return "ok"
        } catch {
            return "error: \(error)"
        }
    }

    private func number(_ text: String) throws -> Int32 {
        guard let value = Int32(text), value >= 0 else { throw ControlError("not a number: \(text)") }
        return value
    }

    struct ControlError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Serves the interface on 127.0.0.1:`port` (0: any free port) on a thread of its own;
    /// returns the port.
    func serve(port: Int) throws -> Int {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ControlError("socket failed") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw ControlError("cannot listen on 127.0.0.1:\(port)") }
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { continue }
                handle(connection)
                close(connection)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func handle(_ connection: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            pending += buffer[..<count]
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                pending.removeSubrange(...newline)
                guard !line.isEmpty else { continue }
                let reply = Array((execute(line) + "\n").utf8)
                _ = send(connection, reply, reply.count, Int32(MSG_NOSIGNAL))
            }
        }
    }
}
