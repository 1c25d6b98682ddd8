import CardSecurity
import Foundation

/// The on-disk layout of an authority directory written by `permit pki init`, and its reading back.
///
/// `<name>.pem` holds a certificate, `<name>.key` its private key (PKCS#8 PEM, mode 0600), for
/// `root-ca`, `document-signer`, `issuing-station`, `endorsing-station` and `kiosk`;
/// `master-keys.json` holds the role master keys (mode 0600); `trust-bundle.pem` holds every
/// certificate a field verifier carries (root first).
struct PKIDirectory {
    static let masterKeysFile = "master-keys.json"
    static let trustBundleFile = "trust-bundle.pem"

    let url: URL

    func certificateURL(_ name: String) -> URL { url.appendingPathComponent("\(name).pem") }
    func keyURL(_ name: String) -> URL { url.appendingPathComponent("\(name).key") }
    var masterKeysURL: URL { url.appendingPathComponent(Self.masterKeysFile) }
    var trustBundleURL: URL { url.appendingPathComponent(Self.trustBundleFile) }

    /// Every path `write` creates, so existing files can be detected before anything is written.
    func paths(for names: [String]) -> [URL] {
        names.flatMap { [certificateURL($0), keyURL($0)] } + [masterKeysURL, trustBundleURL]
    }

    /// Writes `authority`; private keys and master keys get mode 0600 from the moment they exist.
    func write(_ authority: TestAuthority, replacing: Bool) throws {
        let names = authority.credentials.map(\.name)
        if !replacing, let existing = paths(for: names).first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            throw PKIError.wouldOverwrite(existing.path)
        }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        for (name, credential) in authority.credentials {
            try SecretFile.write(Data(credential.certificate.pemEncoded.utf8), to: certificateURL(name), mode: 0o644)
            try SecretFile.write(Data(credential.key.pemRepresentation.utf8), to: keyURL(name), mode: 0o600)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try SecretFile.write(try encoder.encode(authority.masterKeys) + Data("\n".utf8), to: masterKeysURL, mode: 0o600)
        let bundle = authority.credentials.map(\.credential.certificate.pemEncoded).joined(separator: "\n")
        try SecretFile.write(Data(bundle.utf8), to: trustBundleURL, mode: 0o644)
    }

    /// The certificate `name.pem`.
    func certificate(_ name: String) throws -> PKICertificate {
        try PKICertificate(pemEncoded: read(certificateURL(name)))
    }

    /// The private key `name.key` with its certificate.
    func credential(_ name: String) throws -> SigningCredential {
        let key = try SigningKey(pemRepresentation: read(keyURL(name)))
        return SigningCredential(certificate: try certificate(name), key: key)
    }

    func masterKeys() throws -> MasterKeySet {
        do {
            return try JSONDecoder().decode(MasterKeySet.self, from: Data(read(masterKeysURL).utf8))
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError.unreadable(masterKeysURL.path, "not a master-key set (\(error))")
        }
    }

    /// What a verifier trusts: the root, and every other certificate of the bundle.
    func trustStore() throws -> TrustStore {
        let blocks = try read(trustBundleURL).components(separatedBy: "-----END CERTIFICATE-----")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .map { try PKICertificate(pemEncoded: $0 + "\n-----END CERTIFICATE-----\n") }
        guard let root = blocks.first else { throw PKIError.unreadable(trustBundleURL.path, "no certificate in it") }
        return TrustStore(root: root, certificates: Array(blocks.dropFirst()))
    }

    private func read(_ file: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PKIError.unreadable(file.path, "missing or not readable")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Errors of the authority directory, each saying which file and what to do.
enum PKIError: Error, CustomStringConvertible {
    case wouldOverwrite(String)
    case unreadable(String, String)
    case writeFailed(String, String)
    case badEntry(String, line: Int, String)
    case unreadableInput(String)

    var description: String {
        switch self {
        case .wouldOverwrite(let path):
            "\(path) already exists; nothing was written. Choose another --out directory or pass --force to replace the authority."
        case .unreadable(let path, let why):
            "Cannot use \(path): \(why). Create the authority with `permit pki init --out DIR`."
        case .writeFailed(let path, let why):
            "Cannot write \(path): \(why). Check the directory's permissions and free space."
        case .unreadableInput(let path):
            "Cannot read \(path): it is missing or not readable; nothing was written."
        case .badEntry(let path, let line, let problem):
            "\(path), line \(line): \(problem); nothing was written. Write serial,status,reason,YYYY-MM-DD, for example 3301020304050607,replaced,30,2026-11-20."
        }
    }
}
