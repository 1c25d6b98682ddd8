import ISO7816
import NationalCrypto
import Testing

/// The same computations in gmssl, an independent pure-Python implementation (GmsslPeer): digests,
/// ciphertexts and MACs must be equal, and signatures made on one side must verify on the other.
@Suite("Interop with gmssl (pure Python)")
struct GmsslInteropTests {
    /// Deterministic bytes of any length, different for each `seed`.
    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ Int(seed) &* 17 &+ ($0 >> 3)) }
    }

    /// Lengths around SM3's and SM4's block and padding boundaries.
    static let lengths = [0, 1, 15, 16, 17, 31, 32, 33, 55, 56, 63, 64, 65, 100, 1000]

    @Test("SM3 digests are equal")
    func sm3() async throws {
        let messages = Self.lengths.map { Self.pattern($0, seed: 1) }
        let theirs = try await GmsslPeer.bytes(messages.map { .init("sm3", message: $0) })
        for (message, digest) in zip(messages, theirs) {
            #expect(try SM3.hash(message) == digest, "\(message.count)-byte message")
        }
    }

    @Test("SM4 blocks and SM4-CBC are equal, both ways")
    func sm4() async throws {
        let keys = (0..<4).map { Self.pattern(16, seed: UInt8(10 + $0)) }
        let blocks = (0..<4).map { Self.pattern(16, seed: UInt8(20 + $0)) }
        let iv = Self.pattern(16, seed: 30)
        let data = Self.pattern(80, seed: 31)
        var requests: [GmsslPeer.Request] = []
        for (key, block) in zip(keys, blocks) {
            requests += [.init("sm4-encrypt-block", key: key, block: block), .init("sm4-decrypt-block", key: key, block: block)]
        }
        requests += [.init("sm4-cbc-encrypt", key: keys[0], iv: iv, data: data), .init("sm4-cbc-decrypt", key: keys[0], iv: iv, data: data)]
        let theirs = try await GmsslPeer.bytes(requests)
        for (index, (key, block)) in zip(keys, blocks).enumerated() {
            #expect(try SM4.encryptBlock(block, key: key) == theirs[2 * index])
            #expect(try SM4.decryptBlock(block, key: key) == theirs[2 * index + 1])
        }
        #expect(try SM4.cbcEncrypt(data, key: keys[0], iv: iv) == theirs[8])
        #expect(try SM4.cbcDecrypt(data, key: keys[0], iv: iv) == theirs[9])
    }

    @Test("SM4-CMAC equals an SP 800-38B CMAC written over gmssl's SM4")
    func sm4CMAC() async throws {
        let key = Self.pattern(16, seed: 40)
        let messages = Self.lengths.map { Self.pattern($0, seed: 41) }
        let theirs = try await GmsslPeer.bytes(messages.map { .init("sm4-cmac", key: key, message: $0) })
        for (message, mac) in zip(messages, theirs) {
            #expect(try SM4.cmac(message, key: key) == mac, "\(message.count)-byte message")
        }
    }

    @Test("SM2 public keys computed from private keys are equal")
    func sm2PublicKeys() async throws {
        let keys = try (0..<4).map { _ in try SM2PrivateKey() }
        let theirs = try await GmsslPeer.bytes(keys.map { .init("sm2-public-key", privateKey: $0.rawRepresentation) })
        for (key, publicKey) in zip(keys, theirs) {
            #expect(key.publicKey.x963Representation == publicKey)
        }
    }

    @Test("signatures made here verify in gmssl (default ID, r || s and DER); tampered ones do not")
    func swiftSignsGmsslVerifies() async throws {
        let key = try SM2PrivateKey()
        let message = Self.pattern(61, seed: 50)
        let signatures = try (0..<3).map { _ in try key.signature(for: message) }
        var tampered = message
        tampered[0] ^= 0x01
        var requests: [GmsslPeer.Request] = []
        for signature in signatures {
            requests += [
                .init("sm2-verify", message: message, publicKey: key.publicKey.x963Representation, signature: signature.rawRepresentation, der: false),
                .init("sm2-verify", message: message, publicKey: key.publicKey.x963Representation, signature: signature.derRepresentation, der: true),
                .init("sm2-verify", message: tampered, publicKey: key.publicKey.x963Representation, signature: signature.rawRepresentation, der: false),
            ]
        }
        let verdicts = try await GmsslPeer.verdicts(requests)
        #expect(verdicts == Array(repeating: [true, true, false], count: signatures.count).flatMap { $0 })
    }

    @Test("signatures made by gmssl (default ID, r || s and DER) verify here; tampered ones do not")
    func gmsslSignsSwiftVerifies() async throws {
        let key = try SM2PrivateKey()
        let message = Self.pattern(61, seed: 60)
        let theirs = try await GmsslPeer.bytes([
            .init("sm2-sign", message: message, privateKey: key.rawRepresentation, der: false),
            .init("sm2-sign", message: message, privateKey: key.rawRepresentation, der: true),
        ])
        let raw = try SM2Signature(rawRepresentation: theirs[0])
        let der = try SM2Signature(derRepresentation: theirs[1])
        for signature in [raw, der] {
            #expect(key.publicKey.isValidSignature(signature, for: message))
            #expect(!key.publicKey.isValidSignature(signature, for: message + [0x00]))
            #expect(!key.publicKey.isValidSignature(signature, for: message, id: try SM2DistinguishingID(text: "1234567812345679")))
        }
    }

    @Test("with another distinguishing ID, signatures cross both ways; under the default ID they fail")
    func explicitID() async throws {
        let id = try SM2DistinguishingID(text: "ALICE123@YAHOO.COM")
        let key = try SM2PrivateKey()
        let publicKey = key.publicKey.x963Representation
        let message = Self.pattern(40, seed: 70)
        let ours = try key.signature(for: message, id: id)
        let nonce = Self.pattern(32, seed: 71)
        let theirs = try await GmsslPeer.bytes([
            .init("sm2-sign-with-id", message: message, privateKey: key.rawRepresentation, id: id.bytes, nonce: nonce),
        ])
        let verdicts = try await GmsslPeer.verdicts([
            .init("sm2-verify-with-id", message: message, publicKey: publicKey, signature: ours.rawRepresentation, id: id.bytes),
            .init("sm2-verify", message: message, publicKey: publicKey, signature: ours.rawRepresentation, der: false),
        ])
        #expect(verdicts == [true, false])
        let signature = try SM2Signature(rawRepresentation: theirs[0])
        #expect(key.publicKey.isValidSignature(signature, for: message, id: id))
        #expect(!key.publicKey.isValidSignature(signature, for: message))
    }

    @Test("gmssl reproduces the GB/T 32918.5 example signature from its nonce, which verifies here")
    func standardExampleInGmssl() async throws {
        let theirs = try await GmsslPeer.bytes([
            .init("sm2-sign-with-id", message: SM2Tests.StandardExample.message, privateKey: SM2Tests.StandardExample.privateKey,
                  id: SM2DistinguishingID.default.bytes,
                  nonce: try [UInt8](hex: "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21")),
        ])
        #expect(theirs[0] == SM2Tests.StandardExample.signature)
    }
}
