import CardSecurity

/// What one place signs and diversifies with, wherever the keys live: its token, or (development only)
/// files read into memory. Only the master keys of the place's roles and its own credentials are in it.
public struct StationKeys: Sendable {
    public let place: StationPlace
    public let masterKeys: any MasterKeyStore
    public let credentials: [AuthorityCredential: any CertifiedSigner]

    public init(place: StationPlace, masterKeys: any MasterKeyStore, credentials: [AuthorityCredential: any CertifiedSigner]) {
        self.place = place
        self.masterKeys = masterKeys
        self.credentials = credentials.filter { place.credentials.contains($0.key) }
    }

    /// The keys of the token `configuration` names, as `place` uses them.
    public static func token(_ configuration: TokenConfiguration, place: StationPlace) throws(KeyCustodyError) -> StationKeys {
        let token = try StationToken.open(configuration)
        return StationKeys(place: place, masterKeys: token, credentials: token.credentials.mapValues { $0 as any CertifiedSigner })
    }

    /// The credential `name`, or a sentence saying this place's keys lack it.
    public func credential(_ name: AuthorityCredential) throws(CardSecurityError) -> any CertifiedSigner {
        guard let credential = credentials[name] else { throw .keyNotHeld("the \(name) credential (the \(place)'s keys hold none)") }
        return credential
    }
}
