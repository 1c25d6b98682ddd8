import ISO7816
import Testing
@testable import CardSecurity

@Suite("AES-CMAC and key diversification")
struct KeyDerivationTests {
    /// RFC 4493 §4 test vectors (examples 1 to 4).
    @Test(arguments: [
        (0, "BB1D6929E95937287FA37D129B756746"),
        (16, "070A16B46B4D4144F79BDD9DD04A287C"),
        (40, "DFA66747DE9AE63030CA32611497C827"),
        (64, "51F0BEBF7E3B9D92FC49741779363CFE"),
    ])
    func rfc4493(length: Int, expected: String) throws {
        let key = Vectors.key("2B7E151628AED2A6ABF7158809CF4F3C")
        let message = Vectors.bytes(
            "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51"
                + "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710")
        #expect(try BlockCipher.cmac(Array(message.prefix(length)), key: key).hexString == expected)
    }

    /// docs/CARD-SECURITY.md vector V1: role keys of card 3301020304050607.
    @Test(arguments: [
        (KeyRole.issuingStation, "E952ABC678541E2E4922F7E536145244"),
        (KeyRole.endorsingStation, "02BB4D41F3E8D7958159923B4E21773B"),
        (KeyRole.readingTerminal, "62DED7CB79C1015F1F2DCFAE9FA3221F"),
    ])
    func roleKeyVector(role: KeyRole, expected: String) throws {
        let key = try KeyDerivation.cardKey(master: Vectors.master(role), role: role, serial: Vectors.serial)
        #expect(key.rawBytes.hexString == expected)
    }

    /// The shipped profiles' diversification (label per role, context `["cardSerial"]`) is V1; other
    /// inputs are appended in the profile's order (docs/CARD-SECURITY.md §4).
    @Test func profileDescribedDiversification() throws {
        let aid = Vectors.bytes("D15600009950455249540300")
        let store = try MasterKeySet(suite: .international, keys: Dictionary(uniqueKeysWithValues: KeyRole.allCases.map { ($0, Vectors.master($0)) }))
        for role in KeyRole.allCases {
            let described = try store.cardKey(
                master: MasterKeyReference(role: role, label: "any-\(role)"), label: role.diversificationLabel, inputs: [.cardSerial],
                serial: Vectors.serial, aid: aid, keyNumber: 1, keyVersion: 1)
            #expect(described == (try KeyDerivation.cardKey(master: Vectors.master(role), role: role, serial: Vectors.serial)))
        }
        let richer = try store.cardKey(
            master: MasterKeyReference(role: .issuingStation, label: "any"), label: Array("PS-ISSUE".utf8),
            inputs: [.cardSerial, .aid, .keyNumber, .keyVersion], serial: Vectors.serial, aid: aid, keyNumber: 1, keyVersion: 2)
        #expect(richer == (try KeyDerivation.derive(from: Vectors.master(.issuingStation), label: Array("PS-ISSUE".utf8),
                                                    context: Vectors.serial.bytes + aid + [0x01, 0x02])))
    }

    @Test func differentSerialsGiveDifferentKeys() throws {
        let other = try CardSerial(hex: "3301020304050608")
        let master = Vectors.master(.endorsingStation)
        let first = try KeyDerivation.cardKey(master: master, role: .endorsingStation, serial: Vectors.serial)
        let second = try KeyDerivation.cardKey(master: master, role: .endorsingStation, serial: other)
        #expect(first != second)
    }

    @Test func nationalSuiteIsRefusedWithATypedError() {
        #expect(throws: CardSecurityError.suiteNotSupported(.national)) {
            try CardKey(bytes: Vectors.bytes("000102030405060708090A0B0C0D0E0F"), suite: .national)
        }
    }

    @Test func keyDescriptionsAreRedacted() {
        let key = Vectors.master(.issuingStation)
        #expect(!String(describing: key).contains("0001020304"))
        #expect(!String(reflecting: key).contains("0001020304"))
        #expect(String(describing: key).contains("redacted"))
    }

    /// `dump` walks a value's mirror; none of the key-holding types may expose their bytes that way.
    @Test func dumpsShowNoKeyMaterial() throws {
        let keys = try MasterKeySet(suite: .international, keys: Dictionary(uniqueKeysWithValues: KeyRole.allCases.map { ($0, Vectors.master($0)) }))
        var text = ""
        dump(Vectors.master(.issuingStation), to: &text)
        dump(keys, to: &text)
        dump(Vectors.sessionKeys, to: &text)
        dump(SecureMessagingChannel(keys: Vectors.sessionKeys), to: &text)
        dump(Vectors.chipKey, to: &text)
        #expect(!text.contains("elements"), "\(text)") // no byte array is walked
        #expect(!text.contains("bytes"))
        #expect(!text.contains("counter"))
        #expect(text.contains("redacted"))
    }

    @Test func wrongKeyLengthIsRefused() {
        #expect(throws: CardSecurityError.invalidKeyLength(expected: 16, actual: 15)) {
            try CardKey(bytes: Array(repeating: 0, count: 15))
        }
    }
}
