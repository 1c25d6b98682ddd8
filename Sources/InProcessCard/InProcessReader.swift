import CardEmulator
import Foundation
import SmartCard
import Synchronization

/// A reader inside the test's own process holding one reference card: the card application's logic
/// runs against `EmulatedCard` with no pcscd, vpcd or sockets between, through the same transport rules
/// and trace as a PC/SC connection (SmartCard's `APDUChannel`), and with the card's `FaultPlan` applied
/// to every command APDU as the vpcd link applies it.
///
/// A removal (a fault, or `remove()`) powers the card off; connections made before it fail from then on,
/// as a PC/SC connection to a pulled card does, and a caller connects anew after `insert()`.
public final class InProcessReader: Sendable {
    private struct State {
        var faults = FaultInjector()
        var present = true
        /// Counts insertions, so a connection knows whether its card was pulled since it connected.
        var insertion = 1
        var reinsertAt: ContinuousClock.Instant?
        var removal = ""
    }

    public let name: String
    public let card: EmulatedCard
    private let state = Mutex(State())

    /// Inserts `card` (powering it on).
    public init(card: EmulatedCard, name: String = "In-process reader") {
        self.card = card
        self.name = name
        card.powerOn()
    }

    /// A connection to the card now in the reader.
    public func connect(options: ChannelOptions = ChannelOptions(), trace: APDUTrace? = nil) throws(InProcessCardError) -> InProcessConnection {
        let insertion = try state.withLock { (state: inout State) throws(InProcessCardError) -> Int in
            reinsertIfDue(&state)
            guard state.present else { throw .noCard(reader: name) }
            return state.insertion
        }
        trace?.begin(reader: name, protocol: .t1, atr: card.atr.bytes)
        return InProcessConnection(reader: self, insertion: insertion, options: options, trace: trace)
    }

    /// Arms a fault plan; command APDUs are counted from here.
    public func setFaultPlan(_ plan: FaultPlan) {
        state.withLock { $0.faults = FaultInjector(plan: plan) }
    }

    /// The fault injector's plan and the command APDUs it has counted.
    public var faults: FaultInjector { state.withLock { $0.faults } }

    public var hasCard: Bool {
        state.withLock { state in
            reinsertIfDue(&state)
            return state.present
        }
    }

    /// Pulls the card: it loses its volatile state, and every connection made before fails.
    public func remove() {
        state.withLock { state in
            pull(&state, reason: "removed on request", reinsertAfter: nil)
        }
    }

    /// Puts the card back (powering it on); connect again to use it.
    public func insert() {
        state.withLock { state in
            guard !state.present else { return }
            state.present = true
            state.insertion += 1
            state.reinsertAt = nil
            card.powerOn()
        }
    }

    // MARK: - One command APDU

    /// What the card answers `command`, after the fault plan's decision for it.
    func transmit(_ command: [UInt8], insertion: Int) throws(InProcessCardError) -> [UInt8] {
        let (decision, number, latency) = try state.withLock { (state: inout State) throws(InProcessCardError) in
            reinsertIfDue(&state)
            guard state.present, state.insertion == insertion else {
                throw .cardRemoved(reader: name, why: state.present ? "removed and put back since this connection was made" : state.removal)
            }
            return (state.faults.nextAPDU(), state.faults.apduCount, state.faults.plan.latency)
        }
        let response: [UInt8]
        switch card.transmit(command, as: decision, number: number) {
        case .success(let answer): response = answer
        case .failure(let removal): throw pulledByFault(removal.reason)
        }
        if latency > .zero { Thread.sleep(forTimeInterval: Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18) }
        return response
    }

    var atr: [UInt8] { card.atr.bytes }

    func requirePresent(insertion: Int) throws(InProcessCardError) {
        try state.withLock { (state: inout State) throws(InProcessCardError) in
            reinsertIfDue(&state)
            guard state.present, state.insertion == insertion else { throw .cardRemoved(reader: name, why: state.removal) }
        }
    }

    private func pulledByFault(_ reason: String) -> InProcessCardError {
        state.withLock { state in
            pull(&state, reason: reason, reinsertAfter: state.faults.plan.reinsertAfter)
        }
        return .cardRemoved(reader: name, why: reason)
    }

    private func pull(_ state: inout State, reason: String, reinsertAfter: Duration?) {
        guard state.present else { return }
        state.present = false
        state.removal = reason
        state.reinsertAt = reinsertAfter.map { ContinuousClock.now.advanced(by: $0) }
        card.powerOff()
    }

    private func reinsertIfDue(_ state: inout State) {
        guard !state.present, let due = state.reinsertAt, ContinuousClock.now >= due else { return }
        state.present = true
        state.insertion += 1
        state.reinsertAt = nil
        card.powerOn()
    }
}

/// Why a command to the in-process reader did not reach the card.
public enum InProcessCardError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The card was pulled (by the fault plan or `remove()`) after this connection was made.
    case cardRemoved(reader: String, why: String)
    /// No card is in the reader.
    case noCard(reader: String)

    public var description: String {
        switch self {
        case .cardRemoved(let reader, let why): "Reader '\(reader)': the card was removed (\(why)); put it back and connect again."
        case .noCard(let reader): "Reader '\(reader)': no card in the reader; insert one."
        }
    }
}
