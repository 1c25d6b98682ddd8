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

        // Still its holder's after the card is gone: until it releases again, no one else gets it.
        try await link.stop()
        try await sandbox.waitForReader(slot.readerName, in: context, hasCard: false)
        #expect(await sandbox.holder(of: slot) == "card left behind")
        try await sandbox.release(slot)
        #expect(await sandbox.holder(of: slot) == nil)
        await context.close()
    }

    @Test("a withSlot that leaves its card in the reader fails naming it, and the reader returns to use once empty")
    func withSlotLeavingItsCard() async throws {
        let sandbox = PCSCSandbox.shared
        let (slot, link) = (Box<SandboxSlot>(), Box<VPCDLink>())
        let error = await #expect(throws: SandboxError.self) {
            try await sandbox.withSlot(holder: "leaves its card") { leased in
                slot.value = leased
                link.value = VPCDLink(card: EmulatedCard(state: .demo()), configuration: .init(host: "127.0.0.1", port: UInt16(leased.port)))
                link.value?.start()
                try await link.value?.waitUntilConnected()
                try await sandbox.waitForReader(leased.readerName, in: PCSCContext(), hasCard: true)
            }
        }
        let reader = try #require(slot.value)
        #expect(error == .cardLeftInReader([reader.readerName], waitedSeconds: 10))
        #expect(await sandbox.holder(of: reader) == "leaves its card")
        try await link.value?.stop()
        // The whole daemon is handed over only once every reader is back, this one included.
        try await sandbox.withExclusiveDaemon { _ in }
        #expect(await sandbox.holder(of: reader) == nil)
    }
}

/// A value a test's closure sets for the test to read afterwards.
final class Box<Value>: @unchecked Sendable {
    var value: Value?
}

/// Polls `condition` every 20 ms for up to 15 s.
func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
    let met = try await PCSCSandbox.poll(timeout: .seconds(15), interval: .milliseconds(20)) { await condition() ? true : nil }
    if met == nil { throw WaitFailure(what: what) }
}

struct WaitFailure: Error, CustomStringConvertible {
    let what: String
    var description: String { "waited 15 s in vain for: \(what)" }
}
