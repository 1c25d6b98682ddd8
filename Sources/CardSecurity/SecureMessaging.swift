import ISO7816

/// One side of an ISO/IEC 7816-4 secure-messaging session (the ICAO 9303 AES profile: AES-CMAC
/// truncated to 8 bytes, AES-CBC with IV = E(KS_ENC, SSC), ISO/IEC 9797-1 padding method 2).
///
/// Terminal and card each hold a channel built from the same `SessionKeys`. The 16-byte send sequence
/// counter is incremented before every command and every response is protected or checked, so a
/// command recorded in this or any other session never verifies again. Any failure closes the channel:
/// the card answers `6987`/`6988` and the terminal must authenticate again.
public struct SecureMessagingChannel: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    static let macLength = 8

    private let keys: SessionKeys
    private var counter: [UInt8]
    public private(set) var isOpen = true

    public init(keys: SessionKeys) {
        self.keys = keys
        self.counter = keys.initialCounter
    }

    // MARK: Terminal side

    /// Wraps `command`: data in DO'87' when `encrypt`, otherwise DO'81'; Ne in DO'97'; MAC in DO'8E'. Without
    /// `extendedLength` (a card that takes short APDUs only) Le is `00` whatever Ne, and a longer answer comes
    /// in parts (61xx, GET RESPONSE).
    public mutating func protect(_ command: CommandAPDU, encrypt: Bool = false, extendedLength: Bool = true) throws(CardSecurityError) -> ProtectedCommand {
        try step { channel throws(CardSecurityError) in try channel.wrap(command, encrypt: encrypt, extendedLength: extendedLength) }
    }

    /// Checks and unwraps a protected response (its data objects followed by the outer status word).
    public mutating func unprotect(response: [UInt8]) throws(CardSecurityError) -> ResponseAPDU {
        try step { channel throws(CardSecurityError) in try channel.unwrap(response: response) }
    }

    // MARK: Card side

    /// Verifies and unwraps a protected command. Also says whether its data came encrypted, so the
    /// card can answer in kind. The plain command is in the shortest form that fits.
    public mutating func unprotect(_ command: ProtectedCommand) throws(CardSecurityError) -> (command: CommandAPDU, wasEncrypted: Bool) {
        try step { channel throws(CardSecurityError) in try channel.unwrap(command) }
    }

    /// Wraps the card's answer: `[DO'81'|DO'87'] DO'99' DO'8E' 90 00`.
    public mutating func protect(_ response: ResponseAPDU, encrypt: Bool = false) throws(CardSecurityError) -> [UInt8] {
        try step { channel throws(CardSecurityError) in try channel.wrap(response, encrypt: encrypt) }
    }

    // MARK: Shared

    public var description: String { "SecureMessagingChannel(\(isOpen ? "open" : "closed"), <keys redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["isOpen": isOpen]) }

    /// Advances the counter and runs one protection step, closing the channel for good if it throws.
    private mutating func step<T>(_ body: (Self) throws(CardSecurityError) -> T) throws(CardSecurityError) -> T {
        guard isOpen else { throw .secureMessagingClosed }
        advanceCounter()
        do {
            return try body(self)
        } catch {
            isOpen = false
            throw error
        }
    }

    private func wrap(_ command: CommandAPDU, encrypt: Bool, extendedLength: Bool) throws(CardSecurityError) -> ProtectedCommand {
        let cla = command.cla | 0x0C
        var objects: [UInt8] = []
        if !command.data.isEmpty { objects += try dataObject(command.data, encrypt: encrypt).encoded }
        if command.ne > 0 { objects += expectedLengthObject(command.ne).encoded }
        let mac = try computeMAC(isoPadded([cla, command.ins, command.p1, command.p2]) + objects)
        return try ProtectedCommand(cla: cla, ins: command.ins, p1: command.p1, p2: command.p2,
                                    body: objects + TLV(0x8E, mac).encoded,
                                    expectsLongResponse: extendedLength && command.ne > ProtectedCommand.largestShortResponse)
    }

    private func unwrap(response: [UInt8]) throws(CardSecurityError) -> ResponseAPDU {
        guard response.count >= 2 else { throw .secureMessagingMalformed("response shorter than a status word") }
        let outer = UInt16(response[response.count - 2]) << 8 | UInt16(response[response.count - 1])
        guard outer == 0x9000 else {
            throw .cardRefusedSecureMessaging(statusWord: outer)
        }
        let objects = try TLV.decodeAll(Array(response.dropLast(2)), what: "protected response")
        guard let macObject = objects.last, macObject.tag == [0x8E], objects.count >= 2,
              let statusObject = objects.dropLast().last, statusObject.tag == [0x99], statusObject.value.count == 2
        else { throw .secureMessagingMalformed("response must end with DO'99' (2 bytes) and DO'8E'") }
        let dataObjects = objects.dropLast(2)
        guard dataObjects.count <= 1 else { throw .secureMessagingMalformed("more than one data object in response") }
        let macInput = dataObjects.flatMap(\.encoded) + statusObject.encoded
        try verifyMAC(macObject.value, over: macInput)
        let data = try dataObjects.first.map { object throws(CardSecurityError) in try plainData(of: object) } ?? []
        return ResponseAPDU(data: data, statusWord: StatusWord(sw1: statusObject.value[0], sw2: statusObject.value[1]))
    }

    private func unwrap(_ command: ProtectedCommand) throws(CardSecurityError) -> (command: CommandAPDU, wasEncrypted: Bool) {
        let apdu = command.apdu
        guard apdu.cla & 0x0C == 0x0C else { throw .secureMessagingObjectsMissing }
        let objects: [TLV]
        do {
            objects = try TLV.decodeAll(command.body, what: "protected command")
        } catch {
            throw .secureMessagingMalformed("data objects do not decode")
        }
        guard let macObject = objects.last, macObject.tag == [0x8E] else { throw .secureMessagingObjectsMissing }
        var dataObject: TLV?
        var expected: Int?
        var remaining = objects.dropLast()[...]
        if let first = remaining.first, first.tag == [0x81] || first.tag == [0x87] {
            dataObject = first
            remaining = remaining.dropFirst()
        }
        if let first = remaining.first, first.tag == [0x97] {
            expected = try decodeExpectedLength(first.value)
            remaining = remaining.dropFirst()
        }
        guard remaining.isEmpty else { throw .secureMessagingMalformed("unexpected data object in command") }
        let macInput = isoPadded(apdu.header) + objects.dropLast().flatMap(\.encoded)
        try verifyMAC(macObject.value, over: macInput)
        let data = try dataObject.map { object throws(CardSecurityError) in try plainData(of: object) } ?? []
        // Nc and Ne fit: the data came in a body of at most 65,535 bytes, DO'97' holds at most 65,536.
        let plain = CommandAPDU(cla: apdu.cla & ~0x0C, ins: apdu.ins, p1: apdu.p1, p2: apdu.p2,
                                data: data, ne: expected ?? 0, isExtended: false)
        return (plain, dataObject?.tag == [0x87])
    }

    private func wrap(_ response: ResponseAPDU, encrypt: Bool) throws(CardSecurityError) -> [UInt8] {
        var objects: [UInt8] = []
        if !response.data.isEmpty { objects += try dataObject(response.data, encrypt: encrypt).encoded }
        objects += TLV(0x99, response.statusWord.bytes).encoded
        return objects + TLV(0x8E, try computeMAC(objects)).encoded + [0x90, 0x00]
    }

    /// SSC := SSC + 1, as a 128-bit big-endian integer.
    private mutating func advanceCounter() {
        for index in counter.indices.reversed() {
            counter[index] &+= 1
            if counter[index] != 0 { break }
        }
    }

    /// `CMAC(KS_MAC, pad(SSC || input))`, first 8 bytes.
    private func computeMAC(_ input: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        Array(try BlockCipher.cmac(isoPadded(counter + input), key: keys.macKey).prefix(Self.macLength))
    }

    private func verifyMAC(_ mac: [UInt8], over input: [UInt8]) throws(CardSecurityError) {
        guard mac.count == Self.macLength, constantTimeEqual(mac, try computeMAC(input)) else {
            throw .secureMessagingMACMismatch
        }
    }

    private func dataObject(_ data: [UInt8], encrypt: Bool) throws(CardSecurityError) -> TLV {
        guard encrypt else { return TLV(0x81, data) }
        let iv = try BlockCipher.encryptBlock(counter, key: keys.encryptionKey)
        return TLV(0x87, [0x01] + (try BlockCipher.cbcEncrypt(isoPadded(data), key: keys.encryptionKey, iv: iv)))
    }

    private func plainData(of object: TLV) throws(CardSecurityError) -> [UInt8] {
        switch object.tag {
        case [0x81]:
            return object.value
        case [0x87]:
            guard object.value.first == 0x01 else { throw .secureMessagingMalformed("DO'87' padding indicator is not 01") }
            let iv = try BlockCipher.encryptBlock(counter, key: keys.encryptionKey)
            let padded = try BlockCipher.cbcDecrypt(Array(object.value.dropFirst()), key: keys.encryptionKey, iv: iv)
            guard let data = isoUnpadded(padded) else { throw .secureMessagingMalformed("bad padding in DO'87'") }
            return data
        default:
            throw .secureMessagingMalformed("unexpected data object tag \(object.tag.hexString)")
        }
    }

    /// DO'97' for Ne in 1...65,536 (a `CommandAPDU` holds no other): one byte up to 256, else two.
    private func expectedLengthObject(_ expected: Int) -> TLV {
        expected <= 256 ? TLV(0x97, [UInt8(expected & 0xFF)]) : TLV(0x97, [UInt8((expected >> 8) & 0xFF), UInt8(expected & 0xFF)])
    }

    private func decodeExpectedLength(_ value: [UInt8]) throws(CardSecurityError) -> Int {
        switch value.count {
        case 1: return value[0] == 0 ? 256 : Int(value[0])
        case 2: let length = Int(value[0]) << 8 | Int(value[1]); return length == 0 ? 65536 : length
        default: throw .secureMessagingMalformed("DO'97' must hold 1 or 2 bytes")
        }
    }
}
