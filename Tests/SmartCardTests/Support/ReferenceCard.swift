import CardEmulator
import PCSCSandbox
import SmartCard
import Testing

/// A leased sandbox reader with the project's reference card (CardEmulator) in it,
/// plugged in through vpcd, and a PC/SC context to reach it: the real stack end to end.
struct ReferenceCardBench {
    let slot: SandboxSlot
    let card: EmulatedCard
    let link: VPCDLink
    let context: PCSCContext

    var reader: String { slot.readerName }

    /// Connects a new PC/SC connection to this reader.
    func connect(share: ShareMode = .shared, options: ChannelOptions = ChannelOptions(), trace: APDUTrace? = nil) async throws -> CardConnection {
        try await context.connect(reader, share: share, options: options, trace: trace)
    }

    /// Pulls the card and waits until pcscd reports the reader empty.
    func remove() async throws {
        link.remove()
        try await PCSCSandbox.shared.waitForReader(reader, in: context, hasCard: false)
    }

    /// Puts the card back and waits until pcscd reports it present.
    func insert() async throws {
        link.insert()
        try await link.waitUntilConnected()
        try await PCSCSandbox.shared.waitForReader(reader, in: context, hasCard: true)
        try await PCSCSandbox.shared.waitUntilAnswering(reader, in: context)
    }

    /// Arms a fault plan on the card (APDUs counted from now). `forcedStatus` is SW1SW2 as a number.
    func injectFaults(removal: FaultPlan.Removal? = nil, latency: Duration = .zero, forcedStatus: UInt16? = nil, at apdu: Int? = nil) {
        link.setFaultPlan(FaultPlan(
            removal: removal, latency: latency,
            forcedStatus: forcedStatus.map { CardEmulator.StatusWord($0) }, forcedStatusAt: apdu))
    }
}

/// Runs `body` with the reference card in a leased reader; the card is pulled and the reader
/// seen empty before the lease returns, so the next test starts clean.
func withReferenceCard<T>(
    callTimeout: Duration = .seconds(10),
    _ body: (ReferenceCardBench) async throws -> T
) async throws -> T {
    try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
        try await withReferenceCard(in: slot, callTimeout: callTimeout, body)
    }
}

/// The same in a given slot (inside `withExclusiveDaemon`, which hands out every slot).
func withReferenceCard<T>(
    in slot: SandboxSlot, callTimeout: Duration = .seconds(10),
    _ body: (ReferenceCardBench) async throws -> T
) async throws -> T {
    let context = PCSCContext(callTimeout: callTimeout)
    let card = EmulatedCard(state: .demo())
    let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
    link.start()
    let bench = ReferenceCardBench(slot: slot, card: card, link: link, context: context)
    do {
        try await link.waitUntilConnected()
        try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true)
        try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context)
        let result = try await body(bench)
        try await link.stop()
        try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
        return result
    } catch {
        try? await link.stop()
        try? await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
        throw error
    }
}

/// Pulls events until one satisfies `matching` (events of other tests' readers pass by).
func nextEvent(_ iterator: inout ReaderEvents.Iterator, matching: (ReaderEvent) -> Bool) async throws -> ReaderEvent {
    while let event = try await iterator.next() {
        if matching(event) { return event }
    }
    throw BenchError.eventStreamEnded
}

/// Pulls events until one concerns `reader` (or pcscd itself).
func nextEvent(_ iterator: inout ReaderEvents.Iterator, for reader: String) async throws -> ReaderEvent {
    try await nextEvent(&iterator) { event in
        switch event {
        case .readerAdded(let name), .readerRemoved(let name): name == reader
        case .cardInserted(let name, _), .cardRemoved(let name), .cardSwapped(let name, _): name == reader
        case .serviceLost, .serviceRestored: true
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case eventStreamEnded

    var description: String {
        switch self {
        case .eventStreamEnded:
            "the reader event stream ended"
        }
    }
}

/// SELECT the MF without FCI: the reference card answers 9000, the shortest useful exchange.
let selectMF = try! SmartCard.CommandAPDU(cla: 0, ins: 0xA4, p1: 0x00, p2: 0x0C, data: [0x3F, 0x00])
