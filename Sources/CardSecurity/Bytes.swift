/// Compares two byte strings in time independent of where they differ, for MACs and cryptograms.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}

/// ISO/IEC 9797-1 padding method 2: append 0x80, then zeros up to a multiple of `blockSize`.
func isoPadded(_ bytes: [UInt8], blockSize: Int = 16) -> [UInt8] {
    var padded = bytes + [0x80]
    while !padded.count.isMultiple(of: blockSize) { padded.append(0x00) }
    return padded
}

/// Removes ISO/IEC 9797-1 method 2 padding; nil when the padding is malformed.
func isoUnpadded(_ bytes: [UInt8]) -> [UInt8]? {
    guard let marker = bytes.lastIndex(where: { $0 != 0x00 }), bytes[marker] == 0x80 else { return nil }
    return Array(bytes[..<marker])
}

/// ASCII bytes of a fixed label.
func ascii(_ text: StaticString) -> [UInt8] {
    text.withUTF8Buffer { Array($0) }
}
