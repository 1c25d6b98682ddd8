import CardEmulator
import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms

/// The `permit-card` program as an operator runs it, plugged into a sandbox reader.
@Suite("permit-card command line", .serialized)
struct PermitCardCLITests {
    static let executable = TestProgram.builtProduct("permit-card")

    @Test("bad flags are refused with the reason and exit status 64", arguments: [
        (["--remove-before", "0"], "counts APDUs from 1"),
        (["--remove-before", "1", "--remove-after", "2"], "cannot be combined"),
        (["--at", "2"], "--at needs --answer-sw"),
        (["--reinsert-after-ms", "100"], "needs --remove-before or --remove-after"),
        (["--atr", "3B01"], "--atr"),
        (["--answer-sw", "6A"], "--answer-sw"),
        (["--vpcd", "localhost"], "--vpcd"),
    ])
    func badFlags(arguments: [String], message: String) async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable), "permit-card is not built at \(Self.executable)")
        let result = try await TestProgram.run(Self.executable, arguments)
        #expect(result.status == 64)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test("a fault removal, SIGUSR2 to reinsert, the state file, and a clean exit on SIGTERM")
    func session() async throws {
        let statePath = temporaryDirectory() + "/card.json"
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let program = try await TestProgram(Self.executable, [
                "--vpcd", "127.0.0.1:\(slot.port)", "--state", statePath, "--remove-before", "3",
            ])
            defer { program.signal(SIGKILL) }  // if a check throws before stop()
            let reader = ReaderClient(reader: slot.readerName)
            try await reader.waitForReader(hasCard: true)
            let connection = try await reader.connect()
            #expect(try await reader.send(connection, "00A4000C022F01").statusWord == .success)
            #expect(try await reader.send(connection, "00D6000003010203").statusWord == .success)
            await #expect(throws: (any Error).self) { try await reader.send(connection, "00B0000003") }
            try await reader.waitForReader(hasCard: false)
            program.signal(SIGUSR2)
            try await reader.waitUntilAnswering()
            let again = try await reader.connect()
            #expect(try await reader.send(again, "00B0810003").data == [1, 2, 3])
            await again.disconnect()
            let stopped = try await program.stop()
            #expect(stopped.status == 0)
            #expect(stopped.errors.contains("card inserted: connected to vpcd at 127.0.0.1:\(slot.port)"))
            #expect(stopped.errors.contains("card removed: fault injected before APDU 3"))
            #expect(stopped.errors.contains("stopped"))
            try await reader.waitForReader(hasCard: false)
        }
        let saved = try #require(try CardStateStore(path: statePath).load())
        guard case .transparent(let data)? = saved.fileSystem[FilePath("3F00/2F01")!]?.content else {
            Issue.record("2F01 missing from the state file")
            return
        }
        #expect(data.prefix(3) == [1, 2, 3])
    }
}
