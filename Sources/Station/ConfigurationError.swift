/// Why permitd's configuration file was refused. Each says where (file and line) and what to write.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case syntax(path: String, line: Int?, problem: String)
    case unknownOption(path: String, line: Int, option: String, known: [String])
    case badValue(path: String, line: Int, option: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "Cannot read the configuration \(path): \(reason). Check the path (--config) and its permissions."
        case .syntax(let path, let line, let problem):
            "\(path)\(line.map { ", line \($0)" } ?? ""): not valid YAML (\(problem)); write one `option: value` per line."
        case .unknownOption(let path, let line, let option, let known):
            "\(path), line \(line): unknown option \"\(option)\"; the options here are \(known.joined(separator: ", ")) (docs/STATION.md)."
        case .badValue(let path, let line, let option, let value, let expected):
            "\(path), line \(line): \(option): \"\(value)\" is not \(expected)."
        }
    }
}
