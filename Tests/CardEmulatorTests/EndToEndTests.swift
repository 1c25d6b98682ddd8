import CardEmulator
import Foundation
import PCSCSandbox
import SmartCard
import Testing

/// The emulator through the real pcsc-lite stack. Serialized: several tests pull cards and one restarts pcscd.
@Suite("The emulator behind the real vpcd", .serialized)
struct EndToEndTests {
    @Test("bytes written through PC/SC survive pulling the card and restarting the emulator")
    func persistence() async throws {
        let store = CardStateStore(path: temporaryDirectory() + "/card.json")
        let first = try EmulatedCard(store: store, initial: .demo())
        try await withPluggedCard(first) { plugged in
            #expect(plugged.card.atr.bytes == (try await plugged.client.context.readers().first { $0.name == plugged.reader })?.atr)
            let connection = try await plugged.client.connect()
            #expect(try await plugged.client.send(connection, "00A4000C022F01").statusWord == .success)
            #expect(try await plugged.client.send(connection, "00D600000548656C6C6F").statusWord == .success)
            await connection.disconnect()
            plugged.link.remove()
            try await plugged.link.waitUntilRemoved()
            try await plugged.client.waitForReader(hasCard: false)
            plugged.link.insert()
            try await plugged.client.waitUntilAnswering()
            let again = try await plugged.client.connect()
            #expect(try await plugged.client.send(again, "00B0000005").statusWord.value == 0x6986, "power-on forgot the selection")
            #expect(try await plugged.client.send(again, "00B0810005").data == Array("Hello".utf8))
            await again.disconnect()
        }
        let restarted = try EmulatedCard(store: store, initial: CardState())
        try await withPluggedCard(restarted) { plugged in
            let connection = try await plugged.client.connect()
            #expect(try await plugged.client.send(connection, "00B0810005").data == Array("Hello".utf8))
            await connection.disconnect()
        }
    }

    @Test("pulled before APDU 2: the write never happens and the terminal sees an error")
    func removeBefore() async throws {
        try await withPluggedCard { plugged in
            let connection = try await plugged.client.connect()
            plugged.link.setFaultPlan(FaultPlan(removal: .beforeAPDU(2)))
            #expect(try await plugged.client.send(connection, "00A4000C022F01").statusWord == .success)
            await #expect(throws: (any Error).self) { try await plugged.client.send(connection, "00D6000002AABB") }
            try await plugged.link.waitUntilRemoved()
            #expect(plugged.card.state == CardState.demo())
            try await plugged.client.waitForReader(hasCard: false)
            plugged.link.insert()
            try await plugged.client.waitUntilAnswering()
            let again = try await plugged.client.connect()
            #expect(try await plugged.client.send(again, "00B0810002").data == [0, 0])
            await again.disconnect()
        }
    }

    @Test("pulled after APDU 2: the write is kept although the terminal never got the answer; the card comes back by itself")
    func removeAfter() async throws {
        try await withPluggedCard { plugged in
            let connection = try await plugged.client.connect()
            plugged.link.setFaultPlan(FaultPlan(removal: .afterAPDU(2), reinsertAfter: .milliseconds(800)))
            #expect(try await plugged.client.send(connection, "00A4000C022F01").statusWord == .success)
            await #expect(throws: (any Error).self) { try await plugged.client.send(connection, "00D6000002AABB") }
            guard case .transparent(let data)? = plugged.card.state.fileSystem[FilePath("3F00/2F01")!]?.content else {
                Issue.record("2F01 is not transparent any more")
                return
            }
            #expect(data.prefix(2) == [0xAA, 0xBB])
            try await plugged.waitForInsertions(2)
            try await plugged.client.waitUntilAnswering()
            let again = try await plugged.client.connect()
            #expect(try await plugged.client.send(again, "00B0810002").data == [0xAA, 0xBB])
            await again.disconnect()
        }
    }

    @Test("a forced status word answers APDU 2 instead of the card, which executes nothing; latency changes no answer")
    func forcedStatusAndLatency() async throws {
        try await withPluggedCard { plugged in
            let connection = try await plugged.client.connect()
            plugged.link.setFaultPlan(FaultPlan(latency: .milliseconds(5), forcedStatus: CardEmulator.StatusWord(0x6F00), forcedStatusAt: 2))
            #expect(try await plugged.client.send(connection, "00A4000C022F01").statusWord == .success)
            #expect(try await plugged.client.send(connection, "00D6000002AABB").statusWord.value == 0x6F00)
            #expect(try await plugged.client.send(connection, "00B0000002").data == [0, 0])
            #expect(plugged.link.faults.apduCount == 3)
            await connection.disconnect()
        }
    }

    @Test("with no vpcd to reach, the link gives up after its retry limit")
    func givesUp() async throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        // Bound but not listening: connections to this port are refused for the whole test.
        let port = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> UInt16 in
                _ = bind(descriptor, raw, length)
                _ = getsockname(descriptor, raw, &length)
                return UInt16(bigEndian: pointer.pointee.sin_port)
            }
        }
        let link = VPCDLink(card: EmulatedCard(state: .demo()), configuration: .init(
            host: "127.0.0.1", port: port, retryInterval: .milliseconds(20), retryLimit: .milliseconds(200)))
        link.start()
        await #expect(throws: VPCDLinkError.self) { try await link.waitUntilConnected(timeout: .seconds(10)) }
        guard case .failed(let reason) = link.state else {
            Issue.record("link state is \(link.state), expected failed")
            return
        }
        #expect(reason.contains("127.0.0.1:\(port)"))
        try await link.stop()
    }
}
