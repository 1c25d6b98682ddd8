import CardSecurity
import Foundation
import KeyCustody

/// The on-disk layout of an authority directory written by `permit pki init`, and its reading back.
///
/// Always: `<name>.pem` (a certificate) for `root-ca` and every `AuthorityCredential`, `trust-bundle.pem`
/// (what a field verifier carries, root first) and `root-ca.key` (the authority's root key, mode 0600;
/// no station reads it).
/// With tokens (the default): `<place>.token.json` (the place's key configuration: module, token label,
/// PIN file), `<place>.pin` and `<place>.so-pin` (mode 0600).
/// With `--keys-in-files` (development only): `<name>.key` (PKCS#8 PEM, mode 0600) for every credential
/// and `master-keys.json` (mode 0600).
struct PKIDirectory {
    static let masterKeysFile = "master-keys.json"
    static let trustBundleFile = "trust-bundle.pem"
    static let rootName = "root-ca"

    let url: URL

    func certificateURL(_ name: String) -> URL { url.appendingPathComponent("\(name).pem") }
    func keyURL(_ name: String) -> URL { url.appendingPathComponent("\(name).key") }
    func tokenConfigurationURL(_ place: StationPlace) -> URL { url.appendingPathComponent("\(place.rawValue).token.json") }
    func pinURL(_ place: StationPlace, securityOfficer: Bool = false) -> URL {
        url.appendingPathComponent("\(place.rawValue).\(securityOfficer ? "so-pin" : "pin")")
    }
    var masterKeysURL: URL { url.appendingPathComponent(Self.masterKeysFile) }
    var trustBundleURL: URL { url.appendingPathComponent(Self.trustBundleFile) }

    /// Every path `init` may create, so existing files can be detected before anything is written.
    var allPaths: [URL] {
        let names = [Self.rootName] + AuthorityCredential.allCases.map(\.rawValue)
        return names.flatMap { [certificateURL($0), keyURL($0)] } + [masterKeysURL, trustBundleURL]
            + StationPlace.allCases.flatMap { [tokenConfigurationURL($0), pinURL($0), pinURL($0, securityOfficer: true)] }
    }

    /// Creates the directory (mode 0700); refuses to overwrite an authority unless `replacing`.
    func prepare(replacing: Bool) throws {
        if !replacing, let existing = allPaths.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            throw PKIError.wouldOverwrite(existing.path)
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw PKIError.writeFailed(url.path, "the directory cannot be created") }
        if replacing { for path in allPaths { try? FileManager.default.removeItem(at: path) } }
    }

    /// The root (certificate, and its key with mode 0600), every certificate and the trust bundle.
    func writeCertificates(root: SigningCredential, issued: [AuthorityCredential: PKICertificate]) throws {
        try SecretFile.write(Data(root.key.pemRepresentation.utf8), to: keyURL(Self.rootName), mode: 0o600)
        let certificates = [(Self.rootName, root.certificate)] + AuthorityCredential.allCases.compactMap { name in
            issued[name].map { (name.rawValue, $0) }
        }
        for (name, certificate) in certificates {
            try SecretFile.write(Data(certificate.pemEncoded.utf8), to: certificateURL(name), mode: 0o644)
        }
        try SecretFile.write(Data(certificates.map(\.1.pemEncoded).joined(separator: "\n").utf8), to: trustBundleURL, mode: 0o644)
    }

    /// Development keys: every credential's private key and the master keys, mode 0600 from the moment they exist.
    func writeKeyFiles(_ authority: TestAuthority) throws {
        for (name, credential) in authority.issued {
            try SecretFile.write(Data(credential.key.pemRepresentation.utf8), to: keyURL(name.rawValue), mode: 0o600)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SecretFile.write(try encoder.encode(authority.masterKeys) + Data("\n".utf8), to: masterKeysURL, mode: 0o600)
    }

    /// A place's key configuration and PIN files (the PIN files mode 0600).
    func writeTokenConfiguration(_ place: StationPlace, module: String, label: String, userPIN: String, securityOfficerPIN: String) throws {
        try SecretFile.write(Data((userPIN + "\n").utf8), to: pinURL(place), mode: 0o600)
        try SecretFile.write(Data((securityOfficerPIN + "\n").utf8), to: pinURL(place, securityOfficer: true), mode: 0o600)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let configuration = TokenConfiguration(module: module, token: label, pinFile: pinURL(place).lastPathComponent)
        try SecretFile.write(try encoder.encode(configuration) + Data("\n".utf8), to: tokenConfigurationURL(place), mode: 0o644)
    }

    /// The certificate `name.pem`.
    func certificate(_ name: String) throws -> PKICertificate {
        try PKICertificate(pemEncoded: read(certificateURL(name)))
    }

    /// The private key `name.key` with its certificate (development files).
    func credential(_ name: String) throws -> SigningCredential {
        let key = try SigningKey(pemRepresentation: read(keyURL(name)))
        return SigningCredential(certificate: try certificate(name), key: key)
    }

    /// The development master-key file; it may hold some roles only.
    func masterKeys() throws -> MasterKeySet {
        do {
            return try JSONDecoder().decode(MasterKeySet.self, from: Data(read(masterKeysURL).utf8))
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError.unreadable(masterKeysURL.path, "it is not a master-key file of `permit pki init --keys-in-files`")
        }
    }

    /// What `place` works with: from its token (the configuration `keys`, else `<place>.token.json` here),
    /// or, with `inFiles`, from this directory's development key files.
    func stationKeys(_ place: StationPlace, keys: String?, inFiles: Bool) throws -> StationKeys {
        guard inFiles else {
            let file = keys.map { URL(fileURLWithPath: $0) } ?? tokenConfigurationURL(place)
            guard keys != nil || FileManager.default.fileExists(atPath: file.path) else {
                throw PKIError.noTokenConfiguration(url.path, place)
            }
            return try StationKeys.token(try TokenConfiguration.load(from: file), place: place)
        }
        var credentials: [AuthorityCredential: any CertifiedSigner] = [:]
        for name in place.credentials where FileManager.default.fileExists(atPath: keyURL(name.rawValue).path) {
            credentials[name] = try credential(name.rawValue)
        }
        let masters: any MasterKeyStore = place.masterRoles.isEmpty
            ? NoMasterKeys() : try masterKeys().restricted(to: place.masterRoles)
        return StationKeys(place: place, masterKeys: masters, credentials: credentials)
    }

    /// What a verifier trusts: the root, and every other certificate of the bundle.
    func trustStore() throws -> TrustStore {
        let text = try read(trustBundleURL)
        guard text.contains("-----END CERTIFICATE-----") else { throw PKIError.unreadable(trustBundleURL.path, "there is no certificate in it") }
        return try TrustStore(pemBundle: text)
    }

    private func read(_ file: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PKIError.unreadable(file.path, "it is missing or not readable")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The master keys of a place that has none (the authority's status-list token).
private struct NoMasterKeys: MasterKeyStore {
    var suite: CryptoSuite { .international }
    var roles: Set<KeyRole> { [] }
    func diversify(_ input: [UInt8], master: MasterKeyReference) throws(CardSecurityError) -> CardKey { throw .keyNotHeld("\(master)") }
}

/// Errors of the authority directory, each saying which file and what to do.
enum PKIError: Error, CustomStringConvertible {
    case wouldOverwrite(String)
    case unreadable(String, String)
    case writeFailed(String, String)
    case badEntry(String, line: Int, String)
    case noTokenConfiguration(String, StationPlace)

    var description: String {
        switch self {
        case .wouldOverwrite(let path):
            "\(path) already exists; nothing was written. Choose another --out directory or pass --force to replace the authority."
        case .unreadable(let path, let why):
            "Cannot use \(path): \(why). Create the authority with `permit pki init --out DIR --token MODULE`."
        case .writeFailed(let path, let why):
            "Cannot write \(path): \(why). Check the directory's permissions and free space."
        case .badEntry(let path, let line, let problem):
            "\(path), line \(line): \(problem); nothing was written. Write serial,status,reason,YYYY-MM-DD, for example 3301020304050607,replaced,30,2026-11-20."
        case .noTokenConfiguration(let directory, let place):
            "\(directory) has no key configuration for the \(place) (\(place.rawValue).token.json): its keys are in no token. Set the tokens up with `permit pki init --token MODULE`, name the station's configuration with --keys FILE, or pass --keys-in-files for development keys."
        }
    }
}
