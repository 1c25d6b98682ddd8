import CardSecurity
import Lifecycle

/// EF.CARD (CARD-SPEC §5.1): card and permit identity, 64 bytes, free to read, carried whole in the
/// FCI. Bytes 0-8 come from card initialisation; personalisation writes bytes 9-63 in one command.
public struct CardInfo: Sendable, Hashable {
    public static let length = 64
    /// Where personalisation starts writing (after format and serial).
    static let personalisationOffset = 9

    public var serial: CardSerial
    /// nil until personalised (byte 9 is `00` on a blank card).
    public var personalisation: Personalisation?

    /// The fields personalisation writes.
    public struct Personalisation: Sendable, Hashable {
        public var suite: CryptoSuite
        public var profileName: String
        public var profileVersion: Int
        public var regionCode: DigitCode
        /// The permit's issue date, kept on replacement cards.
        public var issued: CalendarDate
        /// Residence-period anchor and expiry when this card was personalised.
        public var anchor: CalendarDate
        public var expiry: CalendarDate
        /// The card this one replaces; nil for a permit's first card.
        public var replaces: CardSerial?
        public var issuingStation: DigitCode

        public init(
            suite: CryptoSuite, profileName: String, profileVersion: Int, regionCode: DigitCode, issued: CalendarDate,
            anchor: CalendarDate, expiry: CalendarDate, replaces: CardSerial?, issuingStation: DigitCode
        ) {
            self.suite = suite
            self.profileName = profileName
            self.profileVersion = profileVersion
            self.regionCode = regionCode
            self.issued = issued
            self.anchor = anchor
            self.expiry = expiry
            self.replaces = replaces
            self.issuingStation = issuingStation
        }

        /// Bytes 9-63 (55 bytes).
        var encoded: [UInt8] {
            var name = Array(profileName.utf8.prefix(16))
            name += [UInt8](repeating: 0, count: 16 - name.count)
            return [suite.identifier] + name + bigEndian16(profileVersion) + regionCode.bcd
                + BCD.encode(issued) + BCD.encode(anchor) + BCD.encode(expiry)
                + (replaces?.bytes ?? [UInt8](repeating: 0, count: 8)) + issuingStation.bcd
                + [UInt8](repeating: 0, count: 7)
        }
    }

    public init(serial: CardSerial, personalisation: Personalisation?) {
        self.serial = serial
        self.personalisation = personalisation
    }

    public init(decoding bytes: [UInt8]) throws(CardDataError) {
        guard bytes.count == Self.length else { throw .invalidLayout("EF.CARD", "\(bytes.count) bytes instead of \(Self.length)") }
        guard bytes[0] == 0x01 else { throw .invalidField("EF.CARD format", "\(bytes[0]) is not format 01") }
        var cursor = ByteCursor(bytes)
        _ = cursor.byte()
        do { serial = try CardSerial(bytes: cursor.take(8)) } catch { throw .invalidField("EF.CARD serial", "not 8 bytes") }
        let suiteByte = cursor.byte()
        guard suiteByte != 0 else {
            guard bytes[9...].allSatisfy({ $0 == 0 }) else { throw .invalidLayout("EF.CARD", "suite byte 00 but personalisation bytes follow") }
            personalisation = nil
            return
        }
        guard let suite = CryptoSuite(identifier: suiteByte) else { throw .invalidField("EF.CARD suite", "unknown suite \(suiteByte)") }
        let nameBytes = cursor.take(16)
        let nameEnd = nameBytes.firstIndex(of: 0) ?? 16
        guard nameBytes[nameEnd...].allSatisfy({ $0 == 0 }), nameEnd > 0 else { throw .invalidField("EF.CARD profile name", "not ASCII padded with 00") }
        let version = cursor.uint16()
        let region = try DigitCode(bcd: cursor.take(3), field: "EF.CARD region code")
        let issued = try BCD.requireDate(cursor.take(4), field: "EF.CARD issue date")
        let anchor = try BCD.requireDate(cursor.take(4), field: "EF.CARD anchor")
        let expiry = try BCD.requireDate(cursor.take(4), field: "EF.CARD expiry")
        let replacedBytes = cursor.take(8)
        let station = try DigitCode(bcd: cursor.take(6), field: "EF.CARD issuing station")
        guard cursor.take(7).allSatisfy({ $0 == 0 }) else { throw .invalidField("EF.CARD reserved bytes", "not 00") }
        personalisation = Personalisation(
            suite: suite, profileName: String(decoding: nameBytes[..<nameEnd], as: UTF8.self), profileVersion: version,
            regionCode: region, issued: issued, anchor: anchor, expiry: expiry,
            replaces: replacedBytes.allSatisfy { $0 == 0 } ? nil : try? CardSerial(bytes: replacedBytes),
            issuingStation: station)
    }

    public var encoded: [UInt8] {
        let tail = personalisation?.encoded ?? [UInt8](repeating: 0, count: Self.length - Self.personalisationOffset)
        return [0x01] + serial.bytes + tail
    }
}
