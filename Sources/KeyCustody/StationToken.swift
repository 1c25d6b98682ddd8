import CardSecurity
import Crypto
import PKCS11

/// A station's PKCS#11 token, logged in: its master keys (a `MasterKeyStore` that diversifies inside the
/// token with CKM_AES_CMAC, so a master key never leaves it) and its signing credentials (ECDSA P-256
/// inside the token). What the token does not hold, the station cannot do.
public final class StationToken: MasterKeyStore, CustomStringConvertible {
    public let label: String
    public let module: String
    /// Master keys are AES keys: the international suite.
    public let suite = CryptoSuite.international
    public let roles: Set<KeyRole>
    /// The signing credentials the token holds, by name.
    public let credentials: [AuthorityCredential: TokenCredential]
    private let session: PKCS11Session
    /// Master key objects by label, with the role each serves (`CKA_ID` holds the role's name).
    private let masters: [String: (role: KeyRole, object: ObjectHandle)]

    /// Opens the token `configuration` names and logs in with the PIN from its PIN file.
    public static func open(_ configuration: TokenConfiguration) throws(KeyCustodyError) -> StationToken {
        let pin = try configuration.pin()
        let session: PKCS11Session
        do throws(PKCS11Error) {
            let module = try PKCS11Module.load(configuration.module)
            session = try module.openSession(try module.token(labelled: configuration.token))
            try session.login(.user, pin: pin)
        } catch { throw .token(label: configuration.token, error) }
        return try StationToken(label: configuration.token, module: configuration.module, session: session)
    }

    /// Reads what the logged-in `session` sees of the token.
    init(label: String, module: String, session: PKCS11Session) throws(KeyCustodyError) {
        self.label = label
        self.module = module
        self.session = session
        var masters: [String: (role: KeyRole, object: ObjectHandle)] = [:]
        do throws(PKCS11Error) {
            for object in try session.objects(matching: [.objectClass(.secretKey), .keyType(.aes)]) {
                let role = KeyRole(rawValue: String(decoding: try session.attribute(.id, of: object), as: UTF8.self))
                guard let role else { continue }
                masters[String(decoding: try session.attribute(.label, of: object), as: UTF8.self)] = (role, object)
            }
        } catch { throw .token(label: label, error) }
        self.masters = masters
        roles = Set(masters.values.map(\.role))
        var credentials: [AuthorityCredential: TokenCredential] = [:]
        for name in AuthorityCredential.allCases {
            guard let credential = try TokenCredential(name: name, token: label, session: session) else { continue }
            credentials[name] = credential
        }
        self.credentials = credentials
    }

    /// CKM_AES_CMAC over `input` with the master key labelled `master.label`, inside the token.
    public func diversify(_ input: [UInt8], master: MasterKeyReference) throws(CardSecurityError) -> CardKey {
        guard let entry = masters[master.label], entry.role == master.role else {
            throw .keyNotHeld("\(master) (token \"\(label)\" holds \(masters.isEmpty ? "no master key" : masters.keys.sorted().joined(separator: ", ")))")
        }
        let mac: [UInt8]
        do throws(PKCS11Error) {
            mac = try session.sign(input, with: entry.object, mechanism: .aesCMAC)
        } catch { throw .keyStoreFailed(KeyCustodyError.token(label: label, error).description) }
        return try CardKey(bytes: mac, suite: suite)
    }

    /// The credential `name`, or the reason the station cannot sign with it.
    public func credential(_ name: AuthorityCredential) throws(CardSecurityError) -> TokenCredential {
        guard let credential = credentials[name] else { throw .keyNotHeld("the \(name) credential (token \"\(label)\")") }
        return credential
    }

    public var description: String { "token \"\(label)\" (\(module))" }
}

/// A certificate and its private key inside a token: signs with CKM_ECDSA over a SHA-256 digest.
public struct TokenCredential: CertifiedSigner, CustomStringConvertible {
    public let name: AuthorityCredential
    public let certificate: PKICertificate
    public let publicKey: VerifyingKey
    private let token: String
    private let session: PKCS11Session
    private let privateKey: ObjectHandle

    /// The credential labelled `name`, if the token holds its certificate; its private key must be the
    /// certificate's (the token's public key object of the same label says so).
    init?(name: AuthorityCredential, token: String, session: PKCS11Session) throws(KeyCustodyError) {
        let label = Attribute.label(name.rawValue)
        let objects: (certificate: [UInt8], privateKey: ObjectHandle?, point: [UInt8]?)
        do throws(PKCS11Error) {
            guard let certificateObject = try session.objects(matching: [.objectClass(.certificate), label]).first else { return nil }
            objects = (
                try session.attribute(.value, of: certificateObject),
                try session.objects(matching: [.objectClass(.privateKey), label]).first,
                try session.objects(matching: [.objectClass(.publicKey), label]).first.map { handle throws(PKCS11Error) in
                    try session.attribute(.ecPoint, of: handle)
                })
        } catch { throw .token(label: token, error) }
        func invalid(_ problem: String) -> KeyCustodyError { .credentialInvalid(label: token, credential: name.rawValue, problem: problem) }
        guard let certificate = try? PKICertificate(derEncoded: objects.certificate), let certifiedKey = certificate.publicKey else {
            throw invalid("has a certificate that cannot be read")
        }
        guard let privateKey = objects.privateKey, let point = objects.point else { throw invalid("has no key pair beside its certificate") }
        guard TokenKeyFormat.point(fromECPoint: point) == certifiedKey.x963Representation else {
            throw invalid("holds a key that is not its certificate's")
        }
        self.name = name
        self.certificate = certificate
        self.publicKey = certifiedKey
        self.token = token
        self.session = session
        self.privateKey = privateKey
    }

    public func sign(_ message: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        do throws(PKCS11Error) {
            let signature = try session.sign(Array(SHA256.hash(data: message)), with: privateKey, mechanism: .ecdsa)
            guard signature.count == VerifyingKey.signatureLength else {
                throw .invalidArgument("The token's ECDSA signature has \(signature.count) bytes, not 64")
            }
            return signature
        } catch { throw .keyStoreFailed(KeyCustodyError.token(label: token, error).description) }
    }

    public var description: String { "\(name) in token \"\(token)\" (\(certificate))" }
}
