import Lifecycle

/// A value of a profile file together with where it is, so that every check can name its place.
struct ProfileNode {
    let value: JSONValue
    let path: JSONPath
    let file: String

    func failure(_ problem: ProfileProblem) -> ProfileError {
        .invalid(file: file, path: path.description, problem: problem)
    }

    func object(allowing keys: [String]) throws(ProfileError) -> ObjectReader {
        guard case .object(let members) = value else { throw failure(.wrongType(expected: "an object", found: value.typeName)) }
        let reader = ObjectReader(node: self, members: members)
        try reader.rejectUnknownKeys(allowed: keys)
        return reader
    }

    func array(count allowed: ClosedRange<Int> = 0...Int.max) throws(ProfileError) -> [ProfileNode] {
        guard case .array(let items) = value else { throw failure(.wrongType(expected: "an array", found: value.typeName)) }
        guard allowed.contains(items.count) else {
            throw failure(.impossibleSize("\(items.count) entries, but \(allowed.lowerBound)...\(allowed.upperBound) are allowed"))
        }
        return items.enumerated().map { ProfileNode(value: $1, path: path.appending($0), file: file) }
    }

    func string() throws(ProfileError) -> String {
        guard case .string(let text) = value else { throw failure(.wrongType(expected: "a string", found: value.typeName)) }
        return text
    }

    /// A non-empty single-line text of at most `maxLength` characters.
    func text(maxLength: Int = 200) throws(ProfileError) -> String {
        let text = try string()
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw failure(.badText(text, rule: "it must not be empty")) }
        guard text.count <= maxLength, !text.contains(where: \.isNewline) else {
            throw failure(.badText(text, rule: "it must be one line of at most \(maxLength) characters"))
        }
        return text
    }

    /// An identifier: ASCII letters, digits, `-` and `_`, starting with a letter.
    func identifier(maxLength: Int = 32) throws(ProfileError) -> String {
        let text = try string()
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic, text.count <= maxLength,
              text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") })
        else {
            throw failure(.badText(text, rule: "an identifier starts with a letter and has at most \(maxLength) ASCII letters, digits, '-' or '_'"))
        }
        return text
    }

    func bool() throws(ProfileError) -> Bool {
        guard case .bool(let flag) = value else { throw failure(.wrongType(expected: "true or false", found: value.typeName)) }
        return flag
    }

    func int(in range: ClosedRange<Int>) throws(ProfileError) -> Int {
        guard case .number(let number) = value else { throw failure(.wrongType(expected: "a whole number", found: value.typeName)) }
        guard number == number.rounded(), abs(number) < 1e15 else { throw failure(.notAWholeNumber(number)) }
        let whole = Int(number)
        guard range.contains(whole) else { throw failure(.outOfRange(whole, allowed: range)) }
        return whole
    }

    /// Bytes written as hex digits, optionally separated by spaces, of a byte count in `length`.
    func hex(length: ClosedRange<Int>) throws(ProfileError) -> [UInt8] {
        let text = try string()
        let digits = text.filter { $0 != " " }
        guard digits.count.isMultiple(of: 2), digits.allSatisfy(\.isHexDigit), digits.allSatisfy(\.isASCII) else {
            throw failure(.badHex(text, reason: "an even number of hexadecimal digits 0-9, A-F is required"))
        }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        guard length.contains(bytes.count) else {
            let expected = length.count == 1 ? "\(length.lowerBound) bytes" : "\(length.lowerBound) to \(length.upperBound) bytes"
            throw failure(.badHex(text, reason: "it is \(bytes.count) bytes long, \(expected) are required"))
        }
        return bytes
    }

    func date() throws(ProfileError) -> CalendarDate {
        let text = try string()
        guard let date = CalendarDate(iso: text) else { throw failure(.badDate(text)) }
        return date
    }

    func oneOf<Word: RawRepresentable & CaseIterable>(_: Word.Type) throws(ProfileError) -> Word where Word.RawValue == String {
        let text = try string()
        guard let word = Word(rawValue: text) else {
            throw failure(.notOneOf(text, allowed: Word.allCases.map(\.rawValue)))
        }
        return word
    }
}

/// Reads the members of one JSON object; every key must be known and every required one present.
struct ObjectReader {
    let node: ProfileNode
    let members: [String: JSONValue]

    func rejectUnknownKeys(allowed: [String]) throws(ProfileError) {
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw ProfileNode(value: members[key]!, path: node.path.appending(key), file: node.file)
                .failure(.unknownKey(key, allowed: allowed))
        }
    }

    func has(_ key: String) -> Bool { members[key] != nil }

    /// The member `key`, which must be present.
    func required(_ key: String) throws(ProfileError) -> ProfileNode {
        guard let value = members[key] else {
            throw ProfileNode(value: .null, path: node.path.appending(key), file: node.file).failure(.missingKey(key))
        }
        return ProfileNode(value: value, path: node.path.appending(key), file: node.file)
    }

    /// The member `key`, or nil when absent or `null`.
    func optional(_ key: String) -> ProfileNode? {
        guard let value = members[key], value != .null else { return nil }
        return ProfileNode(value: value, path: node.path.appending(key), file: node.file)
    }
}
