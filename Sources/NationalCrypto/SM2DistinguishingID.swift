/// The signer's distinguishing ID, hashed with the curve and the public key into Z = SM3(ENTL || ID ||
/// a || b || xG || yG || xA || yA), which opens every SM2-with-SM3 message (GB/T 32918.2 §5.5). Signer
/// and verifier must use the same ID, or every signature fails; libraries differ in the ID they assume
/// when none is given, so this module always sets it explicitly.
public struct SM2DistinguishingID: Sendable, Hashable, CustomStringConvertible {
    /// "1234567812345678", the ID GB/T 35276-2017 and GM/T 0009-2012 fix when the parties agree no other.
    public static let `default` = SM2DistinguishingID(checked: Array("1234567812345678".utf8))
    /// ENTL, the ID's length in bits, is a 16-bit field: 8191 bytes at most, and OpenSSL refuses 8191 itself.
    public static let maximumLength = 8190

    public let bytes: [UInt8]

    /// An ID of 1 to 8190 bytes.
    public init(bytes: [UInt8]) throws(NationalCryptoError) {
        guard (1...Self.maximumLength).contains(bytes.count) else { throw .invalidDistinguishingID(length: bytes.count) }
        self.init(checked: bytes)
    }

    /// The UTF-8 bytes of `text` as the ID.
    public init(text: String) throws(NationalCryptoError) {
        try self.init(bytes: Array(text.utf8))
    }

    private init(checked bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var description: String { "SM2 ID \"\(String(decoding: bytes, as: UTF8.self))\"" }
}
