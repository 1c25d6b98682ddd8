import COpenSSL

/// An SM2 private key (GB/T 32918): the scalar d, 1 <= d <= n - 2, and its public key. Its descriptions
/// are redacted; the raw form exists only to store the key (card key file, 0600 file). Never log it.
public struct SM2PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let rawLength = 32

    private let scalar: [UInt8]
    public let publicKey: SM2PublicKey

    /// A fresh key: d drawn uniformly from 1...n-2 with OpenSSL's private random generator (GB/T 32918.1 §6.1).
    public init() throws(NationalCryptoError) {
        var candidate = [UInt8](repeating: 0, count: Self.rawLength)
        repeat {
            try requireSuccess(RAND_priv_bytes(&candidate, Int32(candidate.count)), "draw random bytes for an SM2 key")
        } while !SM2Engine.isValidScalar(candidate)
        try self.init(rawRepresentation: candidate)
    }

    /// A key from its 32-byte big-endian scalar.
    public init(rawRepresentation: [UInt8]) throws(NationalCryptoError) {
        guard rawRepresentation.count == Self.rawLength else {
            throw .malformedPrivateKey("\(rawRepresentation.count) bytes where the scalar has 32")
        }
        guard SM2Engine.isValidScalar(rawRepresentation) else {
            throw .malformedPrivateKey("the scalar must lie between 1 and n - 2, n being the order of the SM2 curve")
        }
        scalar = rawRepresentation
        publicKey = SM2PublicKey(computed: try SM2Engine.publicPoint(for: rawRepresentation))
    }

    /// The 32-byte big-endian scalar. Never log it.
    public var rawRepresentation: [UInt8] { scalar }

    /// The SM2-with-SM3 signature of `message` under `id` (GB/T 32918.2): e = SM3(Z || message), Z binding
    /// the ID and this key's public point. Randomised: two signatures of one message differ.
    public func signature(for message: [UInt8], id: SM2DistinguishingID = .default) throws(NationalCryptoError) -> SM2Signature {
        let key = try SM2Engine.makeKey(publicPoint: publicKey.x963Representation, privateScalar: scalar)
        defer { EVP_PKEY_free(key) }
        let der = try SM2Engine.withDigestContext(key: key, id: id, signing: true) { context throws(NationalCryptoError) in
            var signature = [UInt8](repeating: 0, count: SM2Engine.maximumDERSignatureLength)
            var length = signature.count
            try requireSuccess(EVP_DigestSign(context, &signature, &length, message, message.count), "make an SM2 signature")
            return Array(signature.prefix(length))
        }
        return try SM2Signature(derRepresentation: der)
    }

    public var description: String { "SM2PrivateKey(\(publicKey), <private key redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
