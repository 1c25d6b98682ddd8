import CardProfiles
import InProcessCard
import PermitApplet
import PermitCard
import SmartCard

/// The APDUs each card operation sends, with their sizes on the wire: not a second model of the command
/// sequences but what `PermitCard` sends, counted by running the operation's scenario against the
/// reference card in process. Tests hold the shipped profiles to the targets and to CARD-SPEC §11 with
/// it; card-bench puts it beside what the same scenario sends through pcscd.
public enum APDUBudget {
    public enum Operation: String, Sendable, CaseIterable {
        case issue, verify, statusCheck, endorse, changeAddress, statusChange, unblockPIN
    }

    /// One APDU on the wire: what it is (instruction and file), and its command and response bytes
    /// (status word included).
    public struct Step: Sendable, Hashable, CustomStringConvertible {
        public let command: String
        public let commandBytes: Int
        public let responseBytes: Int

        public var description: String { "\(command) (\(commandBytes)/\(responseBytes))" }
    }

    /// The issue's targets (issue #3, Speed): most APDUs per operation.
    public static let targets: [Operation: Int] = [.issue: 25, .verify: 8, .endorse: 6]

    /// Modelled time on a real contactless chip (BRIEF §4).
    public static let millisecondsPerAPDU = 20

    /// The APDUs `scenario`'s act sends to a card in its start state, run in process.
    public static func measure(_ scenario: CardScenario, _ authority: ScenarioAuthority) async throws -> [Step] {
        let start = try await scenario.startState(authority)
        let card = try PermitApplet.freshCard(profile: scenario.profile, serial: CardScenario.serial, masterKeys: authority.authority.masterKeys)
        try card.replaceState(start)
        let trace = APDUTrace()
        try await scenario.act(on: try InProcessReader(card: card).connect(options: scenario.channelOptions, trace: trace), authority)
        return try steps(of: trace, profile: scenario.profile)
    }

    /// The APDUs an `A>>`/`A<<` trace holds, named by instruction and the file they address (a part
    /// addressed by offset belongs to the file named before it).
    public static func steps(of trace: APDUTrace, profile: CardProfile) throws -> [Step] {
        var current: String?
        return try TraceReplay(text: trace.text).exchanges.map { exchange in
            let header = exchange.command.prefix(4).map { $0 ?? 0 }
            let (ins, p1, p2) = (header[1], header[2], header[3])
            var name = PermitInstruction(rawValue: ins)?.description ?? (ins == 0xC0 ? "GET RESPONSE" : "INS \([ins].hexString)")
            if let sfi = PermitInstruction.shortFileIdentifier(ins: ins, p1: p1, p2: p2) {
                current = profile.files.first { $0.sfi == Int(sfi) }?.name
                name += " \(current ?? "SFI \(sfi)")"
            } else if ins == PermitInstruction.readBinary.rawValue || ins == PermitInstruction.updateBinary.rawValue, let current {
                name += " \(current)"
            } else if ins == PermitInstruction.putKey.rawValue, let key = profile.keys.first(where: { $0.number == Int(p2) }) {
                name += " \(key.name)"
            }
            return Step(command: name, commandBytes: exchange.command.count, responseBytes: exchange.response.count)
        }
    }
}

extension [APDUBudget.Step] {
    /// APDUs, bytes sent and bytes received.
    public var totals: (apdus: Int, sent: Int, received: Int) {
        (count, map(\.commandBytes).reduce(0, +), map(\.responseBytes).reduce(0, +))
    }
}
