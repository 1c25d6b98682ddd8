import Foundation

/// The absolute path of a file: file identifiers from the MF (`3F00`) down, e.g. `3F00/DF01/EF02`.
public struct FilePath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let masterFileID: UInt16 = 0x3F00
    public static let masterFile = FilePath(unchecked: [masterFileID])

    /// File identifiers from the MF down; always starts with `3F00`.
    public let ids: [UInt16]

    private init(unchecked ids: [UInt16]) { self.ids = ids }

    /// A path from file identifiers; nil unless it starts at the MF and no later identifier is `3F00`/`FFFF`.
    public init?(_ ids: [UInt16]) {
        guard ids.first == Self.masterFileID,
              !ids.dropFirst().contains(where: { $0 == Self.masterFileID || $0 == 0xFFFF })
        else { return nil }
        self.ids = ids
    }

    /// Parses `3F00/DF01/EF02` (slashes optional: `3F00DF01EF02` is the same path).
    public init?(_ text: String) {
        guard let bytes = Hex.decode(text.replacingOccurrences(of: "/", with: "")),
              bytes.count >= 2, bytes.count % 2 == 0
        else { return nil }
        self.init(stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) })
    }

    public var fileID: UInt16 { ids[ids.count - 1] }
    public var isMasterFile: Bool { ids.count == 1 }
    /// The DF that contains this file; nil for the MF.
    public var parent: FilePath? { isMasterFile ? nil : FilePath(unchecked: Array(ids.dropLast())) }

    public func appending(_ id: UInt16) -> FilePath? { FilePath(ids + [id]) }

    public static func < (lhs: FilePath, rhs: FilePath) -> Bool { lhs.ids.lexicographicallyPrecedes(rhs.ids) }

    public var description: String {
        ids.map { Hex.encode([UInt8($0 >> 8), UInt8($0 & 0xFF)]) }.joined(separator: "/")
    }
}

extension FilePath: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let path = FilePath(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a file path like 3F00/DF01/EF02")
        }
        self = path
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
