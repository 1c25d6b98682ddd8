import CardEmulator
import CardProfiles
import CardSecurity

/// File and record contents in the encodings of CARD-SPEC §5. The card checks formats and sequence
/// numbers, not signatures, so the signature bytes here are a fixed filler.
enum Records {
    static let station: [UInt8] = [0x33, 0x01, 0x02, 0x00, 0x00, 0x01]
    static let keyIdentifier = [UInt8](repeating: 0x4B, count: 8)
    static let signature = [UInt8](repeating: 0x5E, count: 64)

    static func date(_ yyyymmdd: String) -> [UInt8] { Hex.decode(yyyymmdd)! }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

    static func padded(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: length - bytes.count)
    }

    /// EF.CARD bytes 9-63 (§5.1), written at offset 9.
    static func cardInfoBody(profile: CardProfile) -> [UInt8] {
        var body: [UInt8] = [0x01]
        body += padded(Array(profile.name.utf8), to: 16)
        body += be16(profile.version)
        body += Hex.decode(profile.regionCode)!
        body += date("20260301") + date("20260301") + date("20270301")
        body += [UInt8](repeating: 0, count: 8) + station + [UInt8](repeating: 0, count: 7)
        return body
    }

    /// A holder template (§5.2) in ascending tag order, padded to the file's size.
    static func holder(size: Int) -> [UInt8] {
        let objects: [TLV] = [
            TLV(0x80, Array("张伟".utf8)), TLV(0x81, Array("ZHANG WEI".utf8)), TLV(0x82, Array("1".utf8)),
            TLV(0x83, date("19900517")), TLV(0x84, Array("01".utf8)), TLV(0x85, Array("110105199005171233".utf8)),
            TLV(0x87, Array("330102202600001".utf8)), TLV(0x88, Array("杭州市公安局上城区分局".utf8)), TLV(0x89, station),
        ]
        return padded(TLV(0x65, objects.flatMap(\.encoded)).encoded, to: size)
    }

    /// An EF.RESIDENCE record (§5.3).
    static func residence(sequence: Int, statusSequence: Int = 1, address: String = "杭州市上城区解放路1号", length: Int = 223) -> [UInt8] {
        let text = Array(address.utf8)
        var record: [UInt8] = [0x02] + be16(sequence) + be16(statusSequence) + date("20260301") + date("20260215") + [0x33, 0x01, 0x02]
        record += [UInt8(text.count)] + padded(text, to: 128) + station + keyIdentifier + signature
        return padded(record, to: length)
    }

    /// An EF.STATUS record (§5.5).
    static func status(sequence: Int, status: UInt8 = 0x01, reason: UInt8 = 0x00, length: Int = 87) -> [UInt8] {
        let record: [UInt8] = [0x01] + be16(sequence) + [status, reason] + date("20260301") + station + keyIdentifier + signature
        return padded(record, to: length)
    }

    /// An EF.ENDORSE record (§5.4).
    static func endorsement(number: Int, statusSequence: Int, kind: UInt8 = 0x01, length: Int = 95) -> [UInt8] {
        let record: [UInt8] = [0x01, UInt8(number), kind] + be16(statusSequence) + date("20270210")
            + date("20260301") + date("20280301") + station + keyIdentifier + signature
        return padded(record, to: length)
    }

    /// An EF.SOD stand-in: the outer template tag `77` and filler, padded to the file size.
    static func securityObject(size: Int) -> [UInt8] {
        padded([0x77, 0x82, 0x01, 0x00] + [UInt8](repeating: 0xA5, count: 256), to: size)
    }
}
