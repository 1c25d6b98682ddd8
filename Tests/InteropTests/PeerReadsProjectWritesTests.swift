import CardEmulator
import Foundation
import SmartCard
import Testing
import TestPrograms

/// opensc-tool and pyscard read, through the same private pcscd, the bytes the Swift layer wrote.
@Suite("opensc-tool and pyscard read what the project wrote")
struct PeerReadsProjectWritesTests {
    static let written: [UInt8] = Array("PermitStation".utf8) + [0x00, 0xFF, 0x5A]

    /// Writes `written` at offset 0x20 of EF 2F01 through the Swift layer.
    static func writeThroughSwift(reader: String, context: PCSCContext) async throws {
        let card = try await context.connect(reader)
        #expect(try await card.send(try SmartCard.CommandAPDU(hex: "00A4080C022F01")).statusWord == .success)
        let update = try SmartCard.CommandAPDU(cla: 0, ins: 0xD6, p1: 0x00, p2: 0x20, data: written)
        #expect(try await card.send(update).statusWord == .success)
        await card.disconnect()
    }

    @Test("opensc-tool reads the bytes back")
    func openscTool() async throws {
        try Peers.require(Peers.openscTool, package: "opensc")
        try await withEmulatedCard { slot, _, context in
            try await Self.writeThroughSwift(reader: slot.readerName, context: context)
            let result = try await TestProgram.run(Peers.openscTool, ["-r", slot.readerName, "-s", "00A4080C022F01", "-s", "00B0002010"])
            #expect(result.status == 0, "\(result.output)\(result.errors)")
            let spaced = Self.written.map { [$0].hexString }.joined(separator: " ")
            #expect(result.output.contains(spaced), "\(result.output)")
        }
    }

    @Test("pyscard reads the bytes back")
    func pyscard() async throws {
        try Peers.require(Peers.python, package: "python3-pyscard")
        let script = """
            import sys
            from smartcard.System import readers
            reader = [r for r in readers() if str(r) == sys.argv[1]][0]
            connection = reader.createConnection()
            connection.connect()
            data, sw1, sw2 = connection.transmit([0x00, 0xA4, 0x08, 0x0C, 0x02, 0x2F, 0x01])
            data, sw1, sw2 = connection.transmit([0x00, 0xB0, 0x00, 0x20, 0x10])
            print("%s %02X%02X" % (bytes(data).hex().upper(), sw1, sw2))
            """
        try await withEmulatedCard { slot, card, context in
            try await Self.writeThroughSwift(reader: slot.readerName, context: context)
            let result = try await TestProgram.run(Peers.python, ["-c", script, slot.readerName])
            #expect(result.status == 0, "\(result.output)\(result.errors)")
            #expect(result.output.contains("\(Self.written.hexString) 9000"), "\(result.output)")
            guard case .transparent(let data)? = card.state.fileSystem[FilePath("3F00/2F01")!]?.content else {
                Issue.record("EF 2F01 is missing")
                return
            }
            #expect(Array(data[0x20..<(0x20 + Self.written.count)]) == Self.written)
        }
    }
}
