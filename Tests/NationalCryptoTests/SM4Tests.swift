import ISO7816
import NationalCrypto
import Testing

@Suite("SM4 block cipher (GB/T 32907)")
struct SM4Tests {
    /// GB/T 32907-2016 appendix A, example 1: key = plaintext.
    static let key = try! [UInt8](hex: "0123456789ABCDEFFEDCBA9876543210")
    static let ciphertext = try! [UInt8](hex: "681EDF34D206965E86B3E94F536E4246")

    @Test("the standard's example 1, both ways")
    func standardExample() throws {
        #expect(try SM4.encryptBlock(Self.key, key: Self.key) == Self.ciphertext)
        #expect(try SM4.decryptBlock(Self.ciphertext, key: Self.key) == Self.key)
    }

    /// The CBC example of draft-ribose-cfrg-sm4: the GB/T key, IV 00..0F, four blocks.
    @Test("SM4-CBC example, both ways")
    func cbcExample() throws {
        let iv = try [UInt8](hex: "000102030405060708090A0B0C0D0E0F")
        let plaintext = try [UInt8](hex: "AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDDEEEEEEEEFFFFFFFFAAAAAAAABBBBBBBB")
        let expected = try [UInt8](hex: "78EBB11CC40B0A48312AAEB2040244CB4CB7016951909226979B0D15DC6A8F6D")
        #expect(try SM4.cbcEncrypt(plaintext, key: Self.key, iv: iv) == expected)
        #expect(try SM4.cbcDecrypt(expected, key: Self.key, iv: iv) == plaintext)
    }

    @Test("wrong key, block and IV lengths and partial blocks give the typed error")
    func badLengths() {
        let block = [UInt8](repeating: 0, count: 16)
        #expect(throws: NationalCryptoError.invalidLength(what: "SM4 key", expected: 16, actual: 15)) {
            try SM4.encryptBlock(block, key: Array(Self.key.prefix(15)))
        }
        #expect(throws: NationalCryptoError.invalidLength(what: "SM4 block", expected: 16, actual: 17)) {
            try SM4.decryptBlock(block + [0], key: Self.key)
        }
        #expect(throws: NationalCryptoError.invalidLength(what: "SM4-CBC IV", expected: 16, actual: 8)) {
            try SM4.cbcEncrypt(block, key: Self.key, iv: Array(block.prefix(8)))
        }
        #expect(throws: NationalCryptoError.notWholeBlocks(operation: "SM4-CBC decryption", actual: 20)) {
            try SM4.cbcDecrypt(block + [1, 2, 3, 4], key: Self.key, iv: block)
        }
        #expect(throws: NationalCryptoError.notWholeBlocks(operation: "SM4-CBC encryption", actual: 0)) {
            try SM4.cbcEncrypt([], key: Self.key, iv: block)
        }
        #expect(throws: NationalCryptoError.invalidLength(what: "SM4 key", expected: 16, actual: 32)) {
            try SM4.cmac([], key: Self.key + Self.key)
        }
    }

    @Test("errors tell the operator what to do")
    func errorSentences() {
        let error = NationalCryptoError.notWholeBlocks(operation: "SM4-CBC encryption", actual: 20)
        #expect(error.description.contains("20 bytes"))
        #expect(error.description.contains("pad the data first"))
    }
}
