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
    /// The file is JSON but breaks a rule of the profile format at `path`.
    case invalid(file: String, path: String, problem: String)

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
            return "\(file): at \(path): \(problem)"
        }
    }

    public var errorDescription: String? { description }
}
