/// Byte helpers of this module (hex comes from ISO7816).
extension Array where Element == UInt8 {
    /// Big-endian integer of up to 8 bytes.
    var bigEndian: Int { reduce(0) { $0 << 8 | Int($1) } }
}

/// Reads fixed-layout records field by field; a short buffer is the caller's check, not a crash here.
struct ByteCursor {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ count: Int) -> [UInt8] {
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func byte() -> UInt8 { take(1)[0] }
    mutating func uint16() -> Int { take(2).bigEndian }
}

func bigEndian16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
