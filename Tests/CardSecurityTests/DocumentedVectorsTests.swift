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
        let authentication = try TerminalAuthentication.authenticate(
            roleKey: Vectors.issuerCardKey, cardNonce: Vectors.cardNonce, serial: Vectors.serial, terminalNonce: Vectors.terminalNonce)
        outputs["V2 data"] = authentication.commandData
        outputs["V2 KS_MAC"] = authentication.sessionKeys.macKey.rawBytes
        outputs["V2 KS_ENC"] = authentication.sessionKeys.encryptionKey.rawBytes
        outputs["V2 SSC0"] = authentication.sessionKeys.initialCounter

        var terminal = SecureMessagingChannel(keys: authentication.sessionKeys)
        var card = SecureMessagingChannel(keys: authentication.sessionKeys)
        let exchanges: [(CommandAPDU, Bool, ResponseAPDU)] = [
            (SecureMessagingTests.updateBinary, false, ResponseAPDU(statusWord: 0x9000)),
            (SecureMessagingTests.readBinary, false, ResponseAPDU(data: Array(UInt8(0)...UInt8(15)), statusWord: 0x9000)),
            (SecureMessagingTests.verifyPIN, true, ResponseAPDU(statusWord: 0x63C2)),
        ]
        for (index, (command, encrypt, response)) in exchanges.enumerated() {
            let protected = try terminal.protect(command, encrypt: encrypt)
            _ = try card.unprotect(protected)
            let answer = try card.protect(response)
            _ = try terminal.unprotect(response: answer)
            outputs["V3 C\(index + 1)"] = protected.apdu.bytes
            outputs["V3 R\(index + 1)"] = answer
        }

        outputs["V4 chip key"] = Vectors.chipKey.publicKey.x963Representation
        outputs["V4 signed bytes"] = SignatureDomain.chipAuthentication.prefix
            + (try ChipAuthentication.payload(challenge: Vectors.challenge, serial: Vectors.serial))
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
