/// A line to one card at the level of whole commands, in the shape of apdu4j's one-method transport:
/// a command APDU in, the card's complete response out. The card application on the host runs over
/// this, so the same code drives a card through PC/SC (`SmartCard.CardConnection`) and the reference
/// card inside the test's own process (`InProcessCard.InProcessConnection`).
///
/// Below this sit the transport rules (GET RESPONSE on `61xx`, the corrected Le on `6Cxx`, command
/// chaining): `send` returns what is left after them. (SmartCard's byte-level `CardTransport` is one
/// step lower: raw bytes to and from a reader, under those rules.)
public protocol APDUConnection: Sendable {
    /// Sends one command and returns the card's complete answer. Throws when the card, reader or
    /// connection failed; a refusal by the card is an answer, not an error.
    func send(_ command: CommandAPDU) async throws -> ResponseAPDU

    /// The card's answer-to-reset: it names the card product before any command is sent.
    var atr: [UInt8] { get async throws }

    /// Runs `body` with the card to itself: no other program's commands come between, and the hold
    /// always ends, whether `body` returns or throws.
    func withTransaction<T>(_ body: () async throws -> T) async throws -> T

    /// Ends this line, leaving the card as it is; later commands fail. Whoever connected ends it.
    func disconnect() async
}
