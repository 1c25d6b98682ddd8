import ISO7816
import CardSecurity

/// The permit state GET DATA answers inside a session (CARD-SPEC §7.18): EF.CARD, the newest status and
/// endorsement records, the number of endorsements and the PIN tries left. Everything a station decides
/// on, in one protected answer.
public struct PermitStateData: Sendable, Hashable {
    public var cardInfo: [UInt8]
    public var newestStatus: [UInt8]?
    public var endorsementCount: Int
    public var newestEndorsement: [UInt8]?
    public var pinTriesLeft: Int?

    public init(decoding bytes: [UInt8]) throws(CardDataError) {
        let objects: [TLV]
        do { objects = try TLV.decodeAll(bytes, what: "permit state") } catch {
            throw .invalidLayout("permit state", "data objects do not decode")
        }
        var values: [UInt8: [UInt8]] = [:]
        let order: [UInt8] = [0xC1, 0xC3, 0xC5, 0xC6, 0xC4]
        var position = 0
        for object in objects {
            guard object.tag.count == 1, let index = order.firstIndex(of: object.tag[0]), index >= position else {
                throw .invalidLayout("permit state", "unexpected or out-of-order tag \(object.tag.hexString)")
            }
            position = index + 1
            values[object.tag[0]] = object.value
        }
        guard let card = values[0xC1] else { throw .invalidLayout("permit state", "EF.CARD (C1) is missing") }
        guard let count = values[0xC5], count.count == 1 else { throw .invalidLayout("permit state", "the number of endorsements (C5) is missing") }
        cardInfo = card
        newestStatus = values[0xC3]
        endorsementCount = Int(count[0])
        newestEndorsement = values[0xC6]
        guard (endorsementCount == 0) == (newestEndorsement == nil) else {
            throw .invalidLayout("permit state", "\(endorsementCount) endorsements but \(newestEndorsement == nil ? "no" : "a") newest one")
        }
        if let tries = values[0xC4] {
            guard tries.count == 1 else { throw .invalidField("permit state PIN tries", "not one byte") }
            pinTriesLeft = Int(tries[0])
        }
    }
}
