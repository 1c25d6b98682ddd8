/// Role authentication inside a chip-authenticated session (CARD-SECURITY §8): EXTERNAL AUTHENTICATE
/// under secure messaging, mutual. The terminal proves it holds this card's diversified key of a role
/// (and version); the card answers with its own cryptogram, proving it holds the same key, which only a
/// card initialised and personalised by the authority does. Both cryptograms cover the session's
/// transcript (both nonces, the ephemeral and the chip's points), so neither can be relayed into another
/// session: a relay that ran its own chip authentication with the card cannot pass a station's
/// cryptogram on, nor a card's back.
public enum RoleAuthentication {
    /// Length of each cryptogram (a full CMAC).
    public static let cryptogramLength = 16
    static let terminalLabel = ascii("PS-TAUTH")
    static let cardLabel = ascii("PS-CAUTH")

    /// `CMAC(K_role, "PS-TAUTH" || transcript)`: the EXTERNAL AUTHENTICATE data.
    public static func terminalCryptogram(
        roleKey: CardKey, session: ChipSession, serial: CardSerial, keyNumber: UInt8, keyVersion: UInt8
    ) throws(CardSecurityError) -> [UInt8] {
        try BlockCipher.cmac(terminalLabel + session.transcript(serial: serial, keyNumber: keyNumber, keyVersion: keyVersion), key: roleKey)
    }

    /// `CMAC(K_role, "PS-CAUTH" || transcript)`: the card's answer.
    public static func cardCryptogram(
        roleKey: CardKey, session: ChipSession, serial: CardSerial, keyNumber: UInt8, keyVersion: UInt8
    ) throws(CardSecurityError) -> [UInt8] {
        try BlockCipher.cmac(cardLabel + session.transcript(serial: serial, keyNumber: keyNumber, keyVersion: keyVersion), key: roleKey)
    }

    /// Card side: checks the terminal's cryptogram in constant time and returns the card's.
    public static func answer(
        _ cryptogram: [UInt8], roleKey: CardKey, session: ChipSession, serial: CardSerial, keyNumber: UInt8, keyVersion: UInt8
    ) throws(CardSecurityError) -> [UInt8] {
        guard cryptogram.count == cryptogramLength else {
            throw .invalidLength(field: "EXTERNAL AUTHENTICATE data", expected: cryptogramLength, actual: cryptogram.count)
        }
        let expected = try terminalCryptogram(roleKey: roleKey, session: session, serial: serial, keyNumber: keyNumber, keyVersion: keyVersion)
        guard constantTimeEqual(expected, cryptogram) else { throw .cryptogramMismatch }
        return try cardCryptogram(roleKey: roleKey, session: session, serial: serial, keyNumber: keyNumber, keyVersion: keyVersion)
    }

    /// Terminal side: the card's answer must be its cryptogram, else the card does not hold the role key.
    public static func checkCard(
        _ answer: [UInt8], roleKey: CardKey, session: ChipSession, serial: CardSerial, keyNumber: UInt8, keyVersion: UInt8
    ) throws(CardSecurityError) {
        let expected = try cardCryptogram(roleKey: roleKey, session: session, serial: serial, keyNumber: keyNumber, keyVersion: keyVersion)
        guard constantTimeEqual(expected, answer) else { throw .cardCryptogramMismatch }
    }
}
