import CardProfiles
import CardSecurity
import PermitCard
import SmartCard

/// The station's readers as its acts use them: the card in a named reader, connected through pcscd with
/// the profile its ATR names and this station's terminal (its keys), one use of a reader at a time.
///
/// An officer's act finding its reader in another act's hands is refused at once (`busy`, HTTP 409): two
/// officers never work on one card together. The reconciliation of a card just presented runs first and
/// an act waits for it; a reconciliation waits for an act.
public actor CardDesk {
    /// Who uses a reader.
    public enum Use: Sendable, Hashable, CustomStringConvertible {
        case reconciliation
        /// An act asked for by `by` (a token's name).
        case act(String, by: String)

        public var description: String {
            switch self {
            case .reconciliation: "the reconciliation of the card just presented"
            case .act(let act, let by): "\(act) for \(by)"
            }
        }
    }

    let terminal: @Sendable (CardProfile) throws -> PermitTerminal
    let profiles: @Sendable () -> [CardProfile]
    private let context = PCSCContext()
    private var users: [String: Use] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// - Parameters:
    ///   - terminal: this station's terminal for a card of a profile (its keys and trust).
    ///   - profiles: the profiles loaded now (a reload changes them).
    public init(terminal: @escaping @Sendable (CardProfile) throws -> PermitTerminal, profiles: @escaping @Sendable () -> [CardProfile]) {
        self.terminal = terminal
        self.profiles = profiles
    }

    /// Runs `body` with the card in `reader` (its exact name), holding the reader for `use`, and disconnects after.
    public func withCard<T: Sendable>(in reader: String, for use: Use,
                                      _ body: @Sendable (PermitCard) async throws -> T) async throws -> T {
        try await acquire(reader, for: use)
        defer { release(reader) }
        let card = try await connect(reader)
        do {
            let result = try await body(card)
            await card.connection.disconnect()
            return result
        } catch {
            await card.connection.disconnect()
            throw error
        }
    }

    private func acquire(_ reader: String, for use: Use) async throws(StationActError) {
        while let user = users[reader] {
            if case .act = use, case .act = user {
                throw StationActError(.conflict, "The card in \(reader) is being worked on by another request (\(user)); wait until it has finished. Nothing was done.")
            }
            await withCheckedContinuation { waiting[reader, default: []].append($0) }
        }
        users[reader] = use
    }

    private func release(_ reader: String) {
        users[reader] = nil
        if var queue = waiting[reader], !queue.isEmpty {
            queue.removeFirst().resume()
            waiting[reader] = queue
        }
    }

    /// Who holds `reader` now.
    public func user(of reader: String) -> Use? { users[reader] }

    private func connect(_ reader: String) async throws -> PermitCard {
        let status: ReaderStatus
        do {
            guard let found = try await context.readers().first(where: { $0.name == reader }) else {
                throw StationActError(.notFound, "No reader named \"\(reader)\"; `permit station status` lists the readers.")
            }
            status = found
        }
        guard status.hasCard else { throw StationActError(.notFound, "No card in \(reader); put the card in and try again.") }
        let candidates = profiles()
        guard let profile = candidates.first(where: { $0.card.matchesATR(status.atr) }) else {
            throw StationActError(.unprocessable, "The card in \(reader) (ATR \(status.atr.hexString)) is not a card of any loaded profile (\(candidates.map(\.name).sorted().joined(separator: ", "))); it is not a permit card.")
        }
        let terminal = try terminal(profile)
        let connection = try await context.connect(reader, options: ChannelOptions(extendedLength: profile.apdu.extendedLength))
        return PermitCard(connection: connection, profile: profile, terminal: terminal)
    }
}
