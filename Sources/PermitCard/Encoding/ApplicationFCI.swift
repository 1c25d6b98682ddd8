import ISO7816
import CardSecurity

/// The FCI the permit application answers to SELECT (CARD-SPEC §4), the only thing readable without a
/// session: the life-cycle state, the card's identity (serial, suite, profile name and version) and the
/// version of each role key, so that a terminal can choose its profile and keys. Nothing that changes
/// over a permit's life, nothing personal.
public struct ApplicationFCI: Sendable, Hashable {
    /// ISO/IEC 7816-4 life-cycle status: `03` personalisation, `05` operational.
    public var lifeCycle: UInt8
    /// The card serial (EF.CARD bytes 1-8).
    public var serial: CardSerial
    /// The suite personalisation wrote (EF.CARD byte 9); nil on a card not yet personalised.
    public var suite: CryptoSuite?
    /// The profile name and version personalisation wrote; nil on a card not yet personalised.
    public var profileName: String?
    public var profileVersion: Int?
    /// Key number → version of every role key the card holds.
    public var keyVersions: [Int: Int]

    public static let personalisation: UInt8 = 0x03
    public static let operational: UInt8 = 0x05
    /// The bytes of EF.CARD the FCI carries.
    static let identityLength = 28

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
        guard inner.map(\.tag) == [[0xC1], [0xC7]] else { throw .invalidLayout("FCI", "A5 must hold C1 (identity) then C7 (key versions)") }
        let identity = inner[0].value
        guard identity.count == Self.identityLength, identity[0] == 0x01 else {
            throw .invalidLayout("FCI", "the identity (C1) is not \(Self.identityLength) bytes of EF.CARD format 01")
        }
        do { serial = try CardSerial(bytes: Array(identity[1..<9])) } catch { throw .invalidField("FCI serial", "not 8 bytes") }
        if identity[9] == 0 {
            guard identity[10...].allSatisfy({ $0 == 0 }) else { throw .invalidLayout("FCI", "suite 00 but a profile name follows") }
        } else {
            guard let suite = CryptoSuite(identifier: identity[9]) else { throw .invalidField("FCI suite", "unknown suite \(identity[9])") }
            self.suite = suite
            let name = identity[10..<26]
            let end = name.firstIndex(of: 0) ?? name.endIndex
            guard end > name.startIndex, name[end...].allSatisfy({ $0 == 0 }), name[..<end].allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw .invalidField("FCI profile name", "not ASCII padded with 00")
            }
            profileName = String(decoding: name[..<end], as: UTF8.self)
            profileVersion = Int(identity[26]) << 8 | Int(identity[27])
        }
        let versions = inner[1].value
        guard versions.count.isMultiple(of: 2) else { throw .invalidField("FCI key versions", "not pairs of key number and version") }
        var keyVersions: [Int: Int] = [:]
        for index in stride(from: 0, to: versions.count, by: 2) {
            guard keyVersions.updateValue(Int(versions[index + 1]), forKey: Int(versions[index])) == nil else {
                throw .invalidField("FCI key versions", "key \(versions[index]) listed twice")
            }
        }
        self.keyVersions = keyVersions
    }
}
