/// The encodings PKCS#11 uses for EC keys (PKCS#11 2.40 §2.3.3): the curve in `CKA_EC_PARAMS` as a DER
/// object identifier, the public point in `CKA_EC_POINT` as a DER OCTET STRING around `04 || X || Y`.
enum TokenKeyFormat {
    /// DER of the OID 1.2.840.10045.3.1.7 (prime256v1, NIST P-256).
    static let p256Parameters: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]

    /// The uncompressed point from `CKA_EC_POINT`; some modules store it without the OCTET STRING.
    static func point(fromECPoint bytes: [UInt8]) -> [UInt8] {
        if bytes.count == 67, bytes[0] == 0x04, bytes[1] == 0x41 { return Array(bytes[2...]) }
        return bytes
    }
}
