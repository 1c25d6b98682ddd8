import COpenSSL

/// The libcrypto side of SM2. Keys are rebuilt from their bytes for each operation, so the Swift key
/// types stay plain values with no OpenSSL object shared between threads or left to free.
enum SM2Engine {
    static let scalarLength = 32
    static let pointLength = 65
    /// n - 1, where n is the order of the SM2 curve's base point (GB/T 32918.5-2017): a private key d
    /// must lie in 1...n-2, since signing inverts d + 1.
    static let orderMinusOne: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x72, 0x03, 0xDF, 0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x22,
    ]
    /// The longest DER ECDSA-Sig-Value for 256-bit r and s: 30 44 (02 21 00 r) (02 21 00 s).
    static let maximumDERSignatureLength = 72

    /// True for 32 big-endian bytes d with 1 <= d <= n - 2.
    static func isValidScalar(_ scalar: [UInt8]) -> Bool {
        scalar.count == scalarLength && scalar.contains { $0 != 0 } && scalar.lexicographicallyPrecedes(orderMinusOne)
    }

    /// The uncompressed public point d·G (65 bytes) of a valid private scalar.
    static func publicPoint(for scalar: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        guard let group = EC_GROUP_new_by_curve_name(NID_sm2) else { throw openSSLFailure("load the SM2 curve") }
        defer { EC_GROUP_free(group) }
        guard let point = EC_POINT_new(group) else { throw openSSLFailure("allocate an SM2 point") }
        defer { EC_POINT_free(point) }
        let secret = try secretNumber(scalar)
        defer { BN_clear_free(secret) }
        try requireSuccess(EC_POINT_mul(group, point, secret, nil, nil, nil), "compute an SM2 public key")
        var encoded = [UInt8](repeating: 0, count: pointLength)
        guard EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &encoded, encoded.count, nil) == pointLength else {
            throw openSSLFailure("encode an SM2 public key")
        }
        return encoded
    }

    /// An EVP_PKEY for a public point and, to sign, its private scalar. The caller frees it (EVP_PKEY_free).
    static func makeKey(publicPoint: [UInt8], privateScalar: [UInt8]? = nil) throws(NationalCryptoError) -> OpaquePointer {
        guard let builder = OSSL_PARAM_BLD_new() else { throw openSSLFailure("allocate SM2 key parameters") }
        defer { OSSL_PARAM_BLD_free(builder) }
        var secret: OpaquePointer?
        defer { BN_clear_free(secret) }
        if let privateScalar { secret = try secretNumber(privateScalar) }
        // The builder keeps pointers to the pushed values until OSSL_PARAM_BLD_to_param copies them, so the
        // pushes and the copy happen inside the scopes that keep the values alive.
        let parameters = "SM2".withCString { group in
            publicPoint.withUnsafeBufferPointer { point -> UnsafeMutablePointer<OSSL_PARAM>? in
                guard OSSL_PARAM_BLD_push_utf8_string(builder, permit_param_group_name(), group, 0) == 1,
                      OSSL_PARAM_BLD_push_octet_string(builder, permit_param_public_key(), point.baseAddress, point.count) == 1,
                      secret == nil || OSSL_PARAM_BLD_push_BN(builder, permit_param_private_key(), secret) == 1
                else { return nil }
                return OSSL_PARAM_BLD_to_param(builder)
            }
        }
        guard let parameters else { throw openSSLFailure("build SM2 key parameters") }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw openSSLFailure("find the SM2 key type") }
        defer { EVP_PKEY_CTX_free(context) }
        try requireSuccess(EVP_PKEY_fromdata_init(context), "prepare an SM2 key")
        var key: OpaquePointer?
        let selection = secret == nil ? permit_selection_public_key() : permit_selection_keypair()
        try requireSuccess(EVP_PKEY_fromdata(context, &key, selection, parameters), "load an SM2 key")
        guard let key else { throw openSSLFailure("load an SM2 key") }
        return key
    }

    /// True when the key's point passes OpenSSL's full check: on the curve, not the point at infinity, of order n.
    static func passesPublicCheck(_ key: OpaquePointer) -> Bool {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context) }
        return EVP_PKEY_public_check(context) == 1
    }

    /// Runs `body` with a digest context for SM2 with SM3 over `key`, the distinguishing ID set explicitly.
    static func withDigestContext<Result>(
        key: OpaquePointer, id: SM2DistinguishingID, signing: Bool,
        _ body: (OpaquePointer) throws(NationalCryptoError) -> Result
    ) throws(NationalCryptoError) -> Result {
        guard let keyContext = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { throw openSSLFailure("allocate an SM2 context") }
        defer { EVP_PKEY_CTX_free(keyContext) }  // last: the digest context below only borrows it
        try requireSuccess(EVP_PKEY_CTX_set1_id(keyContext, id.bytes, Int32(id.bytes.count)), "set the SM2 distinguishing ID")
        guard let digestContext = EVP_MD_CTX_new() else { throw openSSLFailure("allocate an SM3 context") }
        defer { EVP_MD_CTX_free(digestContext) }
        EVP_MD_CTX_set_pkey_ctx(digestContext, keyContext)
        let started = signing
            ? EVP_DigestSignInit_ex(digestContext, nil, "SM3", nil, nil, key, nil)
            : EVP_DigestVerifyInit_ex(digestContext, nil, "SM3", nil, nil, key, nil)
        try requireSuccess(started, signing ? "start an SM2 signature" : "start an SM2 verification")
        return try body(digestContext)
    }

    /// A BIGNUM in OpenSSL's secure heap (cleared when freed) holding a private scalar.
    private static func secretNumber(_ scalar: [UInt8]) throws(NationalCryptoError) -> OpaquePointer {
        guard let number = BN_secure_new() else { throw openSSLFailure("allocate an SM2 private key") }
        guard BN_bin2bn(scalar, Int32(scalar.count), number) != nil else {
            BN_clear_free(number)
            throw openSSLFailure("load an SM2 private key")
        }
        return number
    }
}
