import Foundation
import PCSCSandbox
import SmartCard

/// A private pcscd with the reference card (`permit-card`, each in its own process) in `count`
/// readers, answering each APDU after `latencyMs`, and the peers set up to reach it.
enum CardBench {
    static func with<T>(cards count: Int, latencyMs: Int, _ body: (_ readers: [String], Peers) async throws -> T) async throws -> T {
        let sandbox = PCSCSandbox(devices: (count + 1) / 2)
        var cards: [Process] = []
        defer {
            cards.forEach { $0.terminate() }
            cards.forEach { $0.waitUntilExit() }
        }
        var readers: [String] = []
        let context = PCSCContext()
        for _ in 0..<count {
            let slot = try await sandbox.lease(holder: "pcsc-bench")
            cards.append(try startCard(on: slot, latencyMs: latencyMs))
            readers.append(slot.readerName)
        }
        for reader in readers {
            try await sandbox.waitForReader(reader, in: context, hasCard: true)
            try await sandbox.waitUntilAnswering(reader, in: context)
        }
        await context.close()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pcsc-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try await body(readers, try Peers(socket: sandbox.socketPath, workDirectory: work))
        await sandbox.shutdown()
        return result
    }

    /// `permit-card` from the same build folder as this program, connected to the slot's vpcd port.
    private static func startCard(on slot: SandboxSlot, latencyMs: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Peers.thisBuild).deletingLastPathComponent().appendingPathComponent("permit-card")
        process.arguments = ["--vpcd", slot.vpcdAddress, "--latency-ms", String(latencyMs)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}
