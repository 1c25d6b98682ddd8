import CardEmulator
import Foundation
import Testing
import TestPrograms

/// Programs not written here (OpenSC's opensc-tool, pyscard) talk to the emulator through the same pcscd.
@Suite("Interop with opensc-tool and pyscard")
struct InteropTests {
    @Test("opensc-tool writes bytes and reads them back; the card holds them")
    func openscTool() async throws {
        try await withPluggedCard { plugged in
            let result = try await TestProgram.run("/usr/bin/opensc-tool", [
                "-r", plugged.reader, "-s", "00A4000C022F01", "-s", "00D6001003ABCDEF", "-s", "00B0001003",
            ])
            #expect(result.status == 0, "\(result.output)\(result.errors)")
            #expect(result.output.contains("AB CD EF"), "\(result.output)")
            guard case .transparent(let data)? = plugged.card.state.fileSystem[FilePath("3F00/2F01")!]?.content else {
                Issue.record("2F01 is missing")
                return
            }
            #expect(data[16..<19] == [0xAB, 0xCD, 0xEF])
        }
    }

    @Test("pyscard appends a record and reads it back; the card holds it")
    func pyscard() async throws {
        let script = """
            import sys
            from smartcard.System import readers
            reader = [r for r in readers() if str(r) == sys.argv[1]][0]
            connection = reader.createConnection()
            connection.connect()
            record = list(range(16))
            data, sw1, sw2 = connection.transmit([0x00, 0xE2, 0x00, 0x18, 16] + record)
            print("append %02X%02X" % (sw1, sw2))
            data, sw1, sw2 = connection.transmit([0x00, 0xB2, 0x01, 0x1C, 0x00])
            print("read %s %02X%02X" % (bytes(data).hex(), sw1, sw2))
            """
        try await withPluggedCard { plugged in
            let result = try await TestProgram.run("/usr/bin/python3", ["-c", script, plugged.reader])
            #expect(result.status == 0, "\(result.output)\(result.errors)")
            #expect(result.output.contains("append 9000"), "\(result.output)")
            #expect(result.output.contains("read 000102030405060708090a0b0c0d0e0f 9000"), "\(result.output)")
            guard case .records(let file)? = plugged.card.state.fileSystem[FilePath("3F00/2F03")!]?.content else {
                Issue.record("2F03 is missing")
                return
            }
            #expect(file.records == [Array(0...15)])
        }
    }
}
