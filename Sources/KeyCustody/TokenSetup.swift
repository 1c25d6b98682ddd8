import CardSecurity
import PKCS11

/// Sets up the token of one place at a key ceremony: a free slot initialised with the place's label and
/// PINs, the master keys of the place's roles imported as sensitive, non-extractable AES keys that may
/// only compute CMACs, and a key pair generated inside the token for each of the place's credentials,
/// its certificate stored beside it. Nothing the place may not use is put in.
public enum TokenSetup {
    /// The master keys of one ceremony: every label a profile names (`keys[].master`) with its key.
    public typealias MasterKeys = [MasterKeyReference: CardKey]

    /// Sets up `place`'s token in `module` and returns it logged in. `certify` issues the certificate of
    /// each credential's public key (the authority's root signs it).
    public static func setUp(
        _ place: StationPlace, module path: String, label: String, securityOfficerPIN: TokenPIN, userPIN: TokenPIN,
        masterKeys: MasterKeys, certify: (AuthorityCredential, VerifyingKey) throws(CardSecurityError) -> PKICertificate
    ) throws(KeyCustodyError) -> StationToken {
        let session: PKCS11Session
        let module: PKCS11Module
        let exists: Bool
        do throws(PKCS11Error) {
            module = try PKCS11Module.load(path)
            exists = try module.tokens().contains(where: { $0.isInitialised && $0.label == label })
        } catch { throw .token(label: label, error) }
        guard !exists else { throw .tokenExists(label: label, module: path) }
        do throws(PKCS11Error) {
            let token = try module.initialiseToken(label: label, securityOfficerPIN: securityOfficerPIN, userPIN: userPIN)
            session = try module.openSession(token, readWrite: true)
            try session.login(.user, pin: userPIN)
            for (reference, key) in masterKeys where place.masterRoles.contains(reference.role) {
                try session.createObject(masterKeyTemplate(reference, key: key))
            }
        } catch { throw .token(label: label, error) }
        for credential in place.credentials {
            let publicKey = try generateKeyPair(credential, session: session, token: label)
            let certificate: PKICertificate
            do { certificate = try certify(credential, publicKey) } catch {
                throw .credentialInvalid(label: label, credential: credential.rawValue, problem: "could not be certified (\(error))")
            }
            do throws(PKCS11Error) {
                try session.createObject([
                    .objectClass(.certificate), Attribute(.certificateType, number: 0 /* CKC_X_509 */), Attribute(.token, true),
                    Attribute(.private, false), .label(credential.rawValue), Attribute(.id, bytes: Array(credential.rawValue.utf8)),
                    Attribute(.subject, bytes: certificate.subjectDER), Attribute(.value, bytes: certificate.derEncoded),
                ])
            } catch { throw .token(label: label, error) }
        }
        return try StationToken(label: label, module: path, session: session)
    }

    /// A master key that computes CMACs and nothing else, and never leaves the token. `CKA_ID` names its role.
    static func masterKeyTemplate(_ reference: MasterKeyReference, key: CardKey) -> [Attribute] {
        [
            .objectClass(.secretKey), .keyType(.aes), .label(reference.label), Attribute(.id, text: reference.role.rawValue),
            Attribute(.token, true), Attribute(.private, true), Attribute(.sensitive, true), Attribute(.extractable, false),
            Attribute(.modifiable, false), Attribute(.sign, true), Attribute(.verify, false), Attribute(.encrypt, false),
            Attribute(.decrypt, false), Attribute(.wrap, false), Attribute(.unwrap, false), Attribute(.derive, false),
            Attribute(.value, bytes: key.rawBytes),
        ]
    }

    /// An ECDSA P-256 key pair made by the token; only the public key comes out.
    private static func generateKeyPair(
        _ credential: AuthorityCredential, session: PKCS11Session, token: String
    ) throws(KeyCustodyError) -> VerifyingKey {
        let label = Attribute.label(credential.rawValue)
        let id = Attribute(.id, bytes: Array(credential.rawValue.utf8))
        let point: [UInt8]
        do throws(PKCS11Error) {
            let pair = try session.generateKeyPair(
                .ecKeyPairGeneration,
                publicKey: [
                    .objectClass(.publicKey), .keyType(.ec), label, id, Attribute(.token, true), Attribute(.private, false),
                    Attribute(.verify, true), Attribute(.encrypt, false), Attribute(.wrap, false), Attribute(.derive, false),
                    Attribute(.ecParameters, bytes: TokenKeyFormat.p256Parameters),
                ],
                privateKey: [
                    .objectClass(.privateKey), .keyType(.ec), label, id, Attribute(.token, true), Attribute(.private, true),
                    Attribute(.sensitive, true), Attribute(.extractable, false), Attribute(.modifiable, false), Attribute(.sign, true),
                    Attribute(.decrypt, false), Attribute(.unwrap, false), Attribute(.derive, false),
                ])
            point = TokenKeyFormat.point(fromECPoint: try session.attribute(.ecPoint, of: pair.publicKey))
        } catch { throw .token(label: token, error) }
        do { return try VerifyingKey(x963Representation: point) } catch {
            throw .credentialInvalid(label: token, credential: credential.rawValue, problem: "got a public key from the token that is not a P-256 point")
        }
    }
}
