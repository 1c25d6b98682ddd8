import ISO7816

/// A command under secure messaging: CLA with bits `0C` set, a body of data objects ending in DO'8E',
/// and Le always present (`00`, or `00 00` in extended form) because every protected answer carries
/// DO'99' and DO'8E'. Built by `SecureMessagingChannel.protect(_:encrypt:)`, checked by `unprotect(_:)`.
public struct ProtectedCommand: Sendable, Hashable {
    /// The APDU as it travels.
    public let apdu: CommandAPDU

    /// The largest plain Ne whose protected answer (data object, DO'99', DO'8E', encrypted padding
    /// included) always fits in a short response of 256 bytes.
    public static let largestShortResponse = 223

    /// A command the card received, taken as protected until `unprotect(_:)` verifies it.
    public init(_ apdu: CommandAPDU) {
        self.apdu = apdu
    }

    /// The data objects `[DO'81' | DO'87'] [DO'97'] DO'8E'`.
    public var body: [UInt8] { apdu.data }

    /// Parses a protected command APDU as `protect` builds it (Le present and zero, short or extended).
    public init(apdu bytes: [UInt8]) throws(CardSecurityError) {
        let apdu: CommandAPDU
        do { apdu = try CommandAPDU(received: bytes) } catch {
            throw .secureMessagingMalformed("Lc does not match the APDU length")
        }
        guard !apdu.data.isEmpty, apdu.ne == (apdu.isExtended ? CommandAPDU.maxExpected : 256) else {
            throw .secureMessagingMalformed("no data objects, or Le is not 00 (00 00 in extended form)")
        }
        self.init(apdu)
    }

    /// Builds the APDU: short form when the body fits in 255 bytes and the answer in 256, extended form
    /// (Le `00 00`) otherwise.
    init(cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8, body: [UInt8], expectsLongResponse: Bool) throws(CardSecurityError) {
        let ne = expectsLongResponse || body.count > 255 ? CommandAPDU.maxExpected : 256
        do {
            apdu = try CommandAPDU(cla: cla, ins: ins, p1: p1, p2: p2, data: body, ne: ne)
        } catch {
            throw .secureMessagingMalformed("\(error)")
        }
    }
}
