import Foundation

/// Why a profile could not be found or loaded. Each case says where the problem is and what to do.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// No profiles directory was found (`nil`) or the given one does not exist.
    case directoryNotFound(String?)
    /// A profile name with characters other than letters, digits, `-` and `_`.
    case invalidName(String)
    /// No `<name>.json` in the directory.
    case unknownProfile(String, available: [String], directory: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not well-formed JSON.
    case malformedJSON(file: String, reason: String)
    /// The file is JSON but breaks a rule of the profile format at `path` (e.g. `files[3].access.update`).
    case invalid(file: String, path: String, problem: ProfileProblem)

    public var description: String {
        switch self {
        case .directoryNotFound(nil):
            return "No card profiles directory found: set \(ProfileLibrary.environmentVariable) to the folder holding the profile files, or run from inside the source tree (which has cardprofiles/)."
        case .directoryNotFound(let path?):
            return "The card profiles directory \(path) does not exist: check the path (or \(ProfileLibrary.environmentVariable))."
        case .invalidName(let name):
            return "\"\(name)\" is not a profile name: use only letters, digits, '-' and '_' (for example zhejiang or inner-mongolia)."
        case .unknownProfile(let name, let available, let directory):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "No card profile named \"\(name)\" in \(directory) (available: \(list)): check the spelling or add \(name).json."
        case .unreadable(let file, let reason):
            return "Cannot read the card profile \(file): \(reason). Check that the file exists and is readable."
        case .malformedJSON(let file, let reason):
            return "The card profile \(file) is not valid JSON: \(reason). Fix the syntax (quotes, commas, brackets)."
        case .invalid(let file, let path, let problem):
            return "Card profile \(file), at \(path): \(problem)"
        }
    }

    public var errorDescription: String? { description }

    /// The rule broken, for `.invalid`; nil for the other cases.
    public var problem: ProfileProblem? {
        if case .invalid(_, _, let problem) = self { return problem }
        return nil
    }

    /// The JSON path of the offending value, for `.invalid`; nil for the other cases.
    public var path: String? {
        if case .invalid(_, let path, _) = self { return path }
        return nil
    }
}

/// One broken rule of the profile format. The description says what is wrong and how to fix it.
public enum ProfileProblem: Sendable, Equatable, CustomStringConvertible {
    /// A key the format does not define (often a typo).
    case unknownKey(String, allowed: [String])
    /// A required key is absent.
    case missingKey(String)
    /// A value of the wrong JSON type.
    case wrongType(expected: String, found: String)
    /// A word that is not one of the allowed ones.
    case notOneOf(String, allowed: [String])
    /// A number outside its range.
    case outOfRange(Int, allowed: ClosedRange<Int>)
    /// A number with a fraction where a whole number is required.
    case notAWholeNumber(Double)
    /// A string that is not hexadecimal, or of the wrong byte length.
    case badHex(String, reason: String)
    /// A string that is not a valid `YYYY-MM-DD` date.
    case badDate(String)
    /// A text that breaks a format rule (empty, too long, wrong characters).
    case badText(String, rule: String)
    /// A value that must be unique appears twice.
    case duplicate(kind: String, value: String, firstAt: String)
    /// A name that refers to nothing defined in the profile.
    case danglingReference(kind: String, name: String, known: [String])
    /// A size or count the card cannot have.
    case impossibleSize(String)
    /// A value that contradicts another part of the profile.
    case inconsistent(String)
    /// An access condition that does not parse.
    case badAccessCondition(String, reason: String)

    public var description: String {
        switch self {
        case .unknownKey(let key, let allowed):
            return "unknown key \"\(key)\". Remove it or correct the spelling; allowed keys here: \(allowed.joined(separator: ", "))."
        case .missingKey(let key):
            return "the required key \"\(key)\" is missing. Add it (see docs/PROFILE-FORMAT.md)."
        case .wrongType(let expected, let found):
            return "expected \(expected), found \(found). Change the value's type."
        case .notOneOf(let value, let allowed):
            return "\"\(value)\" is not allowed here. Use one of: \(allowed.joined(separator: ", "))."
        case .outOfRange(let value, let allowed):
            return "\(value) is out of range. Use a whole number from \(allowed.lowerBound) to \(allowed.upperBound)."
        case .notAWholeNumber(let value):
            return "\(value) is not a whole number. Use an integer."
        case .badHex(let text, let reason):
            return "\"\(text)\" is not valid here: \(reason). Write the bytes as hexadecimal digits (spaces allowed between bytes)."
        case .badDate(let text):
            return "\"\(text)\" is not a valid date. Write a real calendar date as YYYY-MM-DD."
        case .badText(let text, let rule):
            return "\"\(text)\" is not allowed: \(rule)."
        case .duplicate(let kind, let value, let firstAt):
            return "\(kind) \(value) is used twice (first at \(firstAt)). Give each one a distinct value."
        case .danglingReference(let kind, let name, let known):
            let list = known.isEmpty ? "none defined" : known.joined(separator: ", ")
            return "\"\(name)\" names no \(kind) of this profile (defined: \(list)). Define it or correct the name."
        case .impossibleSize(let reason):
            return "impossible size: \(reason)."
        case .inconsistent(let reason):
            return "\(reason)."
        case .badAccessCondition(let text, let reason):
            return "\"\(text)\" is not an access condition: \(reason). Write always, never, or credentials joined by & (all of) and | (any of), e.g. \"issuingStation | endorsingStation & pin\"."
        }
    }
}
