import Foundation

/// Who is at the other end of a loopback TCP connection: the owner of the client's socket, as the kernel
/// lists it in /proc/net/tcp and /proc/net/tcp6 (the way identd answers). The kiosk's screen is served only
/// to the browser of the kiosk's own local user, so no token ever reaches the browser.
enum LoopbackPeer {
    /// The user ID owning the socket whose local port is `clientPort` and remote port `serverPort`, nil if none is listed.
    static func owner(clientPort: Int, serverPort: Int, tables: [String] = ["/proc/net/tcp", "/proc/net/tcp6"]) -> UInt32? {
        for path in tables {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            if let uid = owner(in: text, clientPort: clientPort, serverPort: serverPort) { return uid }
        }
        return nil
    }

    /// The same from the text of one table: `sl local_address rem_address st tx:rx tr:when retrnsmt uid …`,
    /// addresses as hex `ADDRESS:PORT`.
    static func owner(in table: String, clientPort: Int, serverPort: Int) -> UInt32? {
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 7, port(fields[1]) == clientPort, port(fields[2]) == serverPort else { continue }
            return UInt32(fields[7])
        }
        return nil
    }

    private static func port(_ address: Substring) -> Int? {
        address.split(separator: ":").last.flatMap { Int($0, radix: 16) }
    }

    /// The user ID of a local user name, nil when there is none.
    static func userID(_ name: String) -> UInt32? {
        guard let entry = getpwnam(name) else { return nil }
        return entry.pointee.pw_uid
    }
}
