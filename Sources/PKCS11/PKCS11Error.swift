import CPKCS11

/// Every way a call into a PKCS#11 module can fail. Descriptions name the module or token, the step and
/// what to do; they never contain a PIN or key material.
public enum PKCS11Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// `dlopen` refused the file: missing, not a shared library, or of another architecture.
    case moduleNotLoadable(path: String, reason: String)
    /// The library has no `C_GetFunctionList`: it is not a PKCS#11 module.
    case notAModule(path: String)
    /// The module answered `function` with a return value other than `CKR_OK`.
    case failed(function: String, returnValue: UInt)
    /// No slot of the module holds a token with this label.
    case tokenNotFound(label: String, module: String)
    /// Every slot of the module holds an initialised token: none is free to set up.
    case noFreeSlot(module: String)
    /// A label or PIN does not fit PKCS#11's limits.
    case invalidArgument(String)

    /// The `CKR_` name of the return value, for logs and messages.
    public var returnValueName: String? {
        guard case .failed(_, let value) = self else { return nil }
        return Self.name(of: value)
    }

    public var description: String {
        switch self {
        case .moduleNotLoadable(let path, let reason):
            "Cannot load the PKCS#11 module \(path) (\(reason)); install the token's package (for SoftHSM2: softhsm2) or correct the module path in the station's key configuration."
        case .notAModule(let path):
            "\(path) is not a PKCS#11 module (it has no C_GetFunctionList); name the token's PKCS#11 library in the station's key configuration."
        case .failed(let function, let value):
            "The token refused \(function) (\(Self.name(of: value))): \(Self.explanation(of: value))"
        case .tokenNotFound(let label, let module):
            "No token labelled \"\(label)\" is present in \(module); insert the station's token or set it up with `permit pki init --token MODULE`."
        case .noFreeSlot(let module):
            "\(module) has no free slot for a new token; remove an unused token or use another module."
        case .invalidArgument(let problem):
            "\(problem)."
        }
    }

    static func name(of value: UInt) -> String {
        names[value] ?? "CKR_0x\(String(value, radix: 16, uppercase: true))"
    }

    private static func explanation(of value: UInt) -> String {
        switch value {
        case UInt(CKR_PIN_INCORRECT): "the PIN is wrong; check the station's PIN file (the token counts wrong tries and may lock)."
        case UInt(CKR_PIN_LOCKED): "the PIN is locked after too many wrong tries; the token's security officer must unlock it."
        case UInt(CKR_USER_NOT_LOGGED_IN): "nobody is logged in to the token; give the station its PIN."
        case UInt(CKR_KEY_FUNCTION_NOT_PERMITTED): "the key may not be used for this; the token keeps each key to its one use."
        case UInt(CKR_ATTRIBUTE_SENSITIVE): "the token does not reveal this key; it never leaves the token."
        case UInt(CKR_TOKEN_NOT_PRESENT), UInt(CKR_DEVICE_REMOVED): "the token is not present; insert it and try again."
        case UInt(CKR_MECHANISM_INVALID): "the token does not offer this algorithm."
        case UInt(CKR_KEY_HANDLE_INVALID), UInt(CKR_OBJECT_HANDLE_INVALID): "the key is not in the token (any more)."
        case UInt(CKR_SESSION_HANDLE_INVALID), UInt(CKR_SESSION_CLOSED): "the session with the token ended; try again."
        default: "see the token's documentation; nothing else was changed by this step."
        }
    }

    private static let names: [UInt: String] = [
        UInt(CKR_OK): "CKR_OK", UInt(CKR_CANCEL): "CKR_CANCEL", UInt(CKR_HOST_MEMORY): "CKR_HOST_MEMORY",
        UInt(CKR_SLOT_ID_INVALID): "CKR_SLOT_ID_INVALID", UInt(CKR_GENERAL_ERROR): "CKR_GENERAL_ERROR",
        UInt(CKR_FUNCTION_FAILED): "CKR_FUNCTION_FAILED", UInt(CKR_ARGUMENTS_BAD): "CKR_ARGUMENTS_BAD",
        UInt(CKR_ATTRIBUTE_READ_ONLY): "CKR_ATTRIBUTE_READ_ONLY", UInt(CKR_ATTRIBUTE_SENSITIVE): "CKR_ATTRIBUTE_SENSITIVE",
        UInt(CKR_ATTRIBUTE_TYPE_INVALID): "CKR_ATTRIBUTE_TYPE_INVALID", UInt(CKR_ATTRIBUTE_VALUE_INVALID): "CKR_ATTRIBUTE_VALUE_INVALID",
        UInt(CKR_DATA_INVALID): "CKR_DATA_INVALID", UInt(CKR_DATA_LEN_RANGE): "CKR_DATA_LEN_RANGE",
        UInt(CKR_DEVICE_ERROR): "CKR_DEVICE_ERROR", UInt(CKR_DEVICE_REMOVED): "CKR_DEVICE_REMOVED",
        UInt(CKR_FUNCTION_NOT_SUPPORTED): "CKR_FUNCTION_NOT_SUPPORTED", UInt(CKR_KEY_HANDLE_INVALID): "CKR_KEY_HANDLE_INVALID",
        UInt(CKR_KEY_TYPE_INCONSISTENT): "CKR_KEY_TYPE_INCONSISTENT", UInt(CKR_KEY_FUNCTION_NOT_PERMITTED): "CKR_KEY_FUNCTION_NOT_PERMITTED",
        UInt(CKR_KEY_UNEXTRACTABLE): "CKR_KEY_UNEXTRACTABLE", UInt(CKR_MECHANISM_INVALID): "CKR_MECHANISM_INVALID",
        UInt(CKR_MECHANISM_PARAM_INVALID): "CKR_MECHANISM_PARAM_INVALID", UInt(CKR_OBJECT_HANDLE_INVALID): "CKR_OBJECT_HANDLE_INVALID",
        UInt(CKR_OPERATION_ACTIVE): "CKR_OPERATION_ACTIVE", UInt(CKR_OPERATION_NOT_INITIALIZED): "CKR_OPERATION_NOT_INITIALIZED",
        UInt(CKR_PIN_INCORRECT): "CKR_PIN_INCORRECT", UInt(CKR_PIN_INVALID): "CKR_PIN_INVALID", UInt(CKR_PIN_LEN_RANGE): "CKR_PIN_LEN_RANGE",
        UInt(CKR_PIN_LOCKED): "CKR_PIN_LOCKED", UInt(CKR_SESSION_CLOSED): "CKR_SESSION_CLOSED",
        UInt(CKR_SESSION_HANDLE_INVALID): "CKR_SESSION_HANDLE_INVALID", UInt(CKR_SESSION_READ_ONLY): "CKR_SESSION_READ_ONLY",
        UInt(CKR_TEMPLATE_INCOMPLETE): "CKR_TEMPLATE_INCOMPLETE", UInt(CKR_TEMPLATE_INCONSISTENT): "CKR_TEMPLATE_INCONSISTENT",
        UInt(CKR_TOKEN_NOT_PRESENT): "CKR_TOKEN_NOT_PRESENT", UInt(CKR_TOKEN_NOT_RECOGNIZED): "CKR_TOKEN_NOT_RECOGNIZED",
        UInt(CKR_TOKEN_WRITE_PROTECTED): "CKR_TOKEN_WRITE_PROTECTED", UInt(CKR_USER_ALREADY_LOGGED_IN): "CKR_USER_ALREADY_LOGGED_IN",
        UInt(CKR_USER_NOT_LOGGED_IN): "CKR_USER_NOT_LOGGED_IN", UInt(CKR_USER_PIN_NOT_INITIALIZED): "CKR_USER_PIN_NOT_INITIALIZED",
        UInt(CKR_USER_TYPE_INVALID): "CKR_USER_TYPE_INVALID", UInt(CKR_BUFFER_TOO_SMALL): "CKR_BUFFER_TOO_SMALL",
        UInt(CKR_CRYPTOKI_NOT_INITIALIZED): "CKR_CRYPTOKI_NOT_INITIALIZED",
        UInt(CKR_CRYPTOKI_ALREADY_INITIALIZED): "CKR_CRYPTOKI_ALREADY_INITIALIZED",
        UInt(CKR_DOMAIN_PARAMS_INVALID): "CKR_DOMAIN_PARAMS_INVALID", UInt(CKR_CURVE_NOT_SUPPORTED): "CKR_CURVE_NOT_SUPPORTED",
    ]
}
