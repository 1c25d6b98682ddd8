import ISO7816
import CardSecurity

/// The FCI the permit application answers to SELECT (CARD-SPEC §4): life-cycle state, EF.CARD, the
/// chip key, the newest status record and the PIN tries, enough for a station to decide what to do.
public struct ApplicationFCI: Sendable, Hashable {
    /// ISO/IEC 7816-4 life-cycle status: `03` personalisation, `05` operational.
    public var lifeCycle: UInt8
    public var cardInfo: [UInt8]
    public var chipKeyFile: [UInt8]?
    public var newestStatus: [UInt8]?
    public var pinTriesLeft: Int?

    public static let personalisation: UInt8 = 0x03
    public static let operational: UInt8 = 0x05

    public var isOperational: Bool { lifeCycle == Self.operational }

    public init(decoding bytes: [UInt8]) throws(CardDataError) {
        let outer: TLV
        let end: Int
        do throws(CardSecurityError) { (outer, end) = try TLV.decodeOne(bytes, at: 0, what: "FCI") } catch {
            throw .invalidLayout("FCI", "not a BER-TLV template")
        }
        guard end == bytes.count, outer.tag == [0x6F] else { throw .invalidLayout("FCI", "not one 6F template") }
        let fields: [TLV]
        do { fields = try TLV.decodeAll(outer.value, what: "FCI") } catch { throw .invalidLayout("FCI", "data objects do not decode") }
        guard fields.count == 2, fields[0].tag == [0x8A], fields[0].value.count == 1, fields[1].tag == [0xA5] else {
            throw .invalidLayout("FCI", "expected 8A (life cycle) then A5 (proprietary data)")
        }
        lifeCycle = fields[0].value[0]
        guard [Self.personalisation, Self.operational].contains(lifeCycle) else {
            throw .invalidField("FCI life cycle", "\([lifeCycle].hexString) is neither 03 nor 05")
        }
        let inner: [TLV]
        do { inner = try TLV.decodeAll(fields[1].value, what: "FCI A5") } catch { throw .invalidLayout("FCI", "A5 objects do not decode") }
        var values: [UInt8: [UInt8]] = [:]
        var previous: UInt8 = 0
        for object in inner {
            guard object.tag.count == 1, [0xC1, 0xC2, 0xC3, 0xC4].contains(object.tag[0]), object.tag[0] > previous else {
                throw .invalidLayout("FCI", "unexpected or out-of-order tag \(object.tag.hexString) in A5")
            }
            previous = object.tag[0]
            values[object.tag[0]] = object.value
        }
        guard let card = values[0xC1] else { throw .invalidLayout("FCI", "EF.CARD (C1) is missing") }
        cardInfo = card
        chipKeyFile = values[0xC2]
        newestStatus = values[0xC3]
        if let tries = values[0xC4] {
            guard tries.count == 1 else { throw .invalidField("FCI PIN tries", "not one byte") }
            pinTriesLeft = Int(tries[0])
        }
    }
}
