import Foundation

/// A card that speaks vpcd's wire protocol but answers whatever a test scripts: one-byte
/// answers, garbage, endless 61xx. It is a test peer for paths the reference card never takes.
final class RawVPCDCard: @unchecked Sendable {
    private let port: Int
    private let atr: [UInt8]
    private let answer: @Sendable ([UInt8]) -> [UInt8]
    private let lock = NSLock()
    /// The connection while it is open; -1 once the serving thread closed it.
    private var descriptor: Int32 = -1  // guarded by `lock`

    init(port: Int, atr: [UInt8] = [0x3B, 0x80, 0x80, 0x01, 0x01], answer: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        self.port = port
        self.atr = atr
        self.answer = answer
    }

    /// Connects to vpcd (retrying briefly) and serves it on a thread of its own.
    func start() throws {
        let deadline = Date().addingTimeInterval(5)
        while true {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            if connected {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                lock.withLock { descriptor = fd }
                let thread = Thread { [self] in serve(fd) }
                thread.start()
                return
            }
            close(fd)
            guard Date() < deadline else { throw POSIXError(.ECONNREFUSED) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Closes the connection: vpcd sees the card removed. Safe to call again, or after vpcd closed it.
    func stop() {
        lock.withLock {
            if descriptor >= 0 { shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    private func serve(_ fd: Int32) {
        // Closed under the lock `stop` shuts down under, and forgotten: once closed, the number is
        // reused by the next socket this process opens (a pcsc-lite context of another test), and a
        // later `stop` shutting that down broke a test elsewhere with SCARD_E_NO_SERVICE or
        // SCARD_F_COMM_ERROR.
        defer {
            lock.withLock {
                descriptor = -1
                close(fd)
            }
        }
        while let payload = readFrame(fd) {
            if payload.count == 1 {
                if payload[0] == 0x04 { guard writeFrame(fd, atr) else { return } }
                continue  // power off / on / reset need no answer
            }
            guard writeFrame(fd, answer(payload)) else { return }
        }
    }

    private func readFrame(_ fd: Int32) -> [UInt8]? {
        guard let header = readExactly(fd, 2) else { return nil }
        return readExactly(fd, Int(header[0]) << 8 | Int(header[1]))
    }

    private func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + received, count - received, 0) }
            if n <= 0 { return nil }
            received += n
        }
        return bytes
    }

    private func writeFrame(_ fd: Int32, _ payload: [UInt8]) -> Bool {
        let frame = [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
        return frame.withUnsafeBytes { send(fd, $0.baseAddress, frame.count, Int32(MSG_NOSIGNAL)) } == frame.count
    }
}
