import ArgumentParser
import CardEmulator

/// `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:35963`).
struct Endpoint {
    var host: String
    var port: UInt16

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    static func parse(_ argument: String) throws -> Endpoint {
        guard let colon = argument.lastIndex(of: ":"),
              let port = UInt16(argument[argument.index(after: colon)...]), port > 0
        else { throw ValidationError("'\(argument)' is not HOST:PORT (for example localhost:35963)") }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("'\(argument)' has no host before the port") }
        return Endpoint(host: host, port: port)
    }
}

enum ArgumentParsing {
    static func atr(_ argument: String) throws -> ATR {
        do {
            return try ATR(hex: argument)
        } catch {
            throw ValidationError(error.description)
        }
    }

    static func statusWord(_ argument: String) throws -> StatusWord {
        guard let bytes = Hex.decode(argument), bytes.count == 2 else {
            throw ValidationError("'\(argument)' is not a status word: give 4 hex digits such as 6A82")
        }
        return StatusWord(sw1: bytes[0], sw2: bytes[1])
    }
}
