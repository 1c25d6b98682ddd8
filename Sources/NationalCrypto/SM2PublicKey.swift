import COpenSSL
import ISO7816

/// An SM2 public key (GB/T 32918): a point of the SM2 curve, kept as its uncompressed encoding
/// `04 || X || Y` (65 bytes), the form the card and the security object store.
public struct SM2PublicKey: Sendable, Hashable, CustomStringConvertible {
    public static let x963Length = 65

    /// `04 || X || Y`, 65 bytes.
    public let x963Representation: [UInt8]

    /// A key from its uncompressed point. Refuses anything that is not a point of the SM2 curve (off the
    /// curve, the point at infinity, compressed), so a damaged or forged key fails here and not later.
    public init(x963Representation: [UInt8]) throws(NationalCryptoError) {
        guard x963Representation.count == Self.x963Length, x963Representation.first == 0x04 else {
            let start = x963Representation.first.map { " starting \([$0].hexString)" } ?? ""
            throw .malformedPublicKey("\(x963Representation.count) bytes\(start); an uncompressed point has 65 bytes starting 04")
        }
        defer { drainOpenSSLErrors() }
        guard let key = try? SM2Engine.makeKey(publicPoint: x963Representation) else {
            throw .malformedPublicKey("not a point of the SM2 curve")
        }
        defer { EVP_PKEY_free(key) }
        guard SM2Engine.passesPublicCheck(key) else { throw .malformedPublicKey("not a point of the SM2 curve") }
        self.x963Representation = x963Representation
    }

    /// A point computed here from a valid private key.
    init(computed point: [UInt8]) {
        x963Representation = point
    }

    /// True when `signature` is a valid SM2-with-SM3 signature of `message` by this key under `id`.
    /// A signature that fails for any reason (wrong key, message, ID, values out of range, or a libcrypto
    /// failure) is not valid: the check fails closed.
    public func isValidSignature(_ signature: SM2Signature, for message: [UInt8], id: SM2DistinguishingID = .default) -> Bool {
        defer { drainOpenSSLErrors() }
        guard let key = try? SM2Engine.makeKey(publicPoint: x963Representation) else { return false }
        defer { EVP_PKEY_free(key) }
        let der = signature.derRepresentation
        let result = try? SM2Engine.withDigestContext(key: key, id: id, signing: false) { context in
            EVP_DigestVerify(context, der, der.count, message, message.count)
        }
        return result == 1
    }

    public var description: String {
        "SM2PublicKey(X \(Array(x963Representation[1..<9]).hexString)…)"
    }
}
