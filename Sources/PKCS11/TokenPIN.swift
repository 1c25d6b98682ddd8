/// A token PIN (the user's or the security officer's). Its descriptions are redacted, so a PIN printed or
/// logged by accident shows nothing; the bytes reach only the module's C_Login, C_InitToken and C_InitPIN.
public struct TokenPIN: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let bytes: [UInt8]

    /// A PIN of 4 to 255 printable ASCII characters (what PKCS#11 modules commonly accept).
    public init(_ text: String) throws(PKCS11Error) {
        let bytes = Array(text.utf8)
        guard (4...255).contains(bytes.count), bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidArgument("A token PIN must be 4 to 255 printable ASCII characters without spaces")
        }
        self.bytes = bytes
    }

    /// A fresh random PIN of 16 hexadecimal digits from the system's secure generator.
    public static func random() -> TokenPIN {
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<16).map { _ in "0123456789abcdef".randomElement(using: &generator)! }
        return try! TokenPIN(String(digits))
    }

    /// The PIN's text, for writing it into the station's 0600 PIN file. Never log it.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "TokenPIN(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
