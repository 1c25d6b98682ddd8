import Foundation

/// Why the TCP connection to vpcd failed.
public enum CardSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    case unresolvable(host: String, reason: String)
    case connectFailed(endpoint: String, errno: Int32)
    case closedByPeer
    case ioFailed(step: String, errno: Int32)

    public var description: String {
        switch self {
        case .unresolvable(let host, let reason): "cannot resolve vpcd host '\(host)': \(reason)"
        case .connectFailed(let endpoint, let code):
            "cannot connect to vpcd at \(endpoint): \(String(cString: strerror(code))) (is pcscd running with the vpcd driver on that port?)"
        case .closedByPeer: "vpcd closed the connection"
        case .ioFailed(let step, let code): "\(step) on the vpcd connection failed: \(String(cString: strerror(code)))"
        }
    }
}

/// A blocking TCP client socket tuned for vpcd: TCP_NODELAY, and TCP_QUICKACK re-armed before every
/// receive (vpcd sends length and payload in two writes; without QUICKACK each APDU waits ~44 ms for a
/// delayed ACK). Used only from the link's own thread.
final class CardSocket: @unchecked Sendable {
    let descriptor: Int32
    let endpoint: String

    private init(descriptor: Int32, endpoint: String) {
        self.descriptor = descriptor
        self.endpoint = endpoint
    }

    static func connect(host: String, port: UInt16, timeout: Duration) throws(CardSocketError) -> CardSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .unresolvable(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        let endpoint = "\(host):\(port)"
        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = errno; continue }
            // SO_SNDTIMEO bounds connect() and send() on Linux.
            var tv = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return CardSocket(descriptor: fd, endpoint: endpoint)
            }
            // A connect() cut short by SO_SNDTIMEO reports EINPROGRESS: say what it means.
            lastError = errno == EINPROGRESS || errno == EAGAIN ? ETIMEDOUT : errno
            close(fd)
        }
        throw .connectFailed(endpoint: endpoint, errno: lastError)
    }

    /// Receives some bytes into `buffer`; throws `.closedByPeer` at end of stream.
    func receive(into buffer: inout [UInt8]) throws(CardSocketError) -> Int {
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_QUICKACK, &one, socklen_t(MemoryLayout<Int32>.size))
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if n > 0 { return n }
            if n == 0 { throw .closedByPeer }
            if errno == EINTR { continue }
            throw .ioFailed(step: "receive", errno: errno)
        }
    }

    func send(_ bytes: [UInt8]) throws(CardSocketError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .ioFailed(step: "send", errno: errno)
            }
            sent += n
        }
    }

    /// Wakes a blocked `receive` on another thread (it then sees end of stream).
    func shutdownBothWays() { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }

    deinit { close(descriptor) }
}
