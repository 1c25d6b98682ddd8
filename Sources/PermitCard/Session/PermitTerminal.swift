import CardProfiles
import CardSecurity
import Foundation

/// What a station or terminal holds: its station code, the master keys of the roles it plays, the
/// credentials it signs with, and what it trusts. Keys come from a `MasterKeyStore` and signers: a
/// station's PKCS#11 token (module `KeyCustody`) or, for development and tests, keys in memory. A kiosk
/// holds only the endorsing master key and its own kiosk credential, so it cannot issue, change addresses
/// or change a status: the card layer refuses before sending anything, and the card would refuse its key anyway.
public struct PermitTerminal: Sendable {
    public var station: DigitCode
    private var masterKeys: any MasterKeyStore
    /// The roles this terminal plays, out of those its key store holds.
    public let roles: Set<KeyRole>
    /// Signs residence, status and endorsement records (an issuing or endorsing station, a kiosk).
    public var recordSigner: (any CertifiedSigner)?
    /// Signs security objects at issuance.
    public var documentSigner: (any CertifiedSigner)?
    /// The root and station certificates a verifier carries.
    public var trust: TrustStore
    /// The authority's signed list of suspended, cancelled and replaced cards and revoked certificates, if carried.
    public private(set) var statusList: SignedStatusList?
    /// The highest status-list sequence this terminal has seen (kept by whoever runs it across restarts):
    /// a list with a lower one is refused, so an old list cannot be slipped back in.
    public private(set) var statusListSeen: UInt32?
    /// The oldest status list this terminal relies on, in days; nil: the profile's `statusListMaxAgeDays`.
    public var statusListMaxAgeDays: Int?

    /// A terminal playing `roles` (default: every role whose master key `masterKeys` holds).
    public init(
        station: DigitCode, masterKeys: any MasterKeyStore, roles: Set<KeyRole>? = nil, recordSigner: (any CertifiedSigner)?,
        documentSigner: (any CertifiedSigner)?, trust: TrustStore, statusList: SignedStatusList? = nil
    ) {
        self.station = station
        self.masterKeys = masterKeys
        self.roles = masterKeys.roles.intersection(roles ?? masterKeys.roles)
        self.recordSigner = recordSigner
        self.documentSigner = documentSigner
        self.trust = trust
        self.statusList = statusList
        statusListSeen = statusList?.content.sequence
    }

    /// An issuing station: every master key, the document signer and an issuing-station credential.
    public static func issuingStation(
        station: DigitCode, masterKeys: any MasterKeyStore, stationCredential: any CertifiedSigner, documentSigner: any CertifiedSigner,
        trust: TrustStore, statusList: SignedStatusList? = nil
    ) -> PermitTerminal {
        PermitTerminal(
            station: station, masterKeys: masterKeys, recordSigner: stationCredential, documentSigner: documentSigner, trust: trust,
            statusList: statusList)
    }

    /// An endorsing station or kiosk: the endorsing master key and its endorsing credential.
    public static func endorsingStation(
        station: DigitCode, masterKeys: any MasterKeyStore, credential: any CertifiedSigner, trust: TrustStore
    ) -> PermitTerminal {
        PermitTerminal(
            station: station, masterKeys: masterKeys, roles: [.endorsingStation], recordSigner: credential, documentSigner: nil, trust: trust)
    }

    /// A field verifier: the reading master key and the trust bundle.
    public static func verifier(masterKeys: any MasterKeyStore, trust: TrustStore, statusList: SignedStatusList? = nil, station: DigitCode) -> PermitTerminal {
        PermitTerminal(
            station: station, masterKeys: masterKeys, roles: [.readingTerminal], recordSigner: nil, documentSigner: nil, trust: trust,
            statusList: statusList)
    }

    /// Carries `list` from now on, unless it is older than a list this terminal has already seen (`seen`, or
    /// the one it carries): a status list is never replaced by an older one.
    public mutating func load(statusList list: SignedStatusList, seen: UInt32? = nil) throws(PermitCardError) {
        let floor = [seen, statusListSeen, statusList?.content.sequence].compactMap { $0 }.max()
        if let floor, list.content.sequence < floor {
            throw .staleStatusList(sequence: list.content.sequence, seen: floor)
        }
        statusList = list
        statusListSeen = max(floor ?? 0, list.content.sequence)
    }

    /// This card's key for `role` in `version` (the one the card holds, FCI C7) as the profile diversifies
    /// it (CARD-SECURITY §4, PROFILE-FORMAT), computed where the master key of that version lives.
    func cardKey(
        _ role: KeyRole, version: Int, profile: CardProfile, serial: CardSerial, for operation: String
    ) throws(PermitCardError) -> CardKey {
        try requireRole(role, for: operation)
        guard let spec = profile.key(for: role) else {
            throw .roleNotHeld(operation: operation, missing: "a \(role) key in profile \(profile.name)")
        }
        guard let label = spec.master(version: version) else {
            throw .keyVersionUnknown(role: role, version: version, profile: profile.name)
        }
        do throws(CardSecurityError) {
            return try masterKeys.cardKey(
                master: MasterKeyReference(role: role, label: label), label: Array(spec.diversification.label.utf8),
                inputs: spec.diversification.context, serial: serial, aid: profile.card.aid, keyNumber: UInt8(truncatingIfNeeded: spec.number),
                keyVersion: UInt8(truncatingIfNeeded: version))
        } catch { throw .security(error) }
    }

    func requireRole(_ role: KeyRole, for operation: String) throws(PermitCardError) {
        guard roles.contains(role) else { throw .roleNotHeld(operation: operation, missing: "the \(role) master key") }
    }

    /// The credential that signs records, provided its certificate carries `role`.
    func requireRecordSigner(_ role: CertificateRole, for operation: String) throws(PermitCardError) -> any CertifiedSigner {
        guard let recordSigner, recordSigner.certificate.roles.contains(role) else {
            throw .roleNotHeld(operation: operation, missing: "a certificate and key of the \(role) role to sign the record")
        }
        return recordSigner
    }

    func requireDocumentSigner(for operation: String) throws(PermitCardError) -> any CertifiedSigner {
        guard let documentSigner else { throw .roleNotHeld(operation: operation, missing: "the document signer's certificate and key") }
        return documentSigner
    }
}
