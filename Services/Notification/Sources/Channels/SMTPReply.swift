import NIOCore

/// One reply of an SMTP server: its code and its text lines. A multi-line reply (`250-…` lines
/// ending with a `250 …` line, as EHLO answers) is one reply.
struct SMTPReply: Sendable, CustomStringConvertible {
    var code: Int
    var lines: [String]

    /// `code text`, the lines joined by ` / `, cut at 300 characters (for failure messages and logs).
    var description: String {
        let text = "\(code) " + lines.joined(separator: " / ")
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// The server broke the protocol: a reply line that is not `NNN`, `NNN-…` or `NNN …`, or one
/// longer than ``SMTPReplyDecoder/maximumLineLength``.
struct SMTPProtocolError: Error, CustomStringConvertible {
    var description: String
}

/// Turns the bytes of an SMTP server into ``SMTPReply`` values. Lines end with CRLF (a bare LF
/// is accepted); a line `NNN-text` continues the reply, `NNN text` or `NNN` ends it.
///
/// It also tells whether bytes of a next reply are waiting: after the 220 to STARTTLS nothing may
/// be, or a man in the middle could have injected plaintext replies the client would read as if
/// they came through TLS (RFC 3207, section 6).
final class SMTPReplyDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply

    /// RFC 5321 allows 512 octets per reply line; servers are given some room beyond it.
    static let maximumLineLength = 4096

    private var buffer = ByteBuffer()
    private var pending: (code: Int, lines: [String])?
    /// Replies passed on so far.
    private(set) var repliesDecoded = 0

    /// Whether part of a next reply has arrived.
    var hasPendingBytes: Bool { buffer.readableBytes > 0 || pending != nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let line = try nextLine() {
                if let reply = try append(line) {
                    repliesDecoded += 1
                    context.fireChannelRead(wrapInboundOut(reply))
                }
            }
            buffer.discardReadBytes()
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    private func nextLine() throws -> String? {
        guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPProtocolError(description: "a reply line longer than \(Self.maximumLineLength) bytes")
            }
            return nil
        }
        let length = end - buffer.readerIndex
        guard length <= Self.maximumLineLength, var bytes = buffer.readBytes(length: length + 1) else {
            throw SMTPProtocolError(description: "a reply line longer than \(Self.maximumLineLength) bytes")
        }
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Adds a line to the reply being read; returns the reply when this line ends it.
    private func append(_ line: String) throws -> SMTPReply? {
        let characters = Array(line.utf8)
        guard characters.count >= 3, characters.prefix(3).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let code = Int(String(decoding: characters.prefix(3), as: UTF8.self))
        else {
            throw SMTPProtocolError(description: "not an SMTP reply line: \(line.prefix(80))")
        }
        let separator = characters.count > 3 ? characters[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPProtocolError(description: "not an SMTP reply line: \(line.prefix(80))")
        }
        if let pending, pending.code != code {
            throw SMTPProtocolError(description: "a multi-line reply changed its code from \(pending.code) to \(code)")
        }
        let text = characters.count > 4 ? String(decoding: characters.dropFirst(4), as: UTF8.self) : ""
        var reply = pending ?? (code, [])
        reply.lines.append(text)
        if separator == UInt8(ascii: "-") {
            pending = reply
            return nil
        }
        pending = nil
        return SMTPReply(code: code, lines: reply.lines)
    }
}
