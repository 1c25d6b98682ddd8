/// A response APDU: response data and the status word that ends it.
public struct ResponseAPDU: Hashable, Sendable, CustomStringConvertible {
    public var data: [UInt8]
    public var statusWord: StatusWord

    public init(data: [UInt8] = [], statusWord: StatusWord = .success) {
        self.data = data
        self.statusWord = statusWord
    }

    /// Splits raw bytes into data and SW1 SW2; fewer than two bytes is not a response.
    public init(bytes: [UInt8]) throws(APDUError) {
        guard bytes.count >= 2 else { throw .responseTooShort(count: bytes.count) }
        data = Array(bytes.dropLast(2))
        statusWord = StatusWord(sw1: bytes[bytes.count - 2], sw2: bytes[bytes.count - 1])
    }

    public var bytes: [UInt8] { data + [statusWord.sw1, statusWord.sw2] }

    public var description: String {
        data.isEmpty ? "\(statusWord)" : "\(data.hexString) \(statusWord)"
    }
}
