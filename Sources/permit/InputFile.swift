import Foundation

/// Files named on the command line (an application, a CSV sheet, a status list), read so that every
/// failure is one sentence naming the option, the file and what to do. Read through a file handle, so
/// a pipe (`<(…)`) works as well as a file.
enum InputFile {
    /// Every byte of the file.
    static func data(_ path: String, option: String) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandError("\(option): cannot open \(path): it is missing or not readable; nothing was written.")
        }
        defer { try? handle.close() }
        do { return try handle.readToEnd() ?? Data() } catch {
            throw CommandError("\(option): cannot read \(path) to its end; nothing was written. Check the file and try again.")
        }
    }

    /// The file as UTF-8 text.
    static func text(_ path: String, option: String, hint: String) throws -> String {
        let data = try data(path, option: option)
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandError("\(option): \(path) is not UTF-8 text; nothing was written. \(hint)")
        }
        return text
    }

    /// The file as JSON of type `T`; a missing field, a wrong type or a bad value is named by its path.
    static func json<T: Decodable>(_ type: T.Type, _ path: String, option: String, hint: String) throws -> T {
        let text = try text(path, option: option, hint: hint)
        do { return try JSONDecoder().decode(type, from: Data(text.utf8)) } catch let error as DecodingError {
            throw CommandError("\(option): \(path) \(problem(error)); nothing was written. \(hint)")
        }
    }

    /// What is wrong, as the end of a sentence starting with the file's name.
    static func problem(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "has no \"\(field(context.codingPath + [key]))\""
        case .valueNotFound(_, let context):
            return "gives null for \"\(field(context.codingPath))\", which needs a value"
        case .typeMismatch(let expected, let context):
            let kind = expected == String.self ? "text in double quotes" : expected == Bool.self ? "true or false"
                : [Int.self, Int64.self, UInt32.self, Double.self].contains { $0 == expected } ? "a number" : "a JSON object or list as documented"
            return "gives \"\(field(context.codingPath))\" a value of the wrong kind: it must be \(kind)"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "is not JSON"
        case .dataCorrupted(let context):
            return "gives \"\(field(context.codingPath))\" a value that is not valid: \(context.debugDescription)"
        @unknown default:
            return "cannot be read as the expected JSON"
        }
    }

    /// A coding path as JSON people write it: `holder.birthDate`, `entries[2].serial`.
    private static func field(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }
}
