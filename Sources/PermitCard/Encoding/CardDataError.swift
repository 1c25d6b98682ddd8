import Foundation

/// Card contents that do not follow CARD-SPEC: which file or field, and what is wrong. A reader
/// parses strictly (§13) and reports this instead of guessing.
public enum CardDataError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// A field's value is outside its encoding.
    case invalidField(String, String)
    /// A file or record does not have its layout's length or structure.
    case invalidLayout(String, String)

    public var description: String {
        switch self {
        case .invalidField(let field, let problem): "\(field): \(problem)"
        case .invalidLayout(let file, let problem): "\(file): \(problem)"
        }
    }

    public var errorDescription: String? { description }
}
