import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 standing in for an outside gateway (SP4N-LAPOR!, SMS,
/// mail): it records every request and answers each with what `respond` returns, so tests can
/// script successes, server errors and refusals.
public final class LocalHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(String, String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// Answer only after this long (a slow or hanging gateway).
        public var delay: Duration

        public init(status: Int, body: String = "", delay: Duration = .zero) {
            self.status = status
            self.body = body
            self.delay = delay
        }
    }

    /// The requests received, shared with the connection handlers.
    final class Log: Sendable {
        let requests = Mutex<[Request]>([])
    }

    private let channel: any Channel
    private let log = Log()
    public let port: Int

    /// Starts the server; `respond` gets each request and its number (0 for the first).
    public init(respond: @escaping @Sendable (Request, Int) -> Response) async throws {
        let log = self.log
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(log: log, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] { log.requests.withLock { $0 } }

    public func stop() async throws {
        try await channel.close()
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let log: Log
        let respond: @Sendable (Request, Int) -> Response
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(log: Log, respond: @escaping @Sendable (Request, Int) -> Response) {
            self.log = log
            self.respond = respond
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue, path: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body
                )
                let index = log.requests.withLock { requests in
                    requests.append(request)
                    return requests.count - 1
                }
                let response = respond(request, index)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(response.body.utf8.count))
                let status = HTTPResponseStatus(statusCode: response.status)
                let responseHead = HTTPResponseHead(version: head.version, status: status, headers: headers)
                let write = { [self] in
                    context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                if response.delay == .zero {
                    write()
                } else {
                    let nanoseconds = response.delay.components.seconds * 1_000_000_000
                        + response.delay.components.attoseconds / 1_000_000_000
                    context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) { write() }
                }
            }
        }
    }
}
