import CPKCS11

/// One attribute of a PKCS#11 object template or query: its type and value bytes.
public struct Attribute: Sendable, Equatable {
    public let type: AttributeType
    public let value: [UInt8]

    public init(_ type: AttributeType, bytes: [UInt8]) {
        self.type = type
        self.value = bytes
    }

    public init(_ type: AttributeType, _ flag: Bool) {
        self.init(type, bytes: [flag ? UInt8(CK_TRUE) : UInt8(CK_FALSE)])
    }

    /// A `CK_ULONG` value (object class, key type, length) in the machine's byte order, as the C API wants it.
    public init(_ type: AttributeType, number: UInt) {
        self.init(type, bytes: withUnsafeBytes(of: number) { Array($0) })
    }

    public init(_ type: AttributeType, text: String) {
        self.init(type, bytes: Array(text.utf8))
    }

    public static func objectClass(_ value: ObjectClass) -> Attribute { Attribute(.objectClass, number: value.rawValue) }
    public static func keyType(_ value: KeyType) -> Attribute { Attribute(.keyType, number: value.rawValue) }
    public static func label(_ text: String) -> Attribute { Attribute(.label, text: text) }
}

/// The attribute types this project reads or writes (PKCS#11 2.40 §4).
public enum AttributeType: UInt, Sendable, CaseIterable {
    case objectClass, token, `private`, label, value, certificateType, subject, keyType, id, sensitive
    case encrypt, decrypt, wrap, unwrap, sign, verify, derive, valueLength, extractable, modifiable
    case ecParameters, ecPoint, alwaysSensitive, neverExtractable

    public var rawValue: UInt {
        switch self {
        case .objectClass: UInt(CKA_CLASS)
        case .token: UInt(CKA_TOKEN)
        case .private: UInt(CKA_PRIVATE)
        case .label: UInt(CKA_LABEL)
        case .value: UInt(CKA_VALUE)
        case .certificateType: UInt(CKA_CERTIFICATE_TYPE)
        case .subject: UInt(CKA_SUBJECT)
        case .keyType: UInt(CKA_KEY_TYPE)
        case .id: UInt(CKA_ID)
        case .sensitive: UInt(CKA_SENSITIVE)
        case .encrypt: UInt(CKA_ENCRYPT)
        case .decrypt: UInt(CKA_DECRYPT)
        case .wrap: UInt(CKA_WRAP)
        case .unwrap: UInt(CKA_UNWRAP)
        case .sign: UInt(CKA_SIGN)
        case .verify: UInt(CKA_VERIFY)
        case .derive: UInt(CKA_DERIVE)
        case .valueLength: UInt(CKA_VALUE_LEN)
        case .extractable: UInt(CKA_EXTRACTABLE)
        case .modifiable: UInt(CKA_MODIFIABLE)
        case .ecParameters: UInt(CKA_EC_PARAMS)
        case .ecPoint: UInt(CKA_EC_POINT)
        case .alwaysSensitive: UInt(CKA_ALWAYS_SENSITIVE)
        case .neverExtractable: UInt(CKA_NEVER_EXTRACTABLE)
        }
    }

    public init?(rawValue: UInt) {
        guard let match = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = match
    }
}

/// Object classes (`CKO_*`).
public enum ObjectClass: Sendable, CaseIterable {
    case secretKey, privateKey, publicKey, certificate

    public var rawValue: UInt {
        switch self {
        case .secretKey: UInt(CKO_SECRET_KEY)
        case .privateKey: UInt(CKO_PRIVATE_KEY)
        case .publicKey: UInt(CKO_PUBLIC_KEY)
        case .certificate: UInt(CKO_CERTIFICATE)
        }
    }
}

/// Key types (`CKK_*`).
public enum KeyType: Sendable {
    case aes, ec

    public var rawValue: UInt {
        switch self {
        case .aes: UInt(CKK_AES)
        case .ec: UInt(CKK_EC)
        }
    }
}

/// The mechanisms this project asks of a token (`CKM_*`).
public enum Mechanism: Sendable {
    /// AES-CMAC as a signature (NIST SP 800-38B): the PRF of SP 800-108 key diversification.
    case aesCMAC
    /// Plain AES-ECB encryption (used by tests to show that a master key refuses it).
    case aesECB
    /// ECDSA over a hash computed by the caller; the signature is r || s.
    case ecdsa
    /// EC key-pair generation with the curve given in `CKA_EC_PARAMS`.
    case ecKeyPairGeneration

    var rawValue: UInt {
        switch self {
        case .aesCMAC: UInt(CKM_AES_CMAC)
        case .aesECB: UInt(CKM_AES_ECB)
        case .ecdsa: UInt(CKM_ECDSA)
        case .ecKeyPairGeneration: UInt(CKM_EC_KEY_PAIR_GEN)
        }
    }
}

/// An object's handle within a session (valid while the module stays loaded).
public struct ObjectHandle: Sendable, Hashable {
    let rawValue: CK_OBJECT_HANDLE
}

extension [Attribute] {
    /// Runs `body` with a C template over these attributes; the pointers live only during the call.
    func withTemplate<R, E: Error>(_ body: (UnsafeMutablePointer<CK_ATTRIBUTE>?, CK_ULONG) throws(E) -> R) throws(E) -> R {
        let total = reduce(0) { $0 + $1.value.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(total, 1), alignment: 8)
        let template = UnsafeMutablePointer<CK_ATTRIBUTE>.allocate(capacity: Swift.max(count, 1))
        defer {
            storage.deallocate()
            template.deallocate()
        }
        var offset = 0
        for (index, attribute) in enumerated() {
            let start = storage.baseAddress! + offset
            attribute.value.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: storage[offset..<(offset + $0.count)]).copyMemory(from: $0) }
            template[index] = CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(attribute.type.rawValue), pValue: start, ulValueLen: CK_ULONG(attribute.value.count))
            offset += attribute.value.count
        }
        return try body(isEmpty ? nil : template, CK_ULONG(count))
    }
}
