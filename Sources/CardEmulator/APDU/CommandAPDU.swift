/// A command APDU as the card receives it (ISO/IEC 7816-3 §12.1: cases 1, 2, 3, 4, short or extended).
public struct CommandAPDU: Hashable, Sendable, CustomStringConvertible {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    /// The command data field (Nc = `data.count`; empty when Lc is absent).
    public var data: [UInt8]
    /// Ne, the most response bytes the terminal accepts: 0 when Le is absent, 256 for short Le=00,
    /// 65536 for extended Le=0000.
    public var ne: Int
    /// Whether Lc/Le were sent in the extended (3-byte / 2-byte) form.
    public var isExtended: Bool

    public init(cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], ne: Int = 0, isExtended: Bool? = nil) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.ne = ne
        self.isExtended = isExtended ?? (data.count > 255 || ne > 256)
    }

    /// Parses the bytes of a command; throws 6700 when the length fields do not match the byte count.
    public init(bytes: [UInt8]) throws(StatusWord) {
        guard bytes.count >= 4 else { throw .wrongLength }
        cla = bytes[0]; ins = bytes[1]; p1 = bytes[2]; p2 = bytes[3]
        data = []
        ne = 0
        isExtended = false
        let body = bytes.count - 4
        if body == 0 { return }                                       // case 1
        let b5 = Int(bytes[4])
        if body == 1 { ne = b5 == 0 ? 256 : b5; return }              // case 2S
        if b5 != 0 {                                                  // case 3S / 4S
            if body == 1 + b5 { data = Array(bytes[5...]); return }
            if body == 2 + b5 {
                data = Array(bytes[5..<(5 + b5)])
                let le = Int(bytes[bytes.count - 1])
                ne = le == 0 ? 256 : le
                return
            }
            throw .wrongLength
        }
        isExtended = true
        guard body >= 3 else { throw .wrongLength }
        let word = Int(bytes[5]) << 8 | Int(bytes[6])
        if body == 3 { ne = word == 0 ? 65536 : word; return }        // case 2E
        guard word != 0 else { throw .wrongLength }                   // extended Lc of 0 is invalid
        if body == 3 + word { data = Array(bytes[7...]); return }     // case 3E
        if body == 5 + word {                                         // case 4E
            data = Array(bytes[7..<(7 + word)])
            let le = Int(bytes[bytes.count - 2]) << 8 | Int(bytes[bytes.count - 1])
            ne = le == 0 ? 65536 : le
            return
        }
        throw .wrongLength
    }

    /// The encoded command (extended form when `isExtended`).
    public var bytes: [UInt8] {
        var out = [cla, ins, p1, p2]
        if isExtended {
            if !data.isEmpty {
                out += [0, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
                if ne > 0 { out += [UInt8((ne >> 8) & 0xFF), UInt8(ne & 0xFF)] }
            } else if ne > 0 {
                out += [0, UInt8((ne >> 8) & 0xFF), UInt8(ne & 0xFF)]
            }
        } else {
            if !data.isEmpty { out += [UInt8(data.count)] + data }
            if ne > 0 { out.append(UInt8(ne & 0xFF)) }
        }
        return out
    }

    /// Whether Le was "as much as possible" (00 / 0000) rather than a specific count.
    public var neIsMaximum: Bool { ne == 256 && !isExtended || ne == 65536 }

    /// CLA bit 5 (`0x10`): more commands of this chain follow (interindustry classes only).
    public var isChained: Bool { cla & 0x80 == 0 && cla & 0x10 != 0 }

    /// Whether the class byte is proprietary (b8 set): only an applet can interpret it.
    public var isProprietaryClass: Bool { cla & 0x80 != 0 }

    /// The logical channel named by an interindustry class byte.
    public var logicalChannel: Int {
        cla & 0x40 == 0 ? Int(cla & 0x03) : 4 + Int(cla & 0x0F)
    }

    /// Whether an interindustry class byte indicates secure messaging.
    public var indicatesSecureMessaging: Bool {
        cla & 0x40 == 0 ? cla & 0x0C != 0 : cla & 0x20 != 0
    }

    /// The header with no data and Le, for logs (command data may be secret and is never logged).
    public var description: String { "\(Hex.encode([cla, ins, p1, p2])) Nc=\(data.count) Ne=\(ne)" }
}
