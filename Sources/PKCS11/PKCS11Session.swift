import CPKCS11
import Synchronization

/// One session with a token. PKCS#11 keeps operation state (sign, find) per session, so every call
/// here holds the session's lock from its first C function to its last: a session may be shared by tasks.
public final class PKCS11Session: @unchecked Sendable {
    public let module: PKCS11Module
    let handle: CK_SESSION_HANDLE
    private let lock = Mutex(())

    init(module: PKCS11Module, handle: CK_SESSION_HANDLE) {
        self.module = module
        self.handle = handle
    }

    deinit {
        _ = module.functions.pointee.C_CloseSession!(handle)
    }

    public enum User: Sendable {
        case securityOfficer, user

        var rawValue: CK_USER_TYPE {
            switch self {
            case .securityOfficer: CK_USER_TYPE(CKU_SO)
            case .user: CK_USER_TYPE(CKU_USER)
            }
        }
    }

    private var functions: CK_FUNCTION_LIST { module.functions.pointee }

    private func locked<R>(_ body: () throws(PKCS11Error) -> R) throws(PKCS11Error) -> R {
        try lock.withLock { (_: inout Void) throws(PKCS11Error) -> R in try body() }
    }

    /// Logs in; the login holds for every session of this process with the token. Logging in again
    /// (`CKR_USER_ALREADY_LOGGED_IN`) is not an error.
    public func login(_ user: User, pin: TokenPIN) throws(PKCS11Error) {
        try locked { () throws(PKCS11Error) in
            var bytes = pin.bytes
            let result = functions.C_Login!(handle, user.rawValue, &bytes, CK_ULONG(bytes.count))
            guard result != CKR_USER_ALREADY_LOGGED_IN else { return }
            try module.check(result, "C_Login")
        }
    }

    public func logout() throws(PKCS11Error) {
        try locked { () throws(PKCS11Error) in
            let result = functions.C_Logout!(handle)
            guard result != CKR_USER_NOT_LOGGED_IN else { return }
            try module.check(result, "C_Logout")
        }
    }

    /// Sets the user's PIN (the security officer is logged in).
    func initialiseUserPIN(_ pin: TokenPIN) throws(PKCS11Error) {
        try locked { () throws(PKCS11Error) in
            var bytes = pin.bytes
            try module.check(functions.C_InitPIN!(handle, &bytes, CK_ULONG(bytes.count)), "C_InitPIN")
        }
    }

    /// Every object matching `query` that this session may see.
    public func objects(matching query: [Attribute]) throws(PKCS11Error) -> [ObjectHandle] {
        try locked { () throws(PKCS11Error) -> [ObjectHandle] in
            try query.withTemplate { (template, count) throws(PKCS11Error) in
                try module.check(functions.C_FindObjectsInit!(handle, template, count), "C_FindObjectsInit")
            }
            var found: [ObjectHandle] = []
            var batch = [CK_OBJECT_HANDLE](repeating: 0, count: 32)
            while true {
                var returned: CK_ULONG = 0
                let result = functions.C_FindObjects!(handle, &batch, CK_ULONG(batch.count), &returned)
                guard result == CKR_OK else {
                    _ = functions.C_FindObjectsFinal!(handle)
                    throw .failed(function: "C_FindObjects", returnValue: UInt(result))
                }
                found += batch.prefix(Int(returned)).map(ObjectHandle.init(rawValue:))
                if returned == 0 { break }
            }
            try module.check(functions.C_FindObjectsFinal!(handle), "C_FindObjectsFinal")
            return found
        }
    }

    /// The value of one attribute of `object`. A sensitive value the token will not reveal throws
    /// `CKR_ATTRIBUTE_SENSITIVE`, which is how a master key stays inside.
    public func attribute(_ type: AttributeType, of object: ObjectHandle) throws(PKCS11Error) -> [UInt8] {
        try locked { () throws(PKCS11Error) -> [UInt8] in
            var attribute = CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(type.rawValue), pValue: nil, ulValueLen: 0)
            try module.check(functions.C_GetAttributeValue!(handle, object.rawValue, &attribute, 1), "C_GetAttributeValue")
            // CK_UNAVAILABLE_INFORMATION, (unsigned long) -1: a macro Swift does not import.
            guard attribute.ulValueLen != CK_ULONG.max else {
                throw .failed(function: "C_GetAttributeValue", returnValue: UInt(CKR_ATTRIBUTE_TYPE_INVALID))
            }
            var value = [UInt8](repeating: 0, count: Int(attribute.ulValueLen))
            let result = value.withUnsafeMutableBytes { buffer in
                attribute.pValue = buffer.baseAddress
                return functions.C_GetAttributeValue!(handle, object.rawValue, &attribute, 1)
            }
            try module.check(result, "C_GetAttributeValue")
            return Array(value.prefix(Int(attribute.ulValueLen)))
        }
    }

    /// A boolean attribute (`CKA_SIGN`, `CKA_SENSITIVE`, ...).
    public func flag(_ type: AttributeType, of object: ObjectHandle) throws(PKCS11Error) -> Bool {
        try attribute(type, of: object).first.map { $0 != 0 } ?? false
    }

    /// Creates an object (a key imported at a key ceremony, a certificate) from `template`.
    @discardableResult
    public func createObject(_ template: [Attribute]) throws(PKCS11Error) -> ObjectHandle {
        try locked { () throws(PKCS11Error) -> ObjectHandle in
            var object: CK_OBJECT_HANDLE = 0
            try template.withTemplate { (pointer, count) throws(PKCS11Error) in
                try module.check(functions.C_CreateObject!(handle, pointer, count, &object), "C_CreateObject")
            }
            return ObjectHandle(rawValue: object)
        }
    }

    public func destroyObject(_ object: ObjectHandle) throws(PKCS11Error) {
        try locked { () throws(PKCS11Error) in
            try module.check(functions.C_DestroyObject!(handle, object.rawValue), "C_DestroyObject")
        }
    }

    /// Generates a key pair inside the token; the private key is created by the token and never exists outside it.
    public func generateKeyPair(
        _ mechanism: Mechanism, publicKey: [Attribute], privateKey: [Attribute]
    ) throws(PKCS11Error) -> (publicKey: ObjectHandle, privateKey: ObjectHandle) {
        try locked { () throws(PKCS11Error) -> (publicKey: ObjectHandle, privateKey: ObjectHandle) in
            var publicHandle: CK_OBJECT_HANDLE = 0
            var privateHandle: CK_OBJECT_HANDLE = 0
            var ckMechanism = CK_MECHANISM(mechanism: CK_MECHANISM_TYPE(mechanism.rawValue), pParameter: nil, ulParameterLen: 0)
            try publicKey.withTemplate { (publicTemplate, publicCount) throws(PKCS11Error) in
                try privateKey.withTemplate { (privateTemplate, privateCount) throws(PKCS11Error) in
                    try module.check(functions.C_GenerateKeyPair!(
                        handle, &ckMechanism, publicTemplate, publicCount, privateTemplate, privateCount, &publicHandle, &privateHandle),
                        "C_GenerateKeyPair")
                }
            }
            return (ObjectHandle(rawValue: publicHandle), ObjectHandle(rawValue: privateHandle))
        }
    }

    /// `C_SignInit` and `C_Sign` of `data` with `key`, inside the token.
    public func sign(_ data: [UInt8], with key: ObjectHandle, mechanism: Mechanism) throws(PKCS11Error) -> [UInt8] {
        try locked { () throws(PKCS11Error) -> [UInt8] in
            var ckMechanism = CK_MECHANISM(mechanism: CK_MECHANISM_TYPE(mechanism.rawValue), pParameter: nil, ulParameterLen: 0)
            try module.check(functions.C_SignInit!(handle, &ckMechanism, key.rawValue), "C_SignInit")
            var input = data
            var length: CK_ULONG = 0
            try module.check(functions.C_Sign!(handle, &input, CK_ULONG(input.count), nil, &length), "C_Sign")
            var signature = [UInt8](repeating: 0, count: Int(length))
            try module.check(functions.C_Sign!(handle, &input, CK_ULONG(input.count), &signature, &length), "C_Sign")
            return Array(signature.prefix(Int(length)))
        }
    }

    /// `C_EncryptInit` and `C_Encrypt` (tests use it to show that a key refuses what it is not for).
    public func encrypt(_ data: [UInt8], with key: ObjectHandle, mechanism: Mechanism) throws(PKCS11Error) -> [UInt8] {
        try locked { () throws(PKCS11Error) -> [UInt8] in
            var ckMechanism = CK_MECHANISM(mechanism: CK_MECHANISM_TYPE(mechanism.rawValue), pParameter: nil, ulParameterLen: 0)
            try module.check(functions.C_EncryptInit!(handle, &ckMechanism, key.rawValue), "C_EncryptInit")
            var input = data
            var length = CK_ULONG(data.count + 32)
            var output = [UInt8](repeating: 0, count: Int(length))
            try module.check(functions.C_Encrypt!(handle, &input, CK_ULONG(input.count), &output, &length), "C_Encrypt")
            return Array(output.prefix(Int(length)))
        }
    }
}
