extension KeyRole {
    /// The SP 800-108 label that diversifies this role's key (ASCII).
    public var diversificationLabel: [UInt8] {
        switch self {
        case .issuingStation: ascii("PS-ISSUE")
        case .endorsingStation: ascii("PS-ENDORSE")
        case .readingTerminal: ascii("PS-READ")
        }
    }
}

/// NIST SP 800-108 key derivation in counter mode with AES-CMAC as the PRF.
///
/// For an output of one block (all keys here are 16 bytes) the derived key is
/// `CMAC(KI, 0x01 || Label || 0x00 || Context || 0x00 0x80)`: an 8-bit counter starting at 1,
/// the label, a zero separator, the context and the output length in bits as 16 bits big-endian.
public enum KeyDerivation {
    /// Derives a 16-byte key from `key` for `label` and `context`.
    public static func derive(from key: CardKey, label: [UInt8], context: [UInt8]) throws(CardSecurityError) -> CardKey {
        try CardKey(bytes: BlockCipher.cmac(fixedInput(label: label, context: context), key: key), suite: key.suite)
    }

    /// The PRF's input for the one block of a 16-byte key: `01 || label || 00 || context || 00 80`.
    /// A token computes the CMAC over exactly these bytes (CKM_AES_CMAC) with the master key inside it.
    public static func fixedInput(label: [UInt8], context: [UInt8]) -> [UInt8] {
        let outputBits = UInt16(CardKey.length * 8)
        return [0x01] + label + [0x00] + context + [UInt8(outputBits >> 8), UInt8(outputBits & 0xFF)]
    }

    /// The card's own key for `role`: the role's master key diversified with the role label and the card serial.
    public static func cardKey(master: CardKey, role: KeyRole, serial: CardSerial) throws(CardSecurityError) -> CardKey {
        try derive(from: master, label: role.diversificationLabel, context: serial.bytes)
    }
}

extension KeyDerivation {
    /// A profile's diversification context: the inputs concatenated in the profile's order.
    public static func context(
        inputs: [DiversificationInput], serial: CardSerial, aid: [UInt8], keyNumber: UInt8, keyVersion: UInt8
    ) -> [UInt8] {
        inputs.flatMap { input -> [UInt8] in
            switch input {
            case .cardSerial: serial.bytes
            case .aid: aid
            case .keyNumber: [keyNumber]
            case .keyVersion: [keyVersion]
            }
        }
    }
}
