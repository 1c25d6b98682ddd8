import ISO7816
import Foundation
import Testing
@testable import CardSecurity

/// docs/CARD-SECURITY.md §13 must show what the code computes: each output is computed here and
/// looked up in the document (spaces ignored), so the document cannot drift from the implementation.
@Suite("Documented vectors")
struct DocumentedVectorsTests {
    static let document: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/CARD-SECURITY.md")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.filter { !$0.isWhitespace }
    }()

    static func computedOutputs() throws -> [String: [UInt8]] {
        var outputs: [String: [UInt8]] = [:]
        for role in KeyRole.allCases {
            outputs["V1 \(role.rawValue)"] = try KeyDerivation.cardKey(master: Vectors.master(role), role: role, serial: Vectors.serial).rawBytes
        }
        let request = Vectors.chipRequest
        let (answer, chip) = Vectors.chipAnswer
        outputs["V2 request"] = request.commandData
        outputs["V2 Z"] = try Vectors.chipKey.sharedSecret(with: Vectors.ephemeralKey.publicKey.x963Representation)
        outputs["V2 KS_ENC"] = chip.keys.encryptionKey.rawBytes
        outputs["V2 KS_MAC"] = chip.keys.macKey.rawBytes
        outputs["V2 token"] = try chip.token()
        outputs["V2 answer"] = answer
        outputs["V3 transcript"] = chip.transcript(serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        let terminalCryptogram = try RoleAuthentication.terminalCryptogram(
            roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        outputs["V3 terminal"] = terminalCryptogram
        outputs["V3 card"] = try RoleAuthentication.cardCryptogram(
            roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)

        var terminal = SecureMessagingChannel(keys: chip.keys)
        var card = SecureMessagingChannel(keys: chip.keys)
        let exchanges: [(CommandAPDU, ResponseAPDU)] = [
            (SecureMessagingTests.externalAuthenticate, ResponseAPDU(data: outputs["V3 card"]!, statusWord: 0x9000)),
            (SecureMessagingTests.readHolder, ResponseAPDU(data: Array(UInt8(0)...UInt8(15)), statusWord: 0x9000)),
            (SecureMessagingTests.verifyPIN, ResponseAPDU(statusWord: 0x63C2)),
        ]
        for (index, (command, response)) in exchanges.enumerated() {
            let protected = try terminal.protect(command, encrypt: true)
            _ = try card.unprotect(protected)
            let wrapped = try card.protect(response, encrypt: true)
            _ = try terminal.unprotect(response: wrapped)
            outputs["V4 C\(index + 1)"] = protected.apdu.bytes
            outputs["V4 R\(index + 1)"] = wrapped
        }

        outputs["V5 content"] = try SecurityObject(suite: .international, serial: Vectors.serial, signedOn: Vectors.day,
                                                   chipPublicKey: Vectors.chipKey.publicKey, files: Vectors.files).encoded
        outputs["V5 signer key"] = Vectors.documentSignerKey.publicKey.x963Representation
        outputs["V6 station key"] = Vectors.stationKey.publicKey.x963Representation
        outputs["V6 key identifier"] = Vectors.stationKey.publicKey.keyIdentifier
        outputs["V7 content"] = try StatusListTests.list().encoded
        outputs["endorsement prefix"] = SignatureDomain.endorsement.prefix
        return outputs
    }

    @Test func theDocumentShowsEveryComputedVector() throws {
        #expect(!Self.document.isEmpty, "docs/CARD-SECURITY.md not found")
        for (name, bytes) in try Self.computedOutputs() {
            #expect(Self.document.contains(bytes.hexString), "\(name): \(bytes.hexString) is not in docs/CARD-SECURITY.md")
        }
    }

    @Test func theDocumentNamesEveryDomainPrefix() {
        for domain in SignatureDomain.allCases {
            let text = String(decoding: domain.prefix.dropLast(), as: UTF8.self).filter { !$0.isWhitespace }
            #expect(Self.document.contains(text), "\(domain)")
        }
    }
}
