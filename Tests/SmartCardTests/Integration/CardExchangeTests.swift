import PCSCSandbox
import SmartCard
import Testing

/// APDUs through the whole stack: Swift -> libpcsclite -> private pcscd -> vpcd -> reference card.
@Suite("Card exchanges through a private pcscd")
struct CardExchangeTests {
    static func selectByPath(_ fid: [UInt8]) throws -> CommandAPDU {
        try CommandAPDU(cla: 0, ins: 0xA4, p1: 0x08, p2: 0x0C, data: fid)
    }

    static let demoAID: [UInt8] = [0xD1, 0x56, 0x00, 0x00, 0x99] + Array("DEMO".utf8)

    @Test("the reader lists the card with its ATR, and a name fragment finds the reader")
    func listing() async throws {
        try await withReferenceCard { bench in
            let status = try #require(try await bench.context.readers().first { $0.name == bench.reader })
            #expect(status.hasCard)
            #expect(status.atr == bench.card.atr.bytes)
            let suffix = String(bench.reader.suffix(8))  // e.g. "3 00 01": unique within the sandbox
            #expect(try await bench.context.reader(matching: suffix).name == bench.reader)
            let connection = try await bench.connect()
            #expect(try await connection.atr == bench.card.atr.bytes)
            #expect(try await connection.cardProtocol == .t1)
            await connection.disconnect()
        }
    }

    @Test("61xx: the FCI of a SELECT without Le arrives whole through GET RESPONSE")
    func getResponse() async throws {
        try await withReferenceCard { bench in
            let trace = APDUTrace()
            let connection = try await bench.connect(trace: trace)
            let response = try await connection.send(try CommandAPDU(cla: 0, ins: 0xA4, p1: 0x04, p2: 0x00, data: Self.demoAID))
            #expect(response.statusWord == .success)
            #expect(response.data.first == 0x6F)  // FCI template
            #expect(response.data.count == Int(response.data[1]) + 2)
            #expect(trace.lines.contains { $0.hasPrefix("A>> T=1 (4+0001) 00C00000") })
            await connection.disconnect()
        }
    }

    @Test("6Cxx: a READ RECORD with a short Le is re-sent with the card's length")
    func wrongLe() async throws {
        try await withReferenceCard { bench in
            let connection = try await bench.connect()
            let record = Array(UInt8(1)...UInt8(16))
            #expect(try await connection.send(try Self.selectByPath([0x2F, 0x03])).statusWord == .success)
            #expect(try await connection.send(try CommandAPDU(cla: 0, ins: 0xE2, p1: 0, p2: 0, data: record)).statusWord == .success)
            let read = try await connection.send(try CommandAPDU(cla: 0, ins: 0xB2, p1: 1, p2: 0x04, ne: 4))
            #expect(read.statusWord == .success)
            #expect(read.data == record)
            await connection.disconnect()
        }
    }

    @Test("chaining and extended length carry 1000 bytes both ways", arguments: [false, true])
    func longData(extended: Bool) async throws {
        try await withReferenceCard { bench in
            let trace = APDUTrace()
            let connection = try await bench.connect(options: ChannelOptions(extendedLength: extended), trace: trace)
            let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            #expect(try await connection.send(try Self.selectByPath([0x2F, 0x02])).statusWord == .success)
            let write = try await connection.send(try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: data))
            #expect(write.statusWord == .success)
            var readBack: [UInt8] = []
            while readBack.count < data.count {
                let offset = readBack.count
                let chunk = try await connection.send(try CommandAPDU(
                    cla: 0, ins: 0xB0, p1: UInt8(offset >> 8), p2: UInt8(offset & 0xFF), ne: min(1000, data.count - offset)))
                #expect(chunk.statusWord == .success)
                readBack += chunk.data
            }
            #expect(readBack == data)
            let commandLines = trace.lines.filter { $0.hasPrefix("A>>") }
            if extended {
                #expect(commandLines.count == 3)  // SELECT, one UPDATE, one READ
            } else {
                #expect(commandLines.filter { $0.contains(" 10D60000 ") }.count == 3)  // 4 parts: 3 chained + last
                #expect(commandLines.count > 5)
            }
            await connection.disconnect()
        }
    }

    @Test("a forced status word reaches the caller with its ISO meaning")
    func forcedStatus() async throws {
        try await withReferenceCard { bench in
            let connection = try await bench.connect()
            bench.injectFaults(forcedStatus: 0x6982, at: 1)
            let refused = try await connection.send(try Self.selectByPath([0x2F, 0x01]))
            #expect(refused.statusWord == StatusWord(0x6982))
            #expect(refused.statusWord.meaning == "security status not satisfied")
            #expect(try await connection.send(try Self.selectByPath([0x2F, 0x01])).statusWord == .success)
            await connection.disconnect()
        }
    }
}
