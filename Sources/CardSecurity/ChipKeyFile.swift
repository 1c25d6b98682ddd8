/// EF.CHIPKEY (CARD-SPEC.md §5.6): `suite (1) || 41 || 04 || X || Y`, 67 bytes, written by the card when its
/// chip key is generated at card initialisation.
public enum ChipKeyFile {
    public static let length = 67

    /// The file contents for `key`.
    public static func encode(_ key: VerifyingKey) -> [UInt8] {
        let point = key.x963Representation
        return [key.suite.identifier, UInt8(point.count)] + point
    }

    /// The key in the file, or nil when the card has no chip key yet (all zero).
    public static func decode(_ bytes: [UInt8]) throws(CardSecurityError) -> VerifyingKey? {
        guard bytes.count >= length else {
            throw .invalidLength(field: "EF.CHIPKEY", expected: length, actual: bytes.count)
        }
        if bytes.prefix(length).allSatisfy({ $0 == 0 }) { return nil }
        guard let suite = CryptoSuite(identifier: bytes[0]), bytes[1] == 0x41 else {
            throw .malformedKey("EF.CHIPKEY does not start with a known suite and length 41")
        }
        return try VerifyingKey(x963Representation: Array(bytes[2..<length]), suite: suite)
    }
}
