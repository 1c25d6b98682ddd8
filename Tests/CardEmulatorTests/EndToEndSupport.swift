import CardEmulator
import Foundation
import PCSCSandbox
import SmartCard
import Testing

/// A sandbox reader seen through PC/SC: Swift -> libpcsclite -> pcscd -> vpcd -> the card.
struct ReaderClient {
    let reader: String
    let context = PCSCContext()

    func connect() async throws -> CardConnection { try await context.connect(reader) }

    /// Sends one command given as hex; answers data and status word.
    func send(_ connection: CardConnection, _ hex: String) async throws -> SmartCard.ResponseAPDU {
        try await connection.send(try SmartCard.CommandAPDU(hex: hex))
    }

    /// Waits until pcscd shows the reader with or without a card.
    func waitForReader(hasCard: Bool, timeout: Duration = .seconds(10)) async throws {
        try await PCSCSandbox.shared.waitForReader(reader, in: context, hasCard: hasCard, timeout: timeout)
    }

    /// Waits until pcscd shows a card and the card answers a SELECT MF (pcscd lists a card
    /// before its power-up is done). The SELECT counts against a fault plan already armed.
    func waitUntilAnswering() async throws {
        try await waitForReader(hasCard: true)
        try await PCSCSandbox.shared.waitUntilAnswering(reader, in: context)
    }
}

/// An emulated card plugged into a leased reader of the private pcscd through the real vpcd.
struct PluggedCard {
    let slot: SandboxSlot
    let card: EmulatedCard
    let link: VPCDLink
    let client: ReaderClient

    var reader: String { slot.readerName }

    /// Waits until the link has inserted the card `count` times.
    func waitForInsertions(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while link.insertionCount < count {
            guard ContinuousClock.now < deadline else {
                throw WaitTimeout(what: "insertion \(count) (so far \(link.insertionCount))", timeout: timeout)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A wait in a test that did not end in time.
struct WaitTimeout: Error, CustomStringConvertible {
    let what: String
    let timeout: Duration
    var description: String { "waited \(timeout) for \(what)" }
}

/// Plugs `card` into a leased sandbox reader for `body`, then pulls it and waits until pcscd sees it gone.
func withPluggedCard<T>(_ card: EmulatedCard = EmulatedCard(state: .demo()), _ body: (PluggedCard) async throws -> T) async throws -> T {
    try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
        let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
        let plugged = PluggedCard(slot: slot, card: card, link: link, client: ReaderClient(reader: slot.readerName))
        link.start()
        do {
            try await link.waitUntilConnected()
            try await plugged.client.waitUntilAnswering()
            let result = try await body(plugged)
            try await link.stop()
            try await plugged.client.waitForReader(hasCard: false)
            return result
        } catch {
            try? await link.stop()
            try? await plugged.client.waitForReader(hasCard: false)
            throw error
        }
    }
}
