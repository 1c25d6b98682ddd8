import COpenSSL

/// The error for a libcrypto call that failed, with OpenSSL's own reason. Empties this thread's OpenSSL
/// error queue, so a stale reason never shows up in a later, unrelated failure.
func openSSLFailure(_ operation: String) -> NationalCryptoError {
    .openSSLFailed(operation: operation, reason: drainOpenSSLErrors() ?? "no reason given")
}

/// Empties this thread's OpenSSL error queue; the most recent reason, if any.
@discardableResult
func drainOpenSSLErrors() -> String? {
    var latest: UInt = 0
    while case let code = ERR_get_error(), code != 0 { latest = code }
    guard latest != 0 else { return nil }
    var text = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(latest, &text, text.count)
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Throws `openSSLFailure(operation)` unless a libcrypto call returned 1 (its success value).
func requireSuccess(_ result: Int32, _ operation: String) throws(NationalCryptoError) {
    guard result == 1 else { throw openSSLFailure(operation) }
}
