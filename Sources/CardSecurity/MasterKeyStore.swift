/// Names one master key: the role it serves and the label under which the card profile knows it
/// (`keys[].master`, for example `zhejiang-endorsingStation-1`: region, role and key version).
public struct MasterKeyReference: Sendable, Hashable, CustomStringConvertible {
    public var role: KeyRole
    public var label: String

    public init(role: KeyRole, label: String) {
        self.role = role
        self.label = label
    }

    public var description: String { "the \(role) master key \"\(label)\"" }
}

/// Where a terminal's master keys live: in memory from a development file (`MasterKeySet`), or inside a
/// PKCS#11 token (module `KeyCustody`), which computes the diversification itself so that the master key
/// never leaves it. Only the card's own key (what the card also holds) comes out.
public protocol MasterKeyStore: Sendable {
    /// The suite whose block cipher the master keys belong to.
    var suite: CryptoSuite { get }
    /// The roles whose master keys this store holds.
    var roles: Set<KeyRole> { get }
    /// AES-CMAC under the master key `master` over `input`, an SP 800-108 fixed input of one 16-byte block
    /// (`KeyDerivation.fixedInput`): the card's key for that role.
    func diversify(_ input: [UInt8], master: MasterKeyReference) throws(CardSecurityError) -> CardKey
}

extension MasterKeyStore {
    /// The card's key as a profile describes it: `KDF(master, label, context)` with the context inputs
    /// concatenated in the profile's order. The card bureau, the card (at PUT KEY) and the terminal
    /// (before EXTERNAL AUTHENTICATE) all use this, so a profile with other labels or inputs agrees with itself.
    public func cardKey(
        master: MasterKeyReference, label: [UInt8], inputs: [DiversificationInput],
        serial: CardSerial, aid: [UInt8], keyNumber: UInt8, keyVersion: UInt8
    ) throws(CardSecurityError) -> CardKey {
        let context = KeyDerivation.context(inputs: inputs, serial: serial, aid: aid, keyNumber: keyNumber, keyVersion: keyVersion)
        return try diversify(KeyDerivation.fixedInput(label: label, context: context), master: master)
    }
}
