/// Raw bytes to and from one card. The APDU channel's logic (GET RESPONSE, 6Cxx, chaining)
/// runs over this, so the same code drives a real PC/SC connection and a replayed trace.
///
/// Calls are synchronous and made from one thread at a time: the real transport runs on
/// its connection's dedicated thread, never on Swift's cooperative pool.
public protocol CardTransport: AnyObject {
    var readerName: String { get }
    var cardProtocol: CardProtocol { get }
    /// Sends one encoded command APDU and returns the card's raw answer (data + SW1 SW2).
    func transmit(_ command: [UInt8]) throws -> [UInt8]
}
