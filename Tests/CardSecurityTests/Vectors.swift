@testable import CardSecurity

/// The fixed inputs of the test vectors in docs/CARD-SECURITY.md §9. Expected outputs are written
/// out in each test, computed independently (Python `cryptography`), never by this module.
enum Vectors {
    static let serial = try! CardSerial(hex: "3301020304050607")
    static func bytes(_ hex: String) -> [UInt8] { [UInt8](hex: hex)! }
    static func key(_ hex: String) -> CardKey { try! CardKey(bytes: bytes(hex)) }
    static func master(_ role: KeyRole) -> CardKey {
        switch role {
        case .issuingStation: key("000102030405060708090A0B0C0D0E0F")
        case .endorsingStation: key("101112131415161718191A1B1C1D1E1F")
        case .readingTerminal: key("202122232425262728292A2B2C2D2E2F")
        }
    }
}

extension Vectors {
    static let cardNonce = bytes("C0C1C2C3C4C5C6C7")
    static let terminalNonce = bytes("A0A1A2A3A4A5A6A7")
    static var issuerCardKey: CardKey {
        try! KeyDerivation.cardKey(master: master(.issuingStation), role: .issuingStation, serial: serial)
    }
    static var sessionKeys: SessionKeys {
        try! SessionKeys(roleKey: issuerCardKey, cardNonce: cardNonce, terminalNonce: terminalNonce)
    }
}
