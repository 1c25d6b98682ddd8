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
            .init(serial: lost, status: 0x04, reason: 0x30, effective: CalendarDate(year: 2026, month: 11, day: 20)!),
            .init(serial: cancelled, status: 0x03, reason: 0x20, effective: CalendarDate(year: 2026, month: 10, day: 1)!),
        ])
    }

    /// docs/CARD-SECURITY.md vector V8.
    @Test func encodingVector() throws {
        let list = try Self.list()
        #expect(list.encoded.hexString == "715080010181010182083230323631313232830400000102A038"
            + "A11A5A08000000000000000984010385012086083230323631303031"
            + "A11A5A08330102030405060784010485013086083230323631313230")
        #expect(try StatusList(decoding: list.encoded) == list)
        #expect(list.entry(for: Self.lost)?.status == 0x04)
        #expect(list.entry(for: try CardSerial(hex: "3301020304050608")) == nil)
    }

    @Test func signedListsVerifyOnlyUnchangedAndFromADocumentSigner() async throws {
        let authority = CertificateTests.authority
        let signed = try SignedStatusList.sign(Self.list(), signer: authority.documentSigner)
        let decoded = try SignedStatusList(decoding: signed.encoded)
        #expect(decoded == signed)
        #expect(await decoded.verifySignature(trust: authority.trustStore, at: CertificateTests.during) == .passed)

        var bytes = signed.encoded
        let serialOffset = try #require(bytes.firstRange(of: Self.lost.bytes)).lowerBound
        bytes[serialOffset + 7] ^= 0x01 // the lost card's serial, as if another card were listed
        let altered = try SignedStatusList(decoding: bytes)
        #expect(await altered.verifySignature(trust: authority.trustStore, at: CertificateTests.during)
            == .failed(reason: "the document signer's signature over the status list does not verify: it was altered or forged"))

        let byKiosk = try SignedStatusList.sign(Self.list(), signer: authority.kiosk)
        #expect(!(await byKiosk.verifySignature(trust: authority.trustStore, at: CertificateTests.during)).isPassed)
    }

    @Test func malformedListsAreRefused() throws {
        #expect(throws: CardSecurityError.self) {
            try StatusList.Entry(serial: Self.lost, status: 0x01, reason: 0, effective: Vectors.day)
        }
        let entry = try StatusList.Entry(serial: Self.lost, status: 0x02, reason: 0x10, effective: Vectors.day)
        #expect(throws: CardSecurityError.self) {
            try StatusList(suite: .international, issuedOn: Vectors.day, sequence: 1, entries: [entry, entry])
        }
        #expect(throws: CardSecurityError.self) { try SignedStatusList(decoding: [0x77, 0x00]) }
    }
}
