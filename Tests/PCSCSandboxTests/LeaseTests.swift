import CardEmulator
import PCSCSandbox
import SmartCard
import Testing

/// The lease rules that keep parallel tests apart on one private pcscd, through the real daemon.
@Suite("Sandbox reader leases")
struct LeaseTests {
    @Test("a task holding a reader gets a second one while another waits for the whole daemon")
    func secondReaderWhileTakenWhole() async throws {
        let sandbox = PCSCSandbox.shared
        let whole = try await sandbox.withSlot(holder: "first of two") { first in
            let whole = Task { try await sandbox.withExclusiveDaemon { slots in slots.count } }
            try await waitUntil("the whole daemon is asked for") { await sandbox.isTakenWhole }
            // Holding this lease back until the first comes back would never end.
            let second = try await sandbox.withSlot(holder: "second of two") { $0 }
            #expect(second != first)
            #expect(await sandbox.isTakenWhole)  // still waiting for `first`
            #expect(await sandbox.holder(of: first) == "first of two")
            #expect(await sandbox.holder(of: second) == nil)
            return whole
        }
        // Once `first` is back, the whole daemon is handed over.
        #expect(try await whole.value == (await sandbox.slots).count)
    }

    @Test("a reader given back with a card in it is named, stays out of use, and returns once empty")
    func cardLeftInReader() async throws {
        let sandbox = PCSCSandbox.shared
        let slot = try await sandbox.lease(holder: "card left behind")
        let link = VPCDLink(card: EmulatedCard(state: .demo()), configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
        link.start()
        try await link.waitUntilConnected()
        let context = PCSCContext()
        try await waitUntil("pcscd shows the card") { (try? await context.readers())?.first { $0.name == slot.readerName }?.hasCard == true }

        let error = await #expect(throws: SandboxError.self) { try await sandbox.release(slot, timeout: .seconds(1)) }
        #expect(error == .cardLeftInReader([slot.readerName], waitedSeconds: 1))
        #expect(error?.description.contains("stop the card") == true)

        #expect(await sandbox.holder(of: slot) == "card left behind")

        try await link.stop()
        try await sandbox.release(slot)
        #expect(await sandbox.holder(of: slot) == nil)
        await context.close()
    }
}

/// Polls `condition` every 20 ms for up to 15 s.
func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(15)
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw WaitFailure(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct WaitFailure: Error, CustomStringConvertible {
    let what: String
    var description: String { "waited 15 s in vain for: \(what)" }
}
