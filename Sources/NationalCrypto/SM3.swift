import COpenSSL

/// SM3 (GB/T 32905-2016), the national suite's 256-bit digest, where the international suite uses SHA-256.
/// One-shot with `SM3.hash(_:)`, or piece by piece with `update(_:)` and `finalize()`. A value: a copy
/// goes on independently of the original (copy on write of the OpenSSL context).
public struct SM3: Sendable {
    public static let digestLength = 32

    private var state: DigestState

    /// An empty digest, ready for `update(_:)`.
    public init() throws(NationalCryptoError) {
        state = try DigestState(copying: nil)
    }

    /// The SM3 digest of `message` (32 bytes).
    public static func hash(_ message: [UInt8]) throws(NationalCryptoError) -> [UInt8] {
        var digest = try SM3()
        try digest.update(message)
        return try digest.finalize()
    }

    /// Appends `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) throws(NationalCryptoError) {
        if !isKnownUniquelyReferenced(&state) { state = try DigestState(copying: state) }
        try requireSuccess(EVP_DigestUpdate(state.context, bytes, bytes.count), "compute an SM3 digest")
    }

    /// The digest of everything appended so far. The value stays usable: more updates may follow.
    public func finalize() throws(NationalCryptoError) -> [UInt8] {
        let finishing = try DigestState(copying: state)
        var digest = [UInt8](repeating: 0, count: Self.digestLength)
        var length: UInt32 = 0
        try requireSuccess(EVP_DigestFinal_ex(finishing.context, &digest, &length), "finish an SM3 digest")
        return digest
    }
}

/// Owns one SM3 EVP_MD_CTX. Copies of an `SM3` value share it until one of them updates; a shared
/// context is only read (copied from), which OpenSSL allows from several threads at once.
private final class DigestState: @unchecked Sendable {
    let context: OpaquePointer

    /// A fresh SM3 context, or a copy of `original`'s.
    init(copying original: DigestState?) throws(NationalCryptoError) {
        guard let context = EVP_MD_CTX_new() else { throw openSSLFailure("allocate an SM3 context") }
        var ready = false
        defer { if !ready { EVP_MD_CTX_free(context) } }
        if let original {
            try requireSuccess(EVP_MD_CTX_copy_ex(context, original.context), "copy an SM3 context")
        } else {
            guard let sm3 = EVP_MD_fetch(nil, "SM3", nil) else { throw openSSLFailure("find the SM3 digest") }
            defer { EVP_MD_free(sm3) }
            try requireSuccess(EVP_DigestInit_ex2(context, sm3, nil), "start an SM3 digest")
        }
        self.context = context
        ready = true
    }

    deinit { EVP_MD_CTX_free(context) }
}
