import Testing
@testable import SmartCard

/// The channel's ISO transport rules, run against replayed traces (no PC/SC involved).
@Suite("APDU channel over a replayed trace")
struct ChannelTests {
    private func channel(_ trace: String, options: ChannelOptions = ChannelOptions()) throws -> (APDUChannel, ReplayTransport) {
        let transport = ReplayTransport(try TraceReplay(text: trace))
        return (APDUChannel(transport: transport, options: options), transport)
    }

    @Test("61xx is collected with GET RESPONSE on the command's channel")
    func getResponse() throws {
        let (channel, transport) = try channel("""
            # reader: Replay 00 00
            # protocol: T=0
            A>> T=0 (4+0003) 01A40400 02 DF01
            A<< (0000+2) (0.10ms) 6104
            A>> T=0 (4+0001) 01C00000 04
            A<< (0004+2) (0.10ms) 01020304 6102
            A>> T=0 (4+0001) 01C00000 02
            A<< (0002+2) (0.10ms) 0506 9000
            """)
        let response = try channel.send(try CommandAPDU(cla: 0x01, ins: 0xA4, p1: 4, p2: 0, data: [0xDF, 0x01]))
        #expect(response.data == [1, 2, 3, 4, 5, 6])
        #expect(response.statusWord == .success)
        #expect(transport.isFinished)
        #expect(transport.readerName == "Replay 00 00")
    }

    @Test("6Cxx re-sends the same command with the corrected Le")
    func wrongLe() throws {
        let (channel, transport) = try channel("""
            A>> T=1 (4+0001) 00B20104 04
            A<< (0000+2) (0.10ms) 6C10
            A>> T=1 (4+0001) 00B20104 10
            A<< (0016+2) (0.10ms) 000102030405060708090A0B0C0D0E0F 9000
            """)
        let response = try channel.send(try CommandAPDU(cla: 0, ins: 0xB2, p1: 1, p2: 4, ne: 4))
        #expect(response.data == Array(0..<16))
        #expect(transport.isFinished)
    }

    @Test("data longer than the card takes is chained with CLA bit 10")
    func chaining() throws {
        let data = [UInt8](repeating: 0x5A, count: 10)
        let (channel, transport) = try channel("""
            A>> T=1 (4+0005) 10D60000 04 5A5A5A5A
            A<< (0000+2) (0.10ms) 9000
            A>> T=1 (4+0005) 10D60000 04 5A5A5A5A
            A<< (0000+2) (0.10ms) 9000
            A>> T=1 (4+0003) 00D60000 02 5A5A
            A<< (0000+2) (0.10ms) 9000
            """, options: ChannelOptions(maxShortData: 4))
        let response = try channel.send(try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: data))
        #expect(response.statusWord == .success)
        #expect(transport.isFinished)
    }

    @Test("a card that refuses a chain part ends the chain with its status word")
    func chainRefused() throws {
        let (channel, transport) = try channel("""
            A>> T=1 (4+0005) 10D60000 04 01020304
            A<< (0000+2) (0.10ms) 6884
            """, options: ChannelOptions(maxShortData: 4))
        let response = try channel.send(try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: [1, 2, 3, 4, 5]))
        #expect(response.statusWord == StatusWord(0x6884))
        #expect(transport.isFinished)
    }

    @Test("chaining switched off refuses long data before sending anything")
    func chainingOff() throws {
        let (channel, _) = try channel("", options: ChannelOptions(commandChaining: false, maxShortData: 4))
        #expect(throws: SmartCardError.commandTooLong(reader: "replay", count: 5, limit: 4)) {
            try channel.send(try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: [1, 2, 3, 4, 5]))
        }
    }

    @Test("extended length sends one APDU; without it Ne is capped at 256")
    func extendedLength() throws {
        let long = [UInt8](repeating: 0x11, count: 300)
        let (extended, transport) = try channel("""
            A>> T=1 (4+0305) 00D60000 00012C \(long.hexString) 0000
            A<< (0000+2) (0.10ms) 9000
            """, options: ChannelOptions(extendedLength: true))
        #expect(try extended.send(try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: long, ne: 65_536)).statusWord == .success)
        #expect(transport.isFinished)

        let (short, shortTransport) = try channel("""
            A>> T=1 (4+0001) 00B00000 00
            A<< (0256+2) (0.10ms) \([UInt8](repeating: 0x22, count: 256).hexString) 9000
            """)
        let answer = try short.send(try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: 1000))
        #expect(answer.data.count == 256)
        #expect(shortTransport.isFinished)
    }

    @Test("a response shorter than two bytes is a clear error naming the reader")
    func shortResponse() throws {
        let (channel, _) = try channel("""
            # reader: Odd Reader 00 00
            A>> T=1 (4+0000) 00840000 08
            A<< (0000+1) (0.10ms) 90
            """)
        let error = #expect(throws: SmartCardError.self) { try channel.send(try CommandAPDU(cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8)) }
        #expect(error == .malformedResponse(reader: "Odd Reader 00 00", step: .transmit, problem: .responseTooShort(count: 1)))
        #expect(error?.description.contains("Odd Reader 00 00") == true)
    }

    @Test("a card that announces more data forever is stopped")
    func endlessResponse() throws {
        let rounds = 3
        var trace = "A>> T=1 (4+0000) 00CA0000\nA<< (0000+2) (0.10ms) 6101\n"
        for _ in 0..<rounds { trace += "A>> T=1 (4+0001) 00C00000 01\nA<< (0001+2) (0.10ms) 00 6101\n" }
        let (channel, _) = try channel(trace, options: ChannelOptions(maxResponseRounds: rounds))
        #expect(throws: SmartCardError.endlessResponse(reader: "replay", rounds: rounds)) {
            try channel.send(try CommandAPDU(cla: 0, ins: 0xCA, p1: 0, p2: 0))
        }
    }

    @Test("GET RESPONSE class keeps the logical channel and drops chaining and SM bits", arguments: [
        (UInt8(0x00), UInt8(0x00)), (0x13, 0x03), (0x0C, 0x00), (0x45, 0x45), (0x7F, 0x4F), (0x80, 0x00), (0x84, 0x00),
    ])
    func getResponseClass(cla: UInt8, expected: UInt8) {
        #expect(APDUChannel.getResponseClass(for: cla) == expected)
    }
}
