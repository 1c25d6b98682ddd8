import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import PermitApplet
import TestPrograms

/// Shared inputs: the shipped profiles, the test master keys of CARD-SECURITY §13 and a serial.
enum Fixtures {
    static let library = try! ProfileLibrary(
        directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("cardprofiles"))

    static func profile(_ name: String) -> CardProfile { try! library.load(name) }

    static let profileNames = ["zhejiang", "inner-mongolia"]

    static let serial = try! CardSerial(hex: "5A4A000000000001")

    /// The master keys of CARD-SECURITY §13 (test only).
    static let masterKeys = try! MasterKeySet(suite: .international, keys: [
        .issuingStation: key("000102030405060708090A0B0C0D0E0F"),
        .endorsingStation: key("101112131415161718191A1B1C1D1E1F"),
        .readingTerminal: key("202122232425262728292A2B2C2D2E2F"),
    ])

    static func key(_ hex: String) -> CardKey { try! CardKey(bytes: Hex.decode(hex)!) }

    /// A powered-on blank card of `profile`, in memory or in `store`.
    static func blankCard(_ profile: CardProfile, store: CardStateStore? = nil) throws -> EmulatedCard {
        let card = if let store {
            try PermitApplet.card(profile: profile, store: store, serial: serial, masterKeys: masterKeys)
        } else {
            try PermitApplet.freshCard(profile: profile, serial: serial, masterKeys: masterKeys)
        }
        card.powerOn()
        return card
    }

    static func temporaryStore() -> CardStateStore {
        let directory = ScratchDirectory.make("permit-applet-tests").path
        return CardStateStore(path: directory + "/card.json")
    }
}
