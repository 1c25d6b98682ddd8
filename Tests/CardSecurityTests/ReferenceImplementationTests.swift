import ISO7816
import Foundation
import Testing
import TestPrograms
@testable import CardSecurity

/// An independent implementation (`reference_vectors.py`, Python's `cryptography` only, written from
/// docs/CARD-SECURITY.md) recomputes every vector and verifies fresh signatures made here.
@Suite("Independent reference implementation")
struct ReferenceImplementationTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("reference_vectors.py")

    /// Runs the script with `input` on stdin; gives up after 60 s.
    static func runReference(_ input: Data) async throws -> (status: Int32, output: Data, errors: String) {
        let run = try await TestProgram.run("/usr/bin/python3", [script.path], input: input)
        return (run.status, Data(run.output.utf8), run.errors)
    }

    static func freshSignatures() throws -> [String: String] {
        let content = try SecurityObject(suite: .international, serial: Vectors.serial, signedOn: Vectors.day,
                                         chipPublicKey: Vectors.chipKey.publicKey, files: Vectors.files)
        let record = Vectors.bytes("0132303236313132323230323731313232") + Vectors.stationKey.publicKey.keyIdentifier
        return [
            // The chip answers the vector's request with a fresh nonce: Python checks the token it cannot predict.
            "chipRequest": Vectors.chipRequest.commandData.hexString,
            "chipAnswer": try ChipAuthentication.respond(
                to: Vectors.chipRequest.commandData, chipKey: Vectors.chipKey, chipKeyFile: ChipKeyFile.encode(Vectors.chipKey.publicKey),
                cardNonce: ChipAuthentication.randomNonce()).responseData.hexString,
            "securityObject": try DomainSignature.sign(content.encoded, domain: .securityObject, key: Vectors.documentSignerKey).hexString,
            "record": try RecordSignature.sign(.endorsement, record: record, serial: Vectors.serial, stationKey: Vectors.stationKey).hexString,
        ]
    }

    @Test func pythonReproducesEveryVectorAndAcceptsOurSignatures() async throws {
        let run = try await Self.runReference(JSONEncoder().encode(try Self.freshSignatures()))
        #expect(run.status == 0, "\(run.errors)")
        let reference = try #require(try JSONSerialization.jsonObject(with: run.output) as? [String: String], "\(run.errors)")
        let ours = try DocumentedVectorsTests.computedOutputs()
        #expect(Set(reference.keys) == Set(ours.keys))
        for (name, bytes) in ours {
            #expect(reference[name] == bytes.hexString, "\(name)")
        }
    }

    @Test func pythonRejectsAChipAnswerFromAnotherKey() async throws {
        var inputs = try Self.freshSignatures()
        inputs["chipAnswer"] = try ChipAuthentication.respond(
            to: Vectors.chipRequest.commandData, chipKey: AgreementKey.random(), chipKeyFile: ChipKeyFile.encode(Vectors.chipKey.publicKey),
            cardNonce: ChipAuthentication.randomNonce()).responseData.hexString
        let run = try await Self.runReference(JSONEncoder().encode(inputs))
        #expect(run.status == 1)
        #expect(run.errors.contains("token does not verify"))
    }

    @Test func pythonRejectsASignatureOverOtherBytes() async throws {
        var signatures = try Self.freshSignatures()
        signatures["record"] = try RecordSignature.sign(
            .endorsement, record: [0x02], serial: Vectors.serial, stationKey: Vectors.stationKey).hexString
        let run = try await Self.runReference(JSONEncoder().encode(signatures))
        #expect(run.status == 1)
        #expect(run.errors.contains("does not verify"))
    }
}
