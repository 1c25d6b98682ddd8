import COpenSSL

/// SM4 (GB/T 32907-2016), the national suite's 128-bit block cipher with 128-bit keys, in the forms the
/// card application uses AES: one block, CBC without padding (the caller pads), and CMAC.
public enum SM4 {
    public static let blockSize = 16
    public static let keySize = 16

    /// SM4 encryption of one 16-byte block (turns the send sequence counter into a CBC IV).
    public static func encryptBlock(_ block: [UInt8], key: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        try requireLength(block, blockSize, "SM4 block")
        return try crypt(block, key: key, iv: nil, encrypting: true, operation: "SM4 block encryption")
    }

    /// SM4 decryption of one 16-byte block.
    public static func decryptBlock(_ block: [UInt8], key: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        try requireLength(block, blockSize, "SM4 block")
        return try crypt(block, key: key, iv: nil, encrypting: false, operation: "SM4 block decryption")
    }

    /// SM4-CBC encryption of whole blocks (the caller pads).
    public static func cbcEncrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        try requireWholeBlocks(plaintext, "SM4-CBC encryption")
        try requireLength(iv, blockSize, "SM4-CBC IV")
        return try crypt(plaintext, key: key, iv: iv, encrypting: true, operation: "SM4-CBC encryption")
    }

    /// SM4-CBC decryption of whole blocks (the caller unpads).
    public static func cbcDecrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        try requireWholeBlocks(ciphertext, "SM4-CBC decryption")
        try requireLength(iv, blockSize, "SM4-CBC IV")
        return try crypt(ciphertext, key: key, iv: iv, encrypting: false, operation: "SM4-CBC decryption")
    }

    /// Full 16-byte SM4-CMAC of `message`: the NIST SP 800-38B construction with SM4 as the block cipher
    /// (OpenSSL's CMAC over "SM4-CBC"), the national suite's MAC and KDF PRF.
    public static func cmac(_ message: [UInt8], key: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        try requireLength(key, keySize, "SM4 key")
        guard let algorithm = EVP_MAC_fetch(nil, "CMAC", nil) else { throw openSSLFailure("find the CMAC algorithm") }
        defer { EVP_MAC_free(algorithm) }
        guard let context = EVP_MAC_CTX_new(algorithm) else { throw openSSLFailure("allocate a CMAC context") }
        defer { EVP_MAC_CTX_free(context) }
        let started = "SM4-CBC".withCString { cipher in
            var parameters = [
                OSSL_PARAM_construct_utf8_string(permit_param_mac_cipher(), UnsafeMutablePointer(mutating: cipher), 0),
                OSSL_PARAM_construct_end(),
            ]
            return EVP_MAC_init(context, key, key.count, &parameters)
        }
        try requireSuccess(started, "start SM4-CMAC")
        try requireSuccess(EVP_MAC_update(context, message, message.count), "compute SM4-CMAC")
        var mac = [UInt8](repeating: 0, count: blockSize)
        var length = 0
        try requireSuccess(EVP_MAC_final(context, &mac, &length, mac.count), "finish SM4-CMAC")
        guard length == blockSize else { throw .openSSLFailed(operation: "compute SM4-CMAC", reason: "\(length)-byte MAC") }
        return mac
    }

    /// SM4-ECB (one block, `iv` nil) or SM4-CBC with padding off, through one EVP cipher context.
    private static func crypt(
        _ input: [UInt8], key: [UInt8], iv: [UInt8]?, encrypting: Bool, operation: String
    ) throws(NationalCryptoError) -> [UInt8] {
        try requireLength(key, keySize, "SM4 key")
        guard input.count <= Int32.max - Int32(blockSize) else { throw .inputTooLong(operation: operation, actual: input.count) }
        guard let cipher = EVP_CIPHER_fetch(nil, iv == nil ? "SM4-ECB" : "SM4-CBC", nil) else {
            throw openSSLFailure("find the SM4 cipher")
        }
        defer { EVP_CIPHER_free(cipher) }
        guard let context = EVP_CIPHER_CTX_new() else { throw openSSLFailure("allocate an SM4 context") }
        defer { EVP_CIPHER_CTX_free(context) }
        try requireSuccess(EVP_CipherInit_ex2(context, cipher, key, iv, encrypting ? 1 : 0, nil), "start \(operation)")
        try requireSuccess(EVP_CIPHER_CTX_set_padding(context, 0), "turn padding off for \(operation)")
        var output = [UInt8](repeating: 0, count: input.count + blockSize)
        var written: Int32 = 0
        var finalWritten: Int32 = 0
        let result = output.withUnsafeMutableBufferPointer { buffer in
            guard EVP_CipherUpdate(context, buffer.baseAddress, &written, input, Int32(input.count)) == 1 else { return Int32(0) }
            return EVP_CipherFinal_ex(context, buffer.baseAddress! + Int(written), &finalWritten)
        }
        try requireSuccess(result, operation)
        let total = Int(written + finalWritten)
        guard total == input.count else {
            throw .openSSLFailed(operation: operation, reason: "\(total) bytes out for \(input.count) in")
        }
        return Array(output.prefix(total))
    }

    private static func requireLength(_ bytes: [UInt8], _ expected: Int, _ what: String) throws(NationalCryptoError) {
        guard bytes.count == expected else { throw .invalidLength(what: what, expected: expected, actual: bytes.count) }
    }

    private static func requireWholeBlocks(_ bytes: [UInt8], _ operation: String) throws(NationalCryptoError) {
        guard !bytes.isEmpty, bytes.count.isMultiple(of: blockSize) else {
            throw .notWholeBlocks(operation: operation, actual: bytes.count)
        }
    }
}
