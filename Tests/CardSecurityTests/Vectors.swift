import ISO7816
@testable import CardSecurity

/// The fixed inputs of the test vectors in docs/CARD-SECURITY.md §13. Expected outputs are written
/// out in each test, computed independently (Python `cryptography`), never by this module.
enum Vectors {
    static let serial = try! CardSerial(hex: "3301020304050607")
    static func bytes(_ hex: String) -> [UInt8] { try! [UInt8](hex: hex) }
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
    /// The request of vector V2: ephemeral key `E7 × 32`, terminal nonce A0...A7.
    static var chipRequest: ChipAuthentication.Request {
        try! ChipAuthentication.Request(suite: .international, ephemeral: ephemeralKey, terminalNonce: terminalNonce)
    }
    /// The chip's side of vector V2 (card nonce C0...C7).
    static var chipAnswer: (responseData: [UInt8], session: ChipSession) {
        try! ChipAuthentication.respond(
            to: chipRequest.commandData, chipKey: chipKey, chipKeyFile: ChipKeyFile.encode(chipKey.publicKey), cardNonce: cardNonce)
    }
    /// The session keys of vector V2.
    static var sessionKeys: SessionKeys { chipAnswer.session.keys }
}

extension Vectors {
    /// Fixed private scalars of the vectors (never use such keys outside tests).
    static let chipKey = try! AgreementKey(rawRepresentation: bytes(String(repeating: "C1", count: 32)))
    static let ephemeralKey = try! AgreementKey(rawRepresentation: bytes(String(repeating: "E7", count: 32)))
    static let documentSignerKey = try! SigningKey(rawRepresentation: bytes(String(repeating: "D5", count: 32)))
    static let stationKey = try! SigningKey(rawRepresentation: bytes(String(repeating: "5A", count: 32)))
    static let chipPublicKeyHex = "04991498C2EF7F1CA5FD7F1D2EE033DC0AED84745DA9B5EBB60A7D854307EBF996"
        + "4A48CCF94FA5F206B0550E62AAD49E4A0EC26DCB562201C4DD8BEC6D11D39F44"
    static let files: [UInt16: [UInt8]] = [0x0101: Array("张三 ZHANG San".utf8), 0x0102: Array(UInt8(0)..<UInt8(40))]
    static let day = CalendarDate(year: 2026, month: 11, day: 22)!
}
