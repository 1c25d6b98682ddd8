import Foundation
import PermitVocabulary
import Station
import Testing

/// The configuration file's reading: defaults, every option, and each bad value named with its line.
@Suite("permitd configuration")
struct ConfigurationTests {
    @Test func emptyFileMeansDefaults() throws {
        #expect(try StationConfiguration.parse("", path: "p.yaml") == StationConfiguration())
        #expect(try StationConfiguration.parse("# only a comment\n", path: "p.yaml") == StationConfiguration())
    }

    @Test func everyOptionIsRead() throws {
        let text = """
            station: "330106000002"
            registry: /srv/registry.sqlite
            profiles: /srv/profiles
            time-zone: Asia/Urumqi
            log-level: debug
            socket: { path: /srv/p.sock, mode: "0600", group: officers }
            tcp: { port: 8421, address: "::1" }
            sweep: { at: "23:59", batch-size: 10 }
            api: { max-body-bytes: 2048, keep-alive-seconds: 5 }
            """
        let c = try StationConfiguration.parse(text, path: "p.yaml")
        #expect(c.station == "330106000002" && c.registry == "/srv/registry.sqlite" && c.profiles == "/srv/profiles")
        #expect(c.timeZone == "Asia/Urumqi" && c.logLevel == .debug)
        #expect(c.socket.path == "/srv/p.sock" && c.socket.mode == 0o600 && c.socket.group == "officers")
        #expect(c.tcp.port == 8421 && c.tcp.address == "::1")
        #expect(c.sweep.at == .init(hour: 23, minute: 59) && c.sweep.batchSize == 10)
        #expect(c.api.maxBodyBytes == 2048 && c.api.keepAliveSeconds == 5)
    }

    @Test("bad values are refused with the line and what to write", arguments: [
        ("station: 12345", "p.yaml, line 1: station: \"12345\" is not a 12-digit station code (e.g. 330102000001)."),
        ("registry: relative.sqlite", "p.yaml, line 1: registry: \"relative.sqlite\" is not an absolute path."),
        ("time-zone: Mars/Olympus", "p.yaml, line 1: time-zone: \"Mars/Olympus\" is not an IANA time zone (e.g. Asia/Shanghai)."),
        ("\n\ntcp:\n  address: 192.168.1.5", "p.yaml, line 4: tcp.address: \"192.168.1.5\" is not a loopback address (127.0.0.1 or ::1): the API is never served on another interface."),
        ("tcp:\n  port: 70000", "p.yaml, line 2: tcp.port: \"70000\" is not a whole number from 1 to 65535."),
        ("sweep:\n  at: \"7:5\"", "p.yaml, line 2: sweep.at: \"7:5\" is not a time of day as HH:MM (e.g. 00:05)."),
        ("socket:\n  mode: \"777\"", "p.yaml, line 2: socket.mode: \"777\" is not an octal mode such as 0660."),
        ("log-level: loud", "p.yaml, line 1: log-level: \"loud\" is not one of trace, debug, info, notice, warning, error, critical."),
        ("socket: /run/x.sock", "p.yaml, line 1: socket: \"/run/x.sock\" is not a section of `option: value` lines."),
        ("sweep:\n  at: \"01:00\"\n  every: day", "p.yaml, line 3: unknown option \"sweep.every\"; the options here are at, batch-size (docs/STATION.md)."),
        ("station: [unclosed", "p.yaml, line 2: not valid YAML (did not find expected ',' or ']')"),
    ])
    func badValue(text: String, message: String) throws {
        #expect {
            try StationConfiguration.parse(text, path: "p.yaml")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func aMissingFileIsAnErrorExceptAtThePackagedPath() throws {
        #expect(throws: ConfigurationError.unreadable(path: "/nonexistent/p.yaml", reason: "no such file")) {
            try StationConfiguration.load(path: "/nonexistent/p.yaml")
        }
    }

    @Test func theNextSweepFallsOnTheStationsWallClock() throws {
        let calendar = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        // 2026-05-31 16:30 UTC is 2026-06-01 00:30 in Shanghai: the next 00:05 there is the following night.
        let instant = ISO8601DateFormatter().date(from: "2026-05-31T16:30:00Z")!
        #expect(calendar.date(of: instant).description == "2026-06-01")
        #expect(ISO8601DateFormatter().string(from: calendar.next(.init(hour: 0, minute: 5), after: instant)) == "2026-06-01T16:05:00Z")
        #expect(ISO8601DateFormatter().string(from: calendar.next(.init(hour: 23, minute: 0), after: instant)) == "2026-06-01T15:00:00Z")
    }
}
