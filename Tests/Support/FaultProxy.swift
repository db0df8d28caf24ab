import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
    private let sockStream = Int32(SOCK_STREAM.rawValue)
    private let sendFlags = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
    import Darwin
    private let sockStream = SOCK_STREAM
    private let sendFlags: Int32 = 0  // Darwin: SO_NOSIGPIPE is set on each socket instead
#endif

/// An HTTP/1.1 proxy on loopback that injects, on demand, the network faults that leave the
/// outcome of a write unknown to the client: the answer lost, late or replaced, or the request
/// delivered after the client gave up. Tests then compare what the client concluded with what the
/// store really did. Blocking sockets, one thread and one request per connection, one fresh upstream
/// connection per request; nothing is logged, so no Authorization header can leak. Call `stop()`
/// when done: the accept thread keeps the proxy alive until then.
public final class FaultProxy: Sendable {
    public enum Fault: Sendable, Equatable {
        /// Forward and relay the answer.
        case pass
        /// Forward, read upstream's whole answer, then close the client connection without a byte:
        /// the store committed, the answer is lost.
        case dropAfterForward
        /// Forward, then send nothing for N s on an open connection, then relay the answer.
        case freeze(seconds: Double)
        /// Hold the request N s unforwarded (the client times out meanwhile), then forward it anyway.
        /// The client connection is closed without an answer once upstream has answered, even if the
        /// client is still waiting, so the outcome is the same whatever the client's timeout.
        case holdThenForward(seconds: Double)
        /// Hold the request unforwarded until the test calls `forwardHeld()`, then forward it; the
        /// client connection is closed without an answer. `holdThenForward` without a clock to race.
        case hold
        /// Forward, discard upstream's answer and answer `status` with an HTML page, as a real proxy does.
        case gatewayError(status: Int)
        /// Forward, discard upstream's answer and answer this instead (JSON): a confused cache, a
        /// sloppy store, an error page that echoes the request.
        case answerInstead(status: Int, json: String)
        /// Forward, then relay the answer one byte every `interval` seconds: a link that drips.
        case drip(interval: Double)
        /// Answer `status` (a bare page) at once, then forward the request `seconds` later anyway:
        /// a proxy that gives up on the client while it keeps the request in its queue.
        case answerThenForward(status: Int, seconds: Double)
        /// Answer `status` (a bare page) at once, then hold the request until the test calls
        /// `forwardHeld()` and forward it then: the same queue as `answerThenForward`, with no race
        /// between the client's look-up and the late delivery on a loaded machine.
        case answerThenHold(status: Int)
        /// Do not forward; answer 307 with this Location.
        case redirect(location: String)
        /// Close on accept without reading the request: it never reached upstream. The kernel had
        /// already completed the TCP handshake, so the client sees a reset, not ECONNREFUSED.
        case refuseConnection

        /// The key of this fault in `Stats.applied`: the case name, "freeze" for `.freeze(seconds: 2)`.
        public var name: String { String("\(self)".prefix { $0 != "(" }) }
    }

    /// Requests seen (their method read, so a fault chosen), sent upstream, answered in full by
    /// upstream, and upstream connections refused, timed out or cut short; `applied` per `Fault.name`.
    public struct Stats: Sendable, Equatable {
        public var seen = 0, forwarded = 0, answered = 0, upstreamErrors = 0
        public var applied: [String: Int] = [:]
    }

    public struct SocketError: Error, CustomStringConvertible {
        public let call: String
        public let code: Int32
        public var description: String { "FaultProxy: \(call) failed: \(String(cString: strerror(code)))" }
    }

    private struct Rule {
        var fault: Fault, remaining: Int, writesOnly: Bool
        func matches(write: Bool) -> Bool { write || !writesOnly }
    }

    private struct State {
        var queue: [Rule] = []
        var fallback = Rule(fault: .pass, remaining: .max, writesOnly: false)
        var stats = Stats()
        var open: Set<Int32> = []  // every client and upstream socket, so stop() can wake their threads
        var threads = 0  // the accept thread plus one per connection
        var unsettled = 0  // connections whose upstream exchange is not over yet
        var stopped = false
        var droppedParameters: Set<String> = []
        var heldMayGo = false  // set by forwardHeld(): requests held by answerThenHold go upstream
    }

    private let state = Mutex(State())
    private let listener: Int32
    private let host: String
    private let upstreamPort: Int
    private let upstreamTimeout: Double
    public let port: Int
    public var baseURL: String { "http://\(host):\(port)" }

    /// Listens on an ephemeral port of `host` (a numeric IPv4 address) and forwards to `host:upstreamPort`.
    /// `upstreamTimeout` bounds every upstream read and write, so a stuck upstream cannot hang a test.
    public init(upstreamPort: Int, host: String = "127.0.0.1", upstreamTimeout: Double = 30) throws {
        let fd = try Self.makeSocket()
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = try Self.address(host, port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && listen(fd, 256) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard bound else {
            let e = SocketError(call: "bind/listen", code: errno)
            close(fd)
            throw e
        }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        self.host = host
        self.upstreamPort = upstreamPort
        self.upstreamTimeout = upstreamTimeout
        state.withLock { $0.threads = 1 }
        Thread { [self] in acceptLoop() }.start()
    }

    /// Queues `fault` for the next `count` matching requests, first in first out. With `writesOnly`
    /// only writes (any method but GET, HEAD, OPTIONS) match, and reads go by the default.
    public func inject(_ fault: Fault, count: Int = 1, writesOnly: Bool = true) {
        guard count > 0 else { return }
        state.withLock { $0.queue.append(Rule(fault: fault, remaining: count, writesOnly: writesOnly)) }
    }

    /// Drops these query parameters from every request before it goes on: a
    /// store that ignores filters it does not know (`customer_email`, …).
    public func dropQueryParameters(_ names: Set<String>) {
        state.withLock { $0.droppedParameters = names }
    }

    /// Lets every request held by `hold` or `answerThenHold` (now or later) go upstream.
    public func forwardHeld() {
        state.withLock { $0.heldMayGo = true }
    }

    /// The fault for every request that no queued fault matches.
    public func setDefault(_ fault: Fault, writesOnly: Bool) {
        state.withLock { $0.fallback = Rule(fault: fault, remaining: .max, writesOnly: writesOnly) }
    }

    /// Empties the queue and makes the default `.pass` again; stats are kept.
    public func clear() {
        state.withLock {
            $0.queue = []
            $0.fallback = Rule(fault: .pass, remaining: .max, writesOnly: false)
        }
    }

    public var stats: Stats { state.withLock { $0.stats } }

    /// Waits until every accepted request has had its upstream exchange (held ones forwarded and
    /// answered), so that the store's truth is final before a test checks it. False on timeout.
    ///
    /// Waits on a thread of its own: a blocking wait on one of Swift's few cooperative threads
    /// would starve the in-process server that has to answer the requests being waited for.
    public func drain(timeout: Double) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.wait(timeout) { $0.unsettled == 0 }) }.start()
        }
    }

    /// Closes the listener and wakes every connection thread (held and frozen ones give up without
    /// forwarding or answering), then waits for them up to `timeout`. False if some outlived it.
    @discardableResult
    public func stop(timeout: Double = 3) -> Bool {
        let first = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.stopped = true
            for fd in s.open { shutdown(fd, Int32(SHUT_RDWR)) }
            return true
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }  // wakes accept(); the accept thread closes it
        return wait(timeout) { $0.threads == 0 }
    }

    // MARK: - Connections

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if state.withLock({ $0.stopped }) { break }
                if errno != EINTR && errno != ECONNABORTED { usleep(10_000) }  // e.g. EMFILE: back off
                continue
            }
            guard adopt(fd, connection: true) else {
                close(fd)
                break
            }
            Thread { [self] in
                serve(fd)
                state.withLock { $0.threads -= 1 }
            }.start()
        }
        close(listener)
        state.withLock { $0.threads -= 1 }
    }

    private func serve(_ client: Int32) {
        var settled = false
        func settle() {
            if !settled {
                settled = true
                state.withLock { $0.unsettled -= 1 }
            }
        }
        defer {
            settle()
            release(client)
        }
        Self.configure(client, timeout: 10)
        guard let method = peekMethod(client) else { return }
        let fault = choose(write: !["GET", "HEAD", "OPTIONS"].contains(method))
        if fault == .refuseConnection {
            var hard = linger(l_onoff: 1, l_linger: 0)  // reset, so no request byte is ever read
            setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, socklen_t(MemoryLayout<linger>.size))
            return
        }
        var reader = Reader(fd: client)
        let request: [UInt8]
        switch readRequest(&reader) {
        case .incomplete: return
        case .chunked:
            settle()
            _ = Self.sendAll(client, Self.page(501, note: "chunked request bodies are not supported\r\n"))
            return
        case .request(let bytes): request = Self.dropping(state.withLock { $0.droppedParameters }, from: bytes)
        }
        switch fault {
        case .redirect(let location):
            settle()
            _ = Self.sendAll(client, Self.page(307, headers: "Location: \(location)\r\n"))
        case .holdThenForward(let seconds):
            guard pause(seconds) else { return }
            _ = exchange(request, headOnly: method == "HEAD")
        case .answerThenForward(let status, let seconds):
            _ = Self.sendAll(client, Self.page(status))
            guard pause(seconds) else { return }
            _ = exchange(request, headOnly: method == "HEAD")
        case .hold:
            guard wait(60, until: { $0.heldMayGo || $0.stopped }), !state.withLock({ $0.stopped }) else { return }
            _ = exchange(request, headOnly: method == "HEAD")
        case .answerThenHold(let status):
            _ = Self.sendAll(client, Self.page(status))
            guard wait(60, until: { $0.heldMayGo || $0.stopped }), !state.withLock({ $0.stopped }) else { return }
            _ = exchange(request, headOnly: method == "HEAD")
        default:
            let answer = exchange(request, headOnly: method == "HEAD")
            settle()
            switch fault {
            case .dropAfterForward: return
            case .freeze(let seconds): guard pause(seconds) else { return }
            case .gatewayError(let status):
                _ = Self.sendAll(client, Self.page(status))
                return
            case .answerInstead(let status, let json):
                _ = Self.sendAll(
                    client,
                    Array(
                        ("HTTP/1.1 \(status) Substituted\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)").utf8))
                return
            case .drip(let interval):
                for byte in answer {
                    guard Self.sendAll(client, [byte]), pause(interval) else { return }
                }
                return
            default: break
            }
            _ = Self.sendAll(client, answer)
        }
    }

    /// The request with the named query parameters taken out of its request line.
    static func dropping(_ names: Set<String>, from request: [UInt8]) -> [UInt8] {
        guard !names.isEmpty, let end = request.firstIndex(of: UInt8(ascii: "\r")) else { return request }
        let line = String(decoding: request[..<end], as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, let mark = parts[1].firstIndex(of: "?") else { return request }
        let kept = parts[1][parts[1].index(after: mark)...].split(separator: "&").filter { item in
            let name = String(item.prefix { $0 != "=" })
            return !names.contains(name.removingPercentEncoding ?? name)
        }
        let target = String(parts[1][..<mark]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        return Array("\(parts[0]) \(target) \(parts[2])".utf8) + request[end...]
    }

    /// The method, peeked without consuming anything, so that refuseConnection can decide before reading.
    private func peekMethod(_ fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let deadline = Self.now() + 10
        while Self.now() < deadline, !state.withLock({ $0.stopped }) {
            let n = recv(fd, &bytes, bytes.count, Int32(MSG_PEEK))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            if let space = bytes[..<n].firstIndex(of: 32) { return String(decoding: bytes[..<space], as: UTF8.self) }
            if n == bytes.count { return nil }
            usleep(1_000)  // a partial method: wait for the rest
        }
        return nil
    }

    private func choose(write: Bool) -> Fault {
        state.withLock { s in
            s.stats.seen += 1
            var fault = Fault.pass
            if let i = s.queue.firstIndex(where: { $0.matches(write: write) }) {
                fault = s.queue[i].fault
                s.queue[i].remaining -= 1
                if s.queue[i].remaining == 0 { s.queue.remove(at: i) }
            } else if s.fallback.matches(write: write) {
                fault = s.fallback.fault
            }
            s.stats.applied[fault.name, default: 0] += 1
            return fault
        }
    }

    private enum Incoming {
        case request([UInt8])
        case chunked, incomplete
    }

    /// The request to forward. A chunked body is refused: the client under test sends Content-Length.
    /// Expect: 100-continue is answered here rather than forwarded, so upstream sends no interim answer.
    private func readRequest(_ reader: inout Reader) -> Incoming {
        guard let head = reader.head().map(Head.init) else { return .incomplete }
        if head["transfer-encoding"] != nil { return .chunked }
        guard let length = Int(head["content-length"] ?? "0"), length >= 0 else { return .incomplete }
        if head["expect"] != nil && length > reader.buffer.count {
            _ = Self.sendAll(reader.fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        guard let body = reader.take(length) else { return .incomplete }
        return .request(head.forwarded(dropping: ["expect"]) + body)
    }

    /// One request on a fresh upstream connection; its answer rewritten to close the client
    /// connection, or a gateway error page if upstream failed.
    private func exchange(_ request: [UInt8], headOnly: Bool) -> [UInt8] {
        guard let fd = try? Self.makeSocket() else { return failed(502) }
        defer { release(fd) }
        guard adopt(fd, connection: false) else { return failed(502) }
        Self.configure(fd, timeout: upstreamTimeout)
        guard var addr = try? Self.address(host, port: upstreamPort) else { return failed(502) }
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected, Self.sendAll(fd, request) else { return failed(502) }
        state.withLock { $0.stats.forwarded += 1 }
        var reader = Reader(fd: fd)
        while let head = reader.head().map(Head.init) {
            let status = Int(head.first.split(separator: " ").dropFirst().first ?? "") ?? 0
            if (100..<200).contains(status) { continue }  // an interim answer: the real one follows
            let length = head["transfer-encoding"] == nil ? head["content-length"].flatMap { Int($0) } : nil
            let none = headOnly || status == 204 || status == 304
            guard let body = none ? [] : length.map({ reader.take($0) }) ?? reader.rest() else { break }
            state.withLock { $0.stats.answered += 1 }
            return head.forwarded() + body
        }
        return failed(504)
    }

    private func failed(_ status: Int) -> [UInt8] {
        state.withLock { $0.stats.upstreamErrors += 1 }
        return Self.page(status)
    }

    /// Sleeps `seconds` in short steps; false as soon as the proxy is stopped.
    private func pause(_ seconds: Double) -> Bool {
        let end = Self.now() + seconds
        while Self.now() < end {
            if state.withLock({ $0.stopped }) { return false }
            usleep(UInt32(max(1_000, min(20_000, (end - Self.now()) * 1e6))))
        }
        return !state.withLock { $0.stopped }
    }

    /// Registers a socket so stop() can shut it down; false once stopped (the caller then gives up).
    private func adopt(_ fd: Int32, connection: Bool) -> Bool {
        state.withLock { s in
            guard !s.stopped else { return false }
            s.open.insert(fd)
            if connection {
                s.threads += 1
                s.unsettled += 1
            }
            return true
        }
    }

    /// Unregisters then closes, so stop() never shuts down a number the kernel has handed out again.
    private func release(_ fd: Int32) {
        state.withLock { _ = $0.open.remove(fd) }
        close(fd)
    }

    private func wait(_ timeout: Double, until done: (State) -> Bool) -> Bool {
        let deadline = Self.now() + timeout
        while !state.withLock({ done($0) }) {
            guard Self.now() < deadline else { return false }
            usleep(5_000)
        }
        return true
    }

    // MARK: - Bytes and sockets

    private struct Reader {
        let fd: Int32
        var buffer: [UInt8] = []
        var eof = false, failed = false

        /// Appends what the socket has; false at end of stream, on error or on timeout.
        mutating func fill() -> Bool {
            guard !eof && !failed else { return false }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var n = 0
            repeat { n = recv(fd, &chunk, chunk.count, 0) } while n < 0 && errno == EINTR
            if n > 0 { buffer += chunk[..<n] } else if n == 0 { eof = true } else { failed = true }
            return n > 0
        }

        /// The head up to the blank line (excluded), consumed with it; nil if none within 64 KiB.
        mutating func head() -> [UInt8]? {
            while true {
                if let end = buffer.firstRange(of: [13, 10, 13, 10]) {
                    defer { buffer.removeFirst(end.upperBound) }
                    return Array(buffer[..<end.lowerBound])
                }
                guard buffer.count < 65_536, fill() else { return nil }
            }
        }

        mutating func take(_ count: Int) -> [UInt8]? {
            while buffer.count < count { guard fill() else { return nil } }
            defer { buffer.removeFirst(count) }
            return Array(buffer[..<count])
        }

        /// Everything up to end of stream; nil if it ended in an error or a timeout instead.
        mutating func rest() -> [UInt8]? {
            while fill() {}
            return failed ? nil : buffer
        }
    }

    /// A message head kept as raw lines, so that what is forwarded stays byte-exact.
    private struct Head {
        let lines: [ArraySlice<UInt8>]
        init(_ bytes: [UInt8]) {
            lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { $0.last == 13 ? $0.dropLast() : $0 }
        }
        var first: String { String(decoding: lines[0], as: UTF8.self) }
        static func name(_ line: ArraySlice<UInt8>) -> String {
            String(decoding: line.prefix { $0 != 58 }, as: UTF8.self).lowercased()
        }
        /// The first value of a header, by case-insensitive name.
        subscript(name: String) -> String? {
            lines.dropFirst().first { Self.name($0) == name }.map {
                String(decoding: $0.drop { $0 != 58 }.dropFirst(), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            }
        }
        /// Without hop-by-hop headers and `dropping`, and with Connection: close, since both sides
        /// carry one message per connection.
        func forwarded(dropping: Set<String> = []) -> [UInt8] {
            let hop = dropping.union(["connection", "keep-alive", "proxy-connection"])
            return lines.enumerated().filter { $0.offset == 0 || !hop.contains(Self.name($0.element)) }
                .flatMap { Array($0.element) + [13, 10] } + Array("Connection: close\r\n\r\n".utf8)
        }
    }

    /// An answer of the proxy's own: an HTML page shaped like nginx's, so that clients meet the
    /// HTML a real gateway sends where they expect JSON.
    private static func page(_ status: Int, headers: String = "", note: String = "") -> [UInt8] {
        let reason =
            [
                307: "Temporary Redirect", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
                504: "Gateway Timeout",
            ][status] ?? "Error"
        let body =
            status == 307
            ? ""
            : "<html>\r\n<head><title>\(status) \(reason)</title></head>\r\n<body>\r\n"
                + "<center><h1>\(status) \(reason)</h1></center>\r\n\(note)<hr><center>faultproxy</center>\r\n</body>\r\n</html>\r\n"
        return Array(
            ("HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/html\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\(headers)\r\n\(body)").utf8)
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, sendFlags) }
            if n > 0 { sent += n } else if n == 0 || errno != EINTR { return false }
        }
        return true
    }

    private static func makeSocket() throws -> Int32 {
        let fd = socket(AF_INET, sockStream, 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        return fd
    }

    private static func address(_ host: String, port: Int) throws -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port)).bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw SocketError(call: "inet_pton \(host)", code: EINVAL) }
        return addr
    }

    /// Read and write timeouts, so that a silent peer costs a thread for a while, not forever.
    private static func configure(_ fd: Int32, timeout: Double) {
        var tv = timeval(tv_sec: .init(timeout), tv_usec: .init((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        #if canImport(Darwin)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    private static func now() -> Double { ProcessInfo.processInfo.systemUptime }
}
