import Foundation
import KeyCustody
import Yams

extension StationConfiguration {
    /// Reads the file at `path`. A missing file at the packaged path means all defaults; anywhere else it is an error.
    public static func load(path: String) throws(ConfigurationError) -> StationConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            if path == defaultPath, !FileManager.default.fileExists(atPath: path) { return StationConfiguration() }
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
        return try parse(text, path: path)
    }

    /// Parses the YAML text of a configuration file (named `path` in errors).
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> StationConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .syntax(path: path, line: Self.line(of: error), problem: Self.summary(of: error))
        } catch {
            throw .syntax(path: path, line: nil, problem: "\(error)")
        }
        var configuration = StationConfiguration()
        guard let root, root.null == nil else { return configuration }
        var reader = OptionReader(path: path)
        try reader.section(root, name: nil) { key, value throws(ConfigurationError) in
            switch key {
            case "station":
                configuration.station = try reader.text(value, key, valid: { $0.count == 12 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }, expected: "a 12-digit station code (e.g. 330102000001)")
            case "registry": configuration.registry = try reader.path(value, key)
            case "profiles": configuration.profiles = try reader.path(value, key)
            case "time-zone":
                configuration.timeZone = try reader.text(value, key, valid: { TimeZone(identifier: $0) != nil }, expected: "an IANA time zone (e.g. Asia/Shanghai)")
            case "log-level":
                configuration.logLevel = try reader.choice(value, key, of: LogLevel.self)
            case "socket":
                try reader.section(value, name: key) { key, value throws(ConfigurationError) in
                    switch key {
                    case "path": configuration.socket.path = try reader.path(value, "socket.path")
                    case "mode":
                        let text = try reader.text(value, "socket.mode", valid: { $0.count == 4 && $0.hasPrefix("0") && UInt16($0, radix: 8) != nil }, expected: "an octal mode such as 0660")
                        configuration.socket.mode = UInt16(text, radix: 8)!
                    case "group": configuration.socket.group = try reader.text(value, "socket.group", valid: { !$0.isEmpty }, expected: "a group name")
                    default: return false
                    }
                    return true
                }
            case "tcp":
                try reader.section(value, name: key) { key, value throws(ConfigurationError) in
                    switch key {
                    case "port": configuration.tcp.port = try reader.integer(value, "tcp.port", in: 1...65535)
                    case "address":
                        configuration.tcp.address = try reader.text(value, "tcp.address", valid: Self.isLoopback,
                                                                expected: "a loopback address (127.0.0.1 or ::1): the API is never served on another interface")
                    default: return false
                    }
                    return true
                }
            case "sweep":
                try reader.section(value, name: key) { key, value throws(ConfigurationError) in
                    switch key {
                    case "at":
                        let text = try reader.text(value, "sweep.at", valid: { TimeOfDay($0) != nil }, expected: "a time of day as HH:MM (e.g. 00:05)")
                        configuration.sweep.at = TimeOfDay(text)!
                    case "batch-size": configuration.sweep.batchSize = try reader.integer(value, "sweep.batch-size", in: 1...1_000_000)
                    default: return false
                    }
                    return true
                }
            case "api":
                try reader.section(value, name: key) { key, value throws(ConfigurationError) in
                    switch key {
                    case "max-body-bytes": configuration.api.maxBodyBytes = try reader.integer(value, "api.max-body-bytes", in: 1024...16_777_216)
                    case "keep-alive-seconds": configuration.api.keepAliveSeconds = try reader.integer(value, "api.keep-alive-seconds", in: 1...3600)
                    default: return false
                    }
                    return true
                }
            case "cards":
                try reader.section(value, name: key) { key, value throws(ConfigurationError) in
                    switch key {
                    case "keys": configuration.cards.keys = try reader.path(value, "cards.keys")
                    case "place":
                        configuration.cards.place = try reader.choice(value, "cards.place", of: StationPlace.self,
                                                                      among: [.issuing, .endorsing, .kiosk])
                    case "trust": configuration.cards.trust = try reader.path(value, "cards.trust")
                    case "authority":
                        configuration.cards.authority = try reader.text(value, "cards.authority", valid: { !$0.isEmpty && $0.utf8.count <= 64 },
                                                                        expected: "the issuing authority's name, 1 to 64 bytes (e.g. 杭州市公安局上城区分局)")
                    case "role": configuration.cards.role = try reader.choice(value, "cards.role", of: Cards.Role.self)
                    default: return false
                    }
                    return true
                }
            default: return false
            }
            return true
        }
        return configuration
    }

    /// 127.0.0.0/8 or ::1.
    static func isLoopback(_ address: String) -> Bool {
        if address == "::1" { return true }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}

/// Walks the YAML nodes, naming the file, line and option in every error.
struct OptionReader {
    let path: String

    /// Calls `body` with each key of the mapping `node`; `body` returns false for a key it does not know.
    func section(_ node: Node, name: String?, _ body: (String, Node) throws(ConfigurationError) -> Bool) throws(ConfigurationError) {
        guard let mapping = node.mapping else {
            throw .badValue(path: path, line: line(node), option: name ?? "the file", value: node.string ?? "…",
                            expected: "a section of `option: value` lines")
        }
        var known: [String] = []
        for (key, value) in mapping {
            let option = key.string ?? ""
            let full = name.map { "\($0).\(option)" } ?? option
            guard try body(option, value) else {
                known = Self.options[name ?? ""] ?? []
                throw .unknownOption(path: path, line: line(key), option: full, known: known)
            }
        }
    }

    func text(_ node: Node, _ option: String, valid: (String) -> Bool, expected: String) throws(ConfigurationError) -> String {
        guard let text = node.scalar?.string, valid(text) else {
            throw .badValue(path: path, line: line(node), option: option, value: node.scalar?.string ?? "(a section)", expected: expected)
        }
        return text
    }

    func path(_ node: Node, _ option: String) throws(ConfigurationError) -> String {
        try text(node, option, valid: { $0.hasPrefix("/") }, expected: "an absolute path")
    }

    func integer(_ node: Node, _ option: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let value = try text(node, option, valid: { Int($0).map(range.contains) == true },
                             expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        return Int(value)!
    }

    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ option: String, of: T.Type, among allowed: [T]? = nil) throws(ConfigurationError) -> T
    where T.RawValue == String {
        let cases = allowed ?? Array(T.allCases)
        let value = try text(node, option, valid: { name in cases.contains { $0.rawValue == name } },
                             expected: "one of " + cases.map(\.rawValue).joined(separator: ", "))
        return T(rawValue: value)!
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// The options of each section, named in the error for an unknown one.
    static let options: [String: [String]] = [
        "": ["station", "registry", "profiles", "time-zone", "log-level", "socket", "tcp", "sweep", "api", "cards"],
        "socket": ["path", "mode", "group"],
        "tcp": ["port", "address"],
        "sweep": ["at", "batch-size"],
        "api": ["max-body-bytes", "keep-alive-seconds"],
        "cards": ["keys", "place", "trust", "authority", "role"],
    ]
}
