import ArgumentParser
import CardEmulator

/// `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:35963`).
struct Endpoint: ExpressibleByArgument {
    var host: String
    var port: UInt16

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"),
              let port = UInt16(argument[argument.index(after: colon)...]), port > 0
        else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port)
    }

    var defaultValueDescription: String { "\(host):\(port)" }
}

struct ATRArgument: ExpressibleByArgument {
    var atr: ATR

    init?(argument: String) {
        guard let atr = try? ATR(hex: argument) else { return nil }
        self.atr = atr
    }
}

struct StatusWordArgument: ExpressibleByArgument {
    var status: StatusWord

    init?(argument: String) {
        guard let bytes = Hex.decode(argument), bytes.count == 2 else { return nil }
        status = StatusWord(sw1: bytes[0], sw2: bytes[1])
    }
}
