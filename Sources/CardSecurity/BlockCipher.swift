import Crypto
import _CryptoExtras

/// The block-cipher primitives of the international suite: AES-CMAC (RFC 4493 / NIST SP 800-38B),
/// the single-block AES permutation and AES-CBC without padding. Everything above this file is
/// written against these four functions, so the national suite swaps in SM4 here.
enum BlockCipher {
    static let blockSize = 16

    /// Full 16-byte AES-CMAC of `message` under `key`.
    static func cmac(_ message: [UInt8], key: CardKey) throws(CardSecurityError) -> [UInt8] {
        try key.suite.requireSupported()
        do {
            var mac = try AES.CMAC(key: key.symmetricKey)
            mac.update(data: message)
            return Array(mac.finalize())
        } catch {
            throw .primitiveFailed("AES-CMAC")
        }
    }

    /// AES encryption of one 16-byte block (used to turn the send sequence counter into a CBC IV).
    static func encryptBlock(_ block: [UInt8], key: CardKey) throws(CardSecurityError) -> [UInt8] {
        try key.suite.requireSupported()
        var output = block
        do {
            try AES.permute(&output, key: key.symmetricKey)
        } catch {
            throw .primitiveFailed("AES block encryption")
        }
        return output
    }

    /// AES-CBC encryption of whole blocks (the caller pads).
    static func cbcEncrypt(_ plaintext: [UInt8], key: CardKey, iv: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        try key.suite.requireSupported()
        do {
            let vector = try AES._CBC.IV(ivBytes: iv)
            return Array(try AES._CBC.encrypt(plaintext, using: key.symmetricKey, iv: vector, noPadding: true))
        } catch {
            throw .primitiveFailed("AES-CBC encryption")
        }
    }

    /// AES-CBC decryption of whole blocks (the caller unpads).
    static func cbcDecrypt(_ ciphertext: [UInt8], key: CardKey, iv: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        try key.suite.requireSupported()
        guard !ciphertext.isEmpty, ciphertext.count.isMultiple(of: blockSize) else {
            throw .secureMessagingMalformed("encrypted data is not a whole number of blocks")
        }
        do {
            let vector = try AES._CBC.IV(ivBytes: iv)
            return Array(try AES._CBC.decrypt(ciphertext, using: key.symmetricKey, iv: vector, noPadding: true))
        } catch {
            throw .primitiveFailed("AES-CBC decryption")
        }
    }
}
