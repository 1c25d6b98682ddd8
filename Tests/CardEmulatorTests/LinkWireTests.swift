import CardEmulator
import Foundation
import Testing

/// The link's side of the vpcd protocol, checked against a stand-in vpcd (a loopback TCP listener this
/// test controls), so the exact frames, a vanished vpcd and a closed connection can be observed.
@Suite("vpcd link on the wire")
struct LinkWireTests {
    @Test("control frames, APDUs, split frames, vpcd going away and a fault removal")
    func wire() async throws {
        let vpcd = try StandInVPCD()
        let card = EmulatedCard(state: .demo())
        let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: vpcd.port, retryInterval: .milliseconds(20)))
        link.start()
        var connection = try await vpcd.accept()
        try await link.waitUntilConnected()
        try connection.send([0x01])
        try connection.send([0x04])
        #expect(try await connection.receive() == card.atr.bytes)
        #expect(card.isPoweredOn)
        try connection.send(Hex.decode("00A4000C022F01")!, split: true)
        #expect(try await connection.receive() == [0x90, 0x00])
        try connection.send([0x02])                       // reset: no reply, selection forgotten
        try connection.send(Hex.decode("00B0000002")!)
        #expect(try await connection.receive() == [0x69, 0x86])

        connection.close()                                 // vpcd goes away: the link comes back
        connection = try await vpcd.accept()
        try await link.waitUntilConnected()
        #expect(link.insertionCount == 2)
        try connection.send([0x04])
        #expect(try await connection.receive() == card.atr.bytes)

        link.setFaultPlan(FaultPlan(removal: .beforeAPDU(2)))
        try connection.send(Hex.decode("00A4000C023F00")!)
        #expect(try await connection.receive() == [0x90, 0x00])
        try connection.send(Hex.decode("00A4000C022F01")!)
        #expect(try await connection.receive() == nil, "pulled: the connection closes without an answer")
        try await link.waitUntilRemoved()
        #expect(card.isPoweredOn == false)
        link.insert()
        connection = try await vpcd.accept()
        try await link.waitUntilConnected()
        #expect(link.insertionCount == 3)
        try await link.stop()
        #expect(try await connection.receive() == nil, "stopping closes the connection")
        #expect(link.state == .stopped)
    }
}

/// A loopback TCP listener standing in for vpcd. Blocking calls run on their own threads.
final class StandInVPCD: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = self.listener
        port = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> UInt16 in
                _ = bind(listener, raw, length)
                _ = getsockname(listener, raw, &length)
                return UInt16(bigEndian: pointer.pointee.sin_port)
            }
        }
        guard Glibc.listen(listener, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    deinit { close(listener) }

    /// The next connection from the card (fails after `timeout`).
    func accept(timeout: Duration = .seconds(5)) async throws -> Connection {
        let listener = self.listener
        let fd = try await onThread { () throws -> Int32 in
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, Int32(timeout.components.seconds * 1000)) == 1 else { throw POSIXError(.ETIMEDOUT) }
            return Glibc.accept(listener, nil, nil)
        }
        return Connection(descriptor: fd)
    }

    struct Connection: Sendable {
        let descriptor: Int32

        func send(_ payload: [UInt8], split: Bool = false) throws {
            let frame = VPCDFrameDecoder.encode(payload)
            let parts = split ? [Array(frame.prefix(1)), Array(frame.dropFirst())] : [frame]
            for part in parts {
                guard Glibc.send(descriptor, part, part.count, Int32(MSG_NOSIGNAL)) == part.count else { throw POSIXError(.EPIPE) }
                if split { usleep(20_000) }
            }
        }

        /// The next payload from the card; nil when the card closed the connection.
        func receive(timeout: Duration = .seconds(5)) async throws -> [UInt8]? {
            let descriptor = self.descriptor
            return try await onThread { () throws -> [UInt8]? in
                var decoder = VPCDFrameDecoder()
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    if let payload = decoder.nextPayload() { return payload }
                    var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    guard poll(&pfd, 1, Int32(timeout.components.seconds * 1000)) == 1 else { throw POSIXError(.ETIMEDOUT) }
                    let n = recv(descriptor, &buffer, buffer.count, 0)
                    if n <= 0 { return nil }
                    decoder.append(buffer[0..<n])
                }
            }
        }

        func close() { Glibc.close(descriptor) }
    }
}

/// Runs blocking work on a thread of its own, so the cooperative pool never waits on a socket.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
