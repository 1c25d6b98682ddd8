import Testing
import ISO7816
@testable import CardSecurity
import SeededRandom

/// Every parser of card or wire data meets truncated, mutated and random bytes: it must answer with
/// a value or a `CardSecurityError`, never trap. A seeded generator keeps failures reproducible.
@Suite("Parser robustness")
struct ParserRobustnessTests {

    /// Truncations, single-byte mutations and random strings derived from a valid sample.
    static func variants(of sample: [UInt8], seed: UInt64, count: Int = 400) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        var result = (0..<sample.count).map { Array(sample.prefix($0)) }
        for _ in 0..<count {
            var mutated = sample
            let position = Int.random(in: 0..<max(1, mutated.count), using: &generator)
            if !mutated.isEmpty { mutated[position] = UInt8.random(in: 0...255, using: &generator) }
            result.append(mutated)
            result.append((0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        return result
    }

    static func signedObjectSample() throws -> [UInt8] {
        let content = try SecurityObject(suite: .international, serial: Vectors.serial, signedOn: Vectors.day,
                                         chipPublicKey: Vectors.chipKey.publicKey, files: Vectors.files)
        return try SignedSecurityObject.sign(content, signer: CertificateTests.authority.documentSigner).encoded
    }

    @Test func securityObjectsAndStatusListsNeverTrap() throws {
        var decoded = 0
        for bytes in Self.variants(of: try Self.signedObjectSample(), seed: 1) {
            if (try? SignedSecurityObject(decoding: bytes)) != nil { decoded += 1 }
            _ = try? SignedStatusList(decoding: bytes)
            _ = try? TLV.decodeAll(bytes, what: "fuzz")
        }
        let list = try SignedStatusList.sign(StatusListTests.list(), signer: CertificateTests.authority.documentSigner)
        for bytes in Self.variants(of: list.encoded, seed: 2) { _ = try? SignedStatusList(decoding: bytes) }
        #expect(decoded > 0) // the unmutated prefix-free samples still decode
    }

    @Test func protectedAPDUsNeverTrapOnTheCardOrTheTerminal() throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        let command = try terminal.protect(SecureMessagingTests.verifyPIN, encrypt: true).apdu.bytes
        var accepted: Set<[UInt8]> = []
        for bytes in Self.variants(of: command, seed: 3) + [command] {
            var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
            guard let parsed = try? ProtectedCommand(apdu: bytes) else { continue }
            if (try? card.unprotect(parsed)) != nil { accepted.insert(bytes) }
        }
        #expect(accepted == [command]) // only the unaltered command verifies

        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        _ = try card.unprotect(ProtectedCommand(apdu: command))
        let response = try card.protect(ResponseAPDU(data: Array(repeating: 0x42, count: 20), statusWord: 0x9000), encrypt: true)
        var verified: Set<[UInt8]> = []
        for bytes in Self.variants(of: response, seed: 4) + [response] {
            var host = SecureMessagingChannel(keys: Vectors.sessionKeys)
            _ = try host.protect(SecureMessagingTests.verifyPIN, encrypt: true)
            if (try? host.unprotect(response: bytes)) != nil { verified.insert(bytes) }
        }
        #expect(verified == [response])
    }

    @Test func keysAndChipKeyFilesNeverTrap() {
        for bytes in Self.variants(of: ChipKeyFile.encode(Vectors.chipKey.publicKey), seed: 5, count: 200) {
            _ = try? ChipKeyFile.decode(bytes)
            _ = try? VerifyingKey(x963Representation: bytes)
            _ = try? SigningKey(rawRepresentation: bytes)
            _ = try? PKICertificate(derEncoded: bytes)
        }
    }
}
