import CardSecurity
import Foundation
import ISO7816
import KeyCustody
import PKCS11
import Testing
import TestPrograms

/// Key custody through SoftHSM2 (a real PKCS#11 module, loaded with dlopen): master keys diversify
/// inside the token and never come out, signing keys sign inside it, and each place's token holds
/// only what the place may use.
@Suite("Keys in a PKCS#11 token (SoftHSM2)")
struct TokenKeyTests {
    static let serial = try! CardSerial(hex: "3301020304050607")

    /// docs/CARD-SECURITY.md vector V1, computed by the token with CKM_AES_CMAC: the same card keys
    /// as the in-memory derivation (and as Python's `cryptography`, which computed the vector).
    @Test(arguments: [
        (KeyRole.issuingStation, "000102030405060708090A0B0C0D0E0F", "PS-ISSUE", "E952ABC678541E2E4922F7E536145244"),
        (KeyRole.endorsingStation, "101112131415161718191A1B1C1D1E1F", "PS-ENDORSE", "02BB4D41F3E8D7958159923B4E21773B"),
        (KeyRole.readingTerminal, "202122232425262728292A2B2C2D2E2F", "PS-READ", "62DED7CB79C1015F1F2DCFAE9FA3221F"),
    ])
    func diversificationInsideTheTokenMatchesVectorV1(role: KeyRole, master: String, label: String, expected: String) throws {
        let reference = MasterKeyReference(role: role, label: "v1-\(role.rawValue)")
        let made = try TestTokens.setUp(.issuing, masterKeys: [reference: try CardKey(bytes: try [UInt8](hex: master))])
        let key = try made.token.cardKey(
            master: reference, label: Array(label.utf8), inputs: [.cardSerial], serial: Self.serial, aid: [], keyNumber: 1, keyVersion: 1)
        #expect(key.rawBytes.hexString == expected)
    }

    @Test func masterAndSigningKeysNeverLeaveTheToken() throws {
        let made = try TestTokens.setUp(.kiosk, masterKeys: try TestTokens.masterKeys(for: TestTokens.profile()))
        let session = try TestTokens.inspectionSession(made)
        let master = try #require(try session.objects(matching: [.objectClass(.secretKey)]).first)
        #expect(throws: PKCS11Error.failed(function: "C_GetAttributeValue", returnValue: 0x11 /* CKR_ATTRIBUTE_SENSITIVE */)) {
            try session.attribute(.value, of: master)
        }
        #expect(try session.flag(.extractable, of: master) == false)
        #expect(try session.flag(.sensitive, of: master) == true)
        // A master key computes CMACs and nothing else: no encryption that could serve as an oracle.
        #expect(throws: PKCS11Error.failed(function: "C_EncryptInit", returnValue: 0x68 /* CKR_KEY_FUNCTION_NOT_PERMITTED */)) {
            try session.encrypt([UInt8](repeating: 0, count: 16), with: master, mechanism: .aesECB)
        }
        let privateKey = try #require(try session.objects(matching: [.objectClass(.privateKey)]).first)
        #expect(throws: PKCS11Error.failed(function: "C_GetAttributeValue", returnValue: 0x11)) {
            try session.attribute(.value, of: privateKey)
        }
        #expect(try session.flag(.extractable, of: privateKey) == false)
    }

    /// What each place's token holds, read back from the token itself: exactly its roles' master keys
    /// and its credentials (key pair and certificate), nothing more.
    @Test(arguments: StationPlace.allCases)
    func eachPlaceHoldsOnlyWhatItMayUse(place: StationPlace) throws {
        let profile = try TestTokens.profile()
        let made = try TestTokens.setUp(place, masterKeys: try TestTokens.masterKeys(for: profile))
        let session = try TestTokens.inspectionSession(made)
        var held: Set<String> = []
        for objectClass in ObjectClass.allCases {
            for object in try session.objects(matching: [.objectClass(objectClass)]) {
                held.insert("\(objectClass) \(String(decoding: try session.attribute(.label, of: object), as: UTF8.self))")
            }
        }
        let masters = profile.keys.filter { place.masterRoles.contains($0.role) }.map { "secretKey \($0.master)" }
        let credentials = place.credentials.flatMap { name in
            [ObjectClass.privateKey, .publicKey, .certificate].map { "\($0) \(name.rawValue)" }
        }
        #expect(held == Set(masters + credentials))
        #expect(made.token.roles == place.masterRoles)
        #expect(Set(made.token.credentials.keys) == Set(place.credentials))
    }

    @Test func tokenSignaturesVerifyAgainstTheirCertificates() async throws {
        let made = try TestTokens.setUp(.issuing, masterKeys: try TestTokens.masterKeys(for: TestTokens.profile()))
        let station = try made.token.credential(.issuingStation)
        let record = Array("a residence record".utf8)
        let signature = try RecordSignature.sign(.residence, record: record, serial: Self.serial, stationKey: station)
        let trust = TestTokens.trust([made.token])
        let during = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(await RecordSignature.verify(
            .residence, signature: signature, record: record, serial: Self.serial, keyIdentifier: station.publicKey.keyIdentifier,
            trust: trust, at: during) == .passed)
        let content = try StatusList(suite: .international, issuedOn: CalendarDate(year: 2026, month: 3, day: 1)!, sequence: 1, entries: [])
        // The site's document signer signs in the token, but a status list needs the authority's own signer.
        let signed = try SignedStatusList.sign(content, signer: made.token.credential(.documentSigner))
        let verdict = await (try SignedStatusList(decoding: signed.encoded)).verifySignature(trust: trust, at: during)
        #expect(verdict.description.contains("not certified for the status-list signer role"), "\(verdict)")
    }

    @Test func openingNeedsTheRightPINFromAPrivateFile() throws {
        let made = try TestTokens.setUp(.verifier, masterKeys: try TestTokens.masterKeys(for: TestTokens.profile()))
        let opened = try StationToken.open(made.configuration)
        #expect(opened.roles == [.readingTerminal])

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: made.configuration.pinFile)
        #expect(throws: KeyCustodyError.pinFileExposed(path: made.configuration.pinFile, mode: 0o100644)) {
            try StationToken.open(made.configuration)
        }
        // A wrong PIN is refused by the token: PKICommandTests checks it in a process of its own, since
        // a login here holds for the whole process.
        #expect(!"\(made.userPIN)".contains(made.userPIN.text))
    }

    @Test func configurationFilesAreCheckedWithSentences() throws {
        let file = ScratchDirectory.make("config").appendingPathComponent("kiosk.token.json")
        try Data(#"{"module": "/usr/lib/softhsm/libsofthsm2.so", "token": "x"}"#.utf8).write(to: file)
        let missing = #expect(throws: KeyCustodyError.self) { try TokenConfiguration.load(from: file) }
        #expect(missing?.description.contains("it has no \"pinFile\"") == true)
        try Data(#"{"module": "/nonexistent/module.so", "token": "x", "pinFile": "x.pin"}"#.utf8).write(to: file)
        let configuration = try TokenConfiguration.load(from: file)
        #expect(configuration.pinFile == file.deletingLastPathComponent().appendingPathComponent("x.pin").path)
        #expect(throws: PKCS11Error.self) { try PKCS11Module.load(configuration.module) }
    }
}
