/// Why a card face or stamp could not be rendered. Each `description` is one sentence for the officer:
/// what was wrong, where, and what to do.
public enum CardFaceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value the card would print is missing or malformed.
    case invalidValue(field: String, problem: String)
    /// The photo bytes are not a JPEG or PNG image this module can read.
    case unreadablePhoto(problem: String)
    /// A text is too long for its place on the card even at the smallest legible size.
    case doesNotFit(field: String, text: String)
    /// A font the card is printed with is not installed (fontconfig picked another one).
    case fontMissing(family: String, found: String)
    /// cairo or a library under it failed (out of memory, a write error).
    case renderingFailed(step: String, reason: String)
    /// A page number outside the artwork.
    case noSuchPage(Int, count: Int)

    public var description: String {
        switch self {
        case .invalidValue(let field, let problem):
            "The card's \(field) \(problem); correct it in the registry or the input file and print again."
        case .unreadablePhoto(let problem):
            "The holder's photo cannot be printed: \(problem); store a JPEG or PNG photo for the holder and print again."
        case .doesNotFit(let field, let text):
            "The card's \(field) \"\(text)\" is too long to print legibly on the card; shorten it in the registry and print again."
        case .fontMissing(let family, let found):
            "The font \(family) is not installed (fontconfig offered \(found)); install Debian's fonts-noto-cjk (scripts/setup does) and print again."
        case .renderingFailed(let step, let reason):
            "Rendering the card failed while \(step): \(reason); try again, and report it if it persists."
        case .noSuchPage(let page, let count):
            "There is no page \(page + 1): the artwork has \(count) page\(count == 1 ? "" : "s")."
        }
    }
}
