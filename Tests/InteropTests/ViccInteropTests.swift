import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms

/// The Swift layer against vsmartcard's own ISO 7816 card emulator (`vicc`), code not written here.
@Suite("Swift layer with vsmartcard's vicc")
struct ViccInteropTests {
    /// Debian's vicc imports `Crypto` (PyCrypto); pycryptodome installs it as `Cryptodome`.
    static func cryptoShim() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("permitstation-vicc-shim/Crypto")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            import importlib, sys
            import Cryptodome
            for name in ("Cipher", "Hash", "Util", "PublicKey", "Random", "Signature", "Protocol"):
                sys.modules["Crypto." + name] = importlib.import_module("Cryptodome." + name)
            """.write(to: directory.appendingPathComponent("__init__.py"), atomically: true, encoding: .utf8)
        return directory.deletingLastPathComponent().path
    }

    @Test("select, PIN, create, write, read back and challenge on a vicc card")
    func readWrite() async throws {
        try Peers.require(Peers.vicc, package: "vsmartcard-vpicc")
        try Peers.require(Peers.python, package: "python3")
        let shim = try Self.cryptoShim()
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let vicc = try await TestProgram(Peers.python, [Peers.vicc, "--type", "iso7816", "--hostname", "127.0.0.1", "--port", String(slot.port)],
                                       environment: ["PYTHONPATH": "\(shim):/usr/lib/python3/site-packages/virtualsmartcard"])
            defer { vicc.signal(SIGKILL) }  // if a check throws before the end
            let context = PCSCContext()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true)

            let trace = APDUTrace()
            let card = try await context.connect(slot.readerName, trace: trace)
            func send(_ hex: String, redaction: TraceRedaction = []) async throws -> ResponseAPDU {
                try await card.send(try CommandAPDU(hex: hex, redaction: redaction))
            }
            // vicc crashes on a SELECT asking for FCI: P2=0C.
            #expect(try await send("00A4000C023F00").statusWord == .success)
            #expect(try await send("0020000104 31323334", redaction: .commandData).statusWord == .success)  // vicc's default PIN
            // CREATE FILE: transparent EF 'EF01' of 32 bytes.
            #expect(try await send("00E000000D 620B 820101 8302EF01 80020020").statusWord == .success)
            #expect(try await send("00A4020C02EF01").statusWord == .success)
            let payload: [UInt8] = [0x50, 0x53, 0x54, 0x4E, 0x01, 0x02, 0x03, 0x04]
            // vicc needs an Le on UPDATE BINARY (it crashes without one) and answers 6282.
            let write = try await card.send(try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: payload, ne: 256))
            #expect(write.statusWord.sw1 == 0x90 || write.statusWord == StatusWord(0x6282))
            let read = try await card.send(try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: payload.count))
            #expect(read.statusWord == .success)
            #expect(read.data == payload)
            let first = try await send("0084000008")
            let second = try await send("0084000008")
            #expect(first.data.count == 8 && second.data.count == 8)
            #expect(first.data != second.data)
            await card.disconnect()
            #expect(!trace.text.contains("31323334"))  // the PIN never reaches the trace
            vicc.signal(SIGKILL)  // vicc does not stop on SIGTERM while connected
            _ = try await vicc.finish()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
        }
    }
}
