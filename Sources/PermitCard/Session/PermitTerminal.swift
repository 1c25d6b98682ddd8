import CardProfiles
import CardSecurity
import Foundation

/// What a station or terminal holds: its station code, the master keys of the roles it plays, the
/// credentials it signs with, and what it trusts. A kiosk holds only the endorsing master key and its
/// own kiosk certificate, so it cannot issue, change addresses or change a status: the card layer
/// refuses before sending anything, and the card would refuse its key anyway.
public struct PermitTerminal: Sendable {
    public var station: DigitCode
    private var masterKeys: [KeyRole: CardKey]
    /// Signs residence, status and endorsement records (an issuing or endorsing station, a kiosk).
    public var recordSigner: SigningCredential?
    /// Signs security objects at issuance.
    public var documentSigner: SigningCredential?
    /// The root and station certificates a verifier carries.
    public var trust: TrustStore
    /// The authority's signed list of suspended, cancelled and replaced cards, if carried.
    public var statusList: SignedStatusList?

    public init(
        station: DigitCode, masterKeys: [KeyRole: CardKey], recordSigner: SigningCredential?, documentSigner: SigningCredential?,
        trust: TrustStore, statusList: SignedStatusList? = nil
    ) {
        self.station = station
        self.masterKeys = masterKeys
        self.recordSigner = recordSigner
        self.documentSigner = documentSigner
        self.trust = trust
        self.statusList = statusList
    }

    /// An issuing station: every master key, the document signer and an issuing-station credential.
    public static func issuingStation(
        station: DigitCode, masterKeys: MasterKeySet, stationCredential: SigningCredential, documentSigner: SigningCredential,
        trust: TrustStore, statusList: SignedStatusList? = nil
    ) -> PermitTerminal {
        PermitTerminal(
            station: station, masterKeys: Dictionary(uniqueKeysWithValues: KeyRole.allCases.map { ($0, masterKeys.masterKey(for: $0)) }),
            recordSigner: stationCredential, documentSigner: documentSigner, trust: trust, statusList: statusList)
    }

    /// An endorsing station or kiosk: the endorsing master key and its endorsing credential.
    public static func endorsingStation(
        station: DigitCode, masterKeys: MasterKeySet, credential: SigningCredential, trust: TrustStore
    ) -> PermitTerminal {
        PermitTerminal(
            station: station, masterKeys: [.endorsingStation: masterKeys.masterKey(for: .endorsingStation)],
            recordSigner: credential, documentSigner: nil, trust: trust)
    }

    /// A field verifier: the reading master key and the trust bundle.
    public static func verifier(masterKeys: MasterKeySet, trust: TrustStore, statusList: SignedStatusList? = nil, station: DigitCode) -> PermitTerminal {
        PermitTerminal(
            station: station, masterKeys: [.readingTerminal: masterKeys.masterKey(for: .readingTerminal)],
            recordSigner: nil, documentSigner: nil, trust: trust, statusList: statusList)
    }

    public var roles: Set<KeyRole> { Set(masterKeys.keys) }

    /// This card's key for `role` as the profile diversifies it (CARD-SECURITY §4, PROFILE-FORMAT).
    func cardKey(_ role: KeyRole, profile: CardProfile, serial: CardSerial, for operation: String) throws(PermitCardError) -> CardKey {
        guard let master = masterKeys[role] else { throw .roleNotHeld(operation: operation, missing: "the \(role) master key") }
        guard let spec = profile.key(for: TerminalRole(role)) else {
            throw .roleNotHeld(operation: operation, missing: "a \(role) key in profile \(profile.name)")
        }
        let inputs = spec.diversification.context.compactMap { DiversificationInput(rawValue: $0.rawValue) }
        do throws(CardSecurityError) {
            return try KeyDerivation.cardKey(
                master: master, label: Array(spec.diversification.label.utf8), inputs: inputs, serial: serial,
                aid: profile.card.aid, keyNumber: UInt8(truncatingIfNeeded: spec.number), keyVersion: UInt8(truncatingIfNeeded: spec.version))
        } catch { throw .security(error) }
    }

    func requireRole(_ role: KeyRole, for operation: String) throws(PermitCardError) {
        guard masterKeys[role] != nil else { throw .roleNotHeld(operation: operation, missing: "the \(role) master key") }
    }

    /// The credential that signs records, provided its certificate carries `role`.
    func requireRecordSigner(_ role: CertificateRole, for operation: String) throws(PermitCardError) -> SigningCredential {
        guard let recordSigner, recordSigner.certificate.roles.contains(role) else {
            throw .roleNotHeld(operation: operation, missing: "a certificate and key of the \(role) role to sign the record")
        }
        return recordSigner
    }

    func requireDocumentSigner(for operation: String) throws(PermitCardError) -> SigningCredential {
        guard let documentSigner else { throw .roleNotHeld(operation: operation, missing: "the document signer's certificate and key") }
        return documentSigner
    }
}
