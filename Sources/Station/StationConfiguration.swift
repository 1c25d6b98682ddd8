import Foundation
import KeyCustody

/// permitd's configuration: every option, its default and its check. The file (YAML, docs/STATION.md
/// "Configuration") names only what differs from these defaults; an unknown option or a bad value stops
/// the load with the file, the line and what to write instead.
public struct StationConfiguration: Sendable, Equatable {
    /// This station's 12-digit code, stamped on what it records.
    public var station = "330102000001"
    /// The registry file (SQLite).
    public var registry = "/var/lib/permitstation/registry.sqlite"
    /// The card profiles directory; nil: $PERMIT_PROFILES, else the cardprofiles/ found upwards.
    public var profiles: String?
    /// The IANA time zone in which the station's clock becomes a date.
    public var timeZone = "Asia/Shanghai"
    public var socket = Socket()
    /// Loopback TCP, off unless a port is given.
    public var tcp = TCP()
    public var sweep = Sweep()
    public var api = API()
    public var cards = Cards()
    public var logLevel = LogLevel.info

    public struct Socket: Sendable, Equatable {
        public var path = "/run/permitstation/permitd.sock"
        /// Permission bits of the socket file (octal).
        public var mode: UInt16 = 0o660
        /// Group given the socket; nil: the daemon's own group.
        public var group: String?
    }

    public struct TCP: Sendable, Equatable {
        public var port: Int?
        /// A loopback address (127.0.0.0/8 or ::1); any other interface is refused.
        public var address = "127.0.0.1"
    }

    public struct Sweep: Sendable, Equatable {
        /// Hour and minute of the daily sweep, in the station's time zone.
        public var at = TimeOfDay(hour: 0, minute: 5)
        /// Permits per transaction.
        public var batchSize = 2000
    }

    public struct API: Sendable, Equatable {
        /// Request bodies over this size are refused (413).
        public var maxBodyBytes = 65_536
        /// Seconds between keep-alive comments on the event stream.
        public var keepAliveSeconds = 15
    }

    /// The card acts: the station's keys and trust, the authority's name it writes at issuance, its role.
    public struct Cards: Sendable, Equatable {
        /// The key configuration of the station's PKCS#11 token (`<place>.token.json` of `permit pki init --token`);
        /// nil: the daemon makes no card act (it still watches readers and sweeps).
        public var keys: String?
        /// Which place's keys the token holds: issuing, endorsing or kiosk.
        public var place = StationPlace.issuing
        /// The trust bundle cards are verified with (`trust-bundle.pem` of `permit pki init`).
        public var trust: String?
        /// The issuing authority's name (签发机关) written into each card issued here.
        public var authority = "公安局"
        /// counter (a police station or service counter), or the region's centralOffice, which alone
        /// personalises cards where the region makes them centrally.
        public var role = Role.counter

        public enum Role: String, Sendable, CaseIterable {
            case counter, centralOffice
        }
    }

    public enum LogLevel: String, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    public struct TimeOfDay: Sendable, Equatable, CustomStringConvertible {
        public var hour: Int
        public var minute: Int

        public init(hour: Int, minute: Int) {
            self.hour = hour
            self.minute = minute
        }

        /// `HH:MM`, 00:00 to 23:59.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
            else { return nil }
            self.init(hour: hour, minute: minute)
        }

        public var description: String { String(format: "%02d:%02d", hour, minute) }
    }

    public init() {}

    /// The packaged location of the file.
    public static let defaultPath = "/etc/permitstation/permitd.yaml"
}
