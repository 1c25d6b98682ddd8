import CardSecurity
import PKCS11

/// Every way reaching a station's keys can fail. Descriptions say what was wrong, where and what to do,
/// and never contain a key or a PIN.
public enum KeyCustodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The station's key configuration cannot be read or is not valid JSON of the documented shape.
    case configurationUnreadable(path: String, problem: String)
    /// The PIN file is missing, empty or not a PIN.
    case pinFileUnreadable(path: String, problem: String)
    /// The PIN file can be read by the group or others.
    case pinFileExposed(path: String, mode: UInt32)
    /// The token (or its module) refused a step.
    case token(label: String, PKCS11Error)
    /// The token lacks a credential the place needs, or holds a key that is not its certificate's.
    case credentialInvalid(label: String, credential: String, problem: String)
    /// `permit pki init --token` found a token with this label already.
    case tokenExists(label: String, module: String)
    /// Tokens offer no SM2/SM3/SM4 (the national suite).
    case suiteNotInToken(CryptoSuite)

    public var description: String {
        switch self {
        case .configurationUnreadable(let path, let problem):
            "Cannot use the station's key configuration \(path): \(problem). Write it as {\"module\": \"/usr/lib/softhsm/libsofthsm2.so\", \"token\": \"LABEL\", \"pinFile\": \"FILE\"} (docs/CARD-SECURITY.md §16)."
        case .pinFileUnreadable(let path, let problem):
            "Cannot read the token PIN from \(path): \(problem). Put the token's user PIN alone on the first line of that file (mode 0600)."
        case .pinFileExposed(let path, let mode):
            "The token PIN file \(path) can be read by other users (mode \(String(mode & 0o777, radix: 8))); nothing was done. Run `chmod 600 \(path)`."
        case .token(let label, let error):
            "Token \"\(label)\": \(error)"
        case .credentialInvalid(let label, let credential, let problem):
            "Token \"\(label)\": the \(credential) credential \(problem). Set the token up again with `permit pki init --token MODULE`."
        case .tokenExists(let label, let module):
            "A token labelled \"\(label)\" already exists in \(module); nothing was written. Choose another --token-prefix, or delete the old token (for SoftHSM2: softhsm2-util --delete-token --token \(label))."
        case .suiteNotInToken(let suite):
            "The \(suite) suite's keys cannot be kept in a PKCS#11 token: SoftHSM2 and the common HSMs offer no SM2, SM3 or SM4 (docs/CARD-SECURITY.md §16). Use --keys-in-files for that suite, for development only."
        }
    }
}
