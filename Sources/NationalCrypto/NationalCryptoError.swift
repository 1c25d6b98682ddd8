/// Every way a national-suite primitive can fail. Descriptions say what was wrong and what to do, and
/// never contain key material, plaintext or signatures.
public enum NationalCryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key, block or IV of the wrong size (`what` names it: "SM4 key", "SM4 block", "SM4-CBC IV").
    case invalidLength(what: String, expected: Int, actual: Int)
    /// CBC data that is empty or not a whole number of 16-byte blocks.
    case notWholeBlocks(operation: String, actual: Int)
    /// Data too long for one OpenSSL call (2 GiB); card data never comes near.
    case inputTooLong(operation: String, actual: Int)
    case malformedPrivateKey(String)
    case malformedPublicKey(String)
    case malformedSignature(String)
    /// An SM2 distinguishing ID outside 1...8190 bytes (its bit length fills the 16-bit ENTL field; OpenSSL takes 8190 at most).
    case invalidDistinguishingID(length: Int)
    /// libcrypto refused an operation that valid input cannot make fail: a broken or stripped-down OpenSSL.
    case openSSLFailed(operation: String, reason: String)

    public var description: String {
        switch self {
        case .invalidLength(let what, let expected, let actual):
            "The \(what) has \(actual) bytes but must have \(expected); check what the caller passed."
        case .notWholeBlocks(let operation, let actual):
            "\(operation) needs a non-empty whole number of 16-byte blocks but got \(actual) bytes; pad the data first (ISO/IEC 9797-1 method 2)."
        case .inputTooLong(let operation, let actual):
            "\(operation) takes less than 2 GiB at a time but got \(actual) bytes; split the data."
        case .malformedPrivateKey(let detail):
            "An SM2 private key cannot be used (\(detail)); generate a new key or check the key file."
        case .malformedPublicKey(let detail):
            "An SM2 public key cannot be used (\(detail)); check where the key came from (security object, certificate, card)."
        case .malformedSignature(let detail):
            "An SM2 signature cannot be decoded (\(detail)); the signed data is damaged or was not signed with SM2."
        case .invalidDistinguishingID(let length):
            "An SM2 distinguishing ID of \(length) bytes was given; it must have 1 to 8190 bytes (the default is \"1234567812345678\")."
        case .openSSLFailed(let operation, let reason):
            "OpenSSL could not \(operation) (\(reason)); libcrypto is broken or lacks the SM2/SM3/SM4 algorithms: reinstall libssl3 (OpenSSL 3)."
        }
    }
}
