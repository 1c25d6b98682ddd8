import ISO7816
import Foundation
import Testing
@testable import CardSecurity

@Suite("Signed status list")
struct StatusListTests {
    static let lost = try! CardSerial(hex: "3301020304050607")
    static let cancelled = try! CardSerial(hex: "0000000000000009")

    static func list() throws -> StatusList {
        try StatusList(suite: .international, issuedOn: Vectors.day, sequence: 258, entries: [
            .init(serial: lost, status: 0x04, reason: 0x30, effective: CalendarDate(year: 2026, month: 11, day: 20)!, statusSequence: 3),
            .init(serial: cancelled, status: 0x03, reason: 0x20, effective: CalendarDate(year: 2026, month: 10, day: 1)!, statusSequence: 2),
        ], revoked: [
            .init(keyIdentifier: [0xD1, 0x2F, 0xB2, 0xA6, 0x95, 0x3F, 0x71, 0xCA], revokedFrom: CalendarDate(year: 2026, month: 11, day: 21)!),
        ])
    }

    /// docs/CARD-SECURITY.md vector V7.
    @Test func encodingVector() throws {
        let list = try Self.list()
        #expect(list.encoded.hexString == "717080010281010182083230323631313232830400000102A040"
            + "A11E5A0800000000000000098401038501208608323032363130303187020002"
            + "A11E5A0833010203040506078401048501308608323032363131323087020003"
            + "A216A3148808D12FB2A6953F71CA86083230323631313231")
        #expect(try StatusList(decoding: list.encoded) == list)
        #expect(list.entry(for: Self.lost)?.status == 0x04)
        #expect(list.entry(for: try CardSerial(hex: "3301020304050608")) == nil)
        #expect(list.revocation(of: [0xD1, 0x2F, 0xB2, 0xA6, 0x95, 0x3F, 0x71, 0xCA])?.revokedFrom == CalendarDate(year: 2026, month: 11, day: 21)!)
    }

    @Test("a signed list verifies only unchanged and signed by the authority's status-list signer, never by a document signer or a station")
    func signedListsVerifyOnlyUnchangedAndFromTheStatusListSigner() async throws {
        let authority = CertificateTests.authority
        let signed = try SignedStatusList.sign(Self.list(), signer: authority.statusListSigner)
        let decoded = try SignedStatusList(decoding: signed.encoded)
        #expect(decoded == signed)
        #expect(await decoded.verifySignature(trust: authority.trustStore, at: CertificateTests.during) == .passed)

        var bytes = signed.encoded
        let serialOffset = try #require(bytes.firstRange(of: Self.lost.bytes)).lowerBound
        bytes[serialOffset + 7] ^= 0x01 // the lost card's serial, as if another card were listed
        let altered = try SignedStatusList(decoding: bytes)
        #expect(await altered.verifySignature(trust: authority.trustStore, at: CertificateTests.during)
            == .failed(reason: "the status-list signer's signature over the status list does not verify: it was altered or forged"))

        let byDocumentSigner = try SignedStatusList.sign(Self.list(), signer: authority.documentSigner)
        let refused = await byDocumentSigner.verifySignature(trust: authority.trustStore, at: CertificateTests.during)
        #expect(refused.description.contains("not certified for the status-list signer role"), "\(refused)")
        let byKiosk = try SignedStatusList.sign(Self.list(), signer: authority.kiosk)
        #expect(!(await byKiosk.verifySignature(trust: authority.trustStore, at: CertificateTests.during)).isPassed)
    }

    @Test func malformedListsAreRefused() throws {
        #expect(throws: CardSecurityError.self) {
            try StatusList.Entry(serial: Self.lost, status: 0x01, reason: 0, effective: Vectors.day, statusSequence: 2)
        }
        #expect(throws: CardSecurityError.self) {
            try StatusList.Entry(serial: Self.lost, status: 0x02, reason: 0x10, effective: Vectors.day, statusSequence: 0)
        }
        #expect(throws: CardSecurityError.self) { try StatusList.Revocation(keyIdentifier: [1, 2, 3], revokedFrom: Vectors.day) }
        let entry = try StatusList.Entry(serial: Self.lost, status: 0x02, reason: 0x10, effective: Vectors.day, statusSequence: 2)
        #expect(throws: CardSecurityError.self) {
            try StatusList(suite: .international, issuedOn: Vectors.day, sequence: 1, entries: [entry, entry])
        }
        #expect(throws: CardSecurityError.self) { try SignedStatusList(decoding: [0x77, 0x00]) }
    }
}
