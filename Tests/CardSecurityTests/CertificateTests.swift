import ISO7816
import Foundation
import Testing
@testable import CardSecurity

@Suite("Certificates, security object and endorsement signatures")
struct CertificateTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z
    static let end = Date(timeIntervalSince1970: 1_893_456_000) // 2030-01-01T00:00:00Z
    static let during = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18
    static let authority = try! TestAuthority.generate(notBefore: start, notAfter: end)
    static let stranger = try! TestAuthority.generate(name: "Another Authority", notBefore: start, notAfter: end)

    static func signedObject(by signer: SigningCredential = authority.documentSigner) throws -> SignedSecurityObject {
        let content = try SecurityObject(suite: .international, serial: Vectors.serial, signedOn: Vectors.day,
                                         chipPublicKey: Vectors.chipKey.publicKey, files: Vectors.files)
        return try SignedSecurityObject.sign(content, signer: signer)
    }

    @Test func theTestAuthorityChainsAndCarriesTheRightRoles() async {
        let trust = Self.authority.trustStore
        #expect(await trust.verify(Self.authority.documentSigner.certificate, for: .documentSigner, at: Self.during) == .passed)
        for station in [Self.authority.issuingStation, Self.authority.endorsingStation, Self.authority.kiosk] {
            #expect(await trust.verify(station.certificate, for: .endorsingStation, at: Self.during) == .passed)
        }
        #expect(await trust.verify(Self.authority.issuingStation.certificate, for: .issuingStation, at: Self.during) == .passed)
        #expect(!(await trust.verify(Self.authority.kiosk.certificate, for: .issuingStation, at: Self.during)).isPassed)
        #expect(Self.authority.issuingStation.certificate.roles == [.issuingStation, .endorsingStation])
        #expect(Self.authority.kiosk.certificate.roles == [.endorsingStation])
        #expect(Self.authority.documentSigner.certificate.roles == [.documentSigner])
    }

    @Test func aCertificateUnderAnotherRootIsRefused() async {
        let verdict = await Self.authority.trustStore.verify(
            Self.stranger.documentSigner.certificate, for: .documentSigner, at: Self.during)
        #expect(verdict == .failed(reason: "certificate \"\(Self.stranger.documentSigner.certificate.subject)\" is not issued under the trusted root \"\(Self.authority.root.certificate.subject)\""))
    }

    @Test(arguments: [end.addingTimeInterval(1), start.addingTimeInterval(-1)])
    func aCertificateOutsideItsValidityAtTheInjectedDateIsRefused(date: Date) async {
        let verdict = await Self.authority.trustStore.verify(Self.authority.documentSigner.certificate, for: .documentSigner, at: date)
        #expect(!verdict.isPassed)
        #expect(verdict.description.contains(date > Self.end ? "expired on 2030-01-01T00:00:00Z" : "is not valid before 2026-01-01T00:00:00Z"))
    }

    @Test func aStationCertificateCannotSignSecurityObjects() async {
        let verdict = await Self.authority.trustStore.verify(Self.authority.kiosk.certificate, for: .documentSigner, at: Self.during)
        #expect(verdict.description.contains("not certified for the document signer role"))
    }

    @Test func aCertificateWithoutDigitalSignatureUsageIsRefused() async throws {
        let key = try SigningKey.random()
        let certificate = try CertificateAuthority.issue(
            name: "Key agreement only", subjectKey: key.publicKey, roles: [.documentSigner],
            issuer: Self.authority.root.certificate, issuerKey: Self.authority.root.key,
            notBefore: Self.start, notAfter: Self.end, keyUsage: .init(keyAgreement: true))
        let verdict = await Self.authority.trustStore.verify(certificate, for: .documentSigner, at: Self.during)
        #expect(verdict.description.contains("key usage does not allow digital signatures"))
    }

    @Test func aCertificateIssuedByAStationIsRefused() async throws {
        let key = try SigningKey.random()
        let certificate = try CertificateAuthority.issue(
            name: "Issued by a kiosk", subjectKey: key.publicKey, roles: [.documentSigner],
            issuer: Self.authority.kiosk.certificate, issuerKey: Self.authority.kiosk.key,
            notBefore: Self.start, notAfter: Self.end)
        let trust = TrustStore(root: Self.authority.root.certificate, certificates: [Self.authority.kiosk.certificate])
        #expect(!(await trust.verify(certificate, for: .documentSigner, at: Self.during)).isPassed)
    }

    @Test func certificatesSurvivePEMAndDER() throws {
        let certificate = Self.authority.documentSigner.certificate
        #expect(try PKICertificate(pemEncoded: certificate.pemEncoded) == certificate)
        #expect(try PKICertificate(derEncoded: certificate.derEncoded) == certificate)
        #expect(throws: CardSecurityError.self) { try PKICertificate(derEncoded: [0x30, 0x03, 0x02, 0x01, 0x00]) }
    }

    @Test func aSignedSecurityObjectRoundTripsAndVerifies() async throws {
        let signed = try Self.signedObject()
        let decoded = try SignedSecurityObject(decoding: signed.encoded + Array(repeating: 0, count: 50))
        #expect(decoded == signed)
        #expect(await decoded.verifySignature(trust: Self.authority.trustStore, at: Self.during) == .passed)
        let verdicts = decoded.verifyFiles(Vectors.files)
        #expect(verdicts.count == 2 && verdicts.values.allSatisfy { $0.isPassed })
        #expect(decoded.content.chipPublicKey == Vectors.chipKey.publicKey)
    }

    @Test func theSecurityObjectIsBoundToItsCardAndChipKey() throws {
        let signed = try Self.signedObject()
        let chipFile = ChipKeyFile.encode(Vectors.chipKey.publicKey)
        #expect(signed.verifyBinding(serial: Vectors.serial, chipKeyFile: chipFile) == .passed)
        let other = try CardSerial(hex: "3301020304050608")
        #expect(signed.verifyBinding(serial: other, chipKeyFile: chipFile).description.contains("copied from another card"))
        let otherChip = ChipKeyFile.encode(try SigningKey.random().publicKey)
        #expect(signed.verifyBinding(serial: Vectors.serial, chipKeyFile: otherChip)
            == .failed(reason: "EF.CHIPKEY differs from the chip key the authority signed"))
        #expect(!signed.verifyBinding(serial: Vectors.serial, chipKeyFile: Array(repeating: 0, count: 67)).isPassed)
    }

    @Test func anAlteredFileFailsItsOwnCheckOnly() throws {
        var files = Vectors.files
        files[0x0102]![0] ^= 0x01
        let verdicts = try Self.signedObject().verifyFiles(files)
        #expect(verdicts[0x0101] == .passed)
        #expect(verdicts[0x0102] == .failed(reason: "file 0102 does not match the digest the authority signed: it was altered"))
        files[0x0101] = nil
        #expect(!(try Self.signedObject().verifyFiles(files)[0x0101]!.isPassed))
    }

    @Test func anAlteredSecurityObjectFailsItsSignature() async throws {
        var bytes = try Self.signedObject().encoded
        // The serial's last byte inside the content: 77 82 LL LL 71 81 AF 80 01 01 81 01 01 5A 08 <serial>.
        bytes[22] ^= 0x01
        let altered = try SignedSecurityObject(decoding: bytes)
        #expect(altered.content.serial != Vectors.serial)
        let verdict = await altered.verifySignature(trust: Self.authority.trustStore, at: Self.during)
        #expect(verdict.description.contains("does not verify"))
    }

    @Test func aSecurityObjectSignedWithAnotherKeyThanItsCertificateFails() async throws {
        let forger = SigningCredential(certificate: Self.authority.documentSigner.certificate, key: try SigningKey.random())
        let forged = try Self.signedObject(by: forger)
        #expect(!(await forged.verifySignature(trust: Self.authority.trustStore, at: Self.during)).isPassed)
    }

    @Test func aSecurityObjectSignedUnderAnotherAuthorityFails() async throws {
        let foreign = try Self.signedObject(by: Self.stranger.documentSigner)
        #expect(!(await foreign.verifySignature(trust: Self.authority.trustStore, at: Self.during)).isPassed)
    }

    @Test(arguments: [[UInt8](), [0x77, 0x05, 0x71], [0x70, 0x00]])
    func malformedSecurityObjectsAreRefused(bytes: [UInt8]) {
        #expect(throws: CardSecurityError.self) { try SignedSecurityObject(decoding: bytes) }
    }

    @Test func endorsementsVerifyOnlyForTheirCardStationAndRecord() async throws {
        let kiosk = Self.authority.kiosk
        let keyID = kiosk.key.publicKey.keyIdentifier
        let record = [0x01] + Array("2026112220271122".utf8) + keyID
        let signature = try RecordSignature.sign(.endorsement, record: record, serial: Vectors.serial, stationKey: kiosk.key)
        func verdict(_ record: [UInt8], serial: CardSerial = Vectors.serial, keyID: [UInt8] = keyID,
                     kind: SignedRecordKind = .endorsement, at date: Date = Self.during) async -> Verdict {
            await RecordSignature.verify(kind, signature: signature, record: record, serial: serial,
                                         keyIdentifier: keyID, trust: Self.authority.trustStore, at: date)
        }
        #expect(await verdict(record) == .passed)
        var altered = record
        altered[3] ^= 0x01
        #expect(await verdict(altered).description.contains("does not verify"))
        #expect(await verdict(record, serial: try CardSerial(hex: "3301020304050608")).description.contains("does not verify"))
        #expect(await verdict(record, keyID: [UInt8](repeating: 0, count: 8)).description.contains("no station certificate"))
        #expect(await verdict(record, at: Self.end.addingTimeInterval(86_400)).description.contains("expired"))
        // A kiosk may endorse but not write status records, and an endorsement never passes for one.
        #expect(await verdict(record, kind: .status).description.contains("not certified for the issuing station role"))
    }

    @Test func issuingStationsSignStatusAndResidenceRecordsInTheirOwnDomain() async throws {
        let station = Self.authority.issuingStation
        let keyID = station.key.publicKey.keyIdentifier
        let record = [0x02, 0x00, 0x01] + keyID
        let status = try RecordSignature.sign(.status, record: record, serial: Vectors.serial, stationKey: station.key)
        let trust = Self.authority.trustStore
        #expect(await RecordSignature.verify(.status, signature: status, record: record, serial: Vectors.serial,
                                             keyIdentifier: keyID, trust: trust, at: Self.during) == .passed)
        #expect(!(await RecordSignature.verify(.residence, signature: status, record: record, serial: Vectors.serial,
                                               keyIdentifier: keyID, trust: trust, at: Self.during)).isPassed)
    }

    @Test func aDocumentSignerCannotSignEndorsements() async throws {
        let signer = Self.authority.documentSigner
        let record = [0x01] + signer.key.publicKey.keyIdentifier
        let signature = try RecordSignature.sign(.endorsement, record: record, serial: Vectors.serial, stationKey: signer.key)
        let verdict = await RecordSignature.verify(
            .endorsement, signature: signature, record: record, serial: Vectors.serial,
            keyIdentifier: signer.key.publicKey.keyIdentifier, trust: Self.authority.trustStore, at: Self.during)
        #expect(verdict.description.contains("not certified for the endorsing station role"))
    }

    @Test func masterKeysRoundTripThroughJSONAndHideInDescriptions() throws {
        let keys = Self.authority.masterKeys
        let json = try JSONEncoder().encode(keys)
        #expect(try JSONDecoder().decode(MasterKeySet.self, from: json) == keys)
        let hex = keys.masterKey(for: .issuingStation)!.rawBytes.hexString
        #expect(!String(describing: keys).contains(hex))
        #expect(!String(describing: Self.authority.root).contains(Self.authority.root.key.rawRepresentation.hexString))
        #expect(try keys.cardKey(for: .readingTerminal, serial: Vectors.serial)
            == KeyDerivation.cardKey(master: keys.masterKey(for: .readingTerminal)!, role: .readingTerminal, serial: Vectors.serial))
    }

    @Test func signingDaysAreEightDigitsOfACalendarDay() throws {
        #expect(Vectors.day.asciiDigits == Array("20261122".utf8))
        #expect(try CalendarDate(asciiDigits: Array("20261122".utf8)) == Vectors.day)
        #expect(throws: CardSecurityError.self) { try CalendarDate(asciiDigits: Array("20260230".utf8)) }
        #expect(throws: CardSecurityError.self) { try CalendarDate(asciiDigits: Array("2026-1-1".utf8)) }
    }
}
