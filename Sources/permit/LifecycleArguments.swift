import ArgumentParser
import Lifecycle

/// Parsing of the date and reason arguments shared by `permit lifecycle` and `permit registry`,
/// with errors that name the option and show the expected form.
enum LifecycleArguments {
    static func date(_ text: String, option: String) throws -> CalendarDate {
        guard let date = CalendarDate(iso: text) else {
            throw ValidationError("\(option): \"\(text)\" is not a calendar date; write it as YYYY-MM-DD (for example 2025-03-15).")
        }
        return date
    }

    static func reason(_ text: String, option: String) throws -> CancellationReason {
        guard let reason = CancellationReason(rawValue: text), CancellationReason.officerReasons.contains(reason) else {
            let codes = CancellationReason.officerReasons.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\(option): \"\(text)\" is not a cancellation reason an officer can give; use one of \(codes).")
        }
        return reason
    }

    /// `YYYY-MM-DD:REASON`.
    static func cancellation(_ text: String, option: String) throws -> (CalendarDate, CancellationReason) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ValidationError("\(option): \"\(text)\" must be DATE:REASON, for example 2025-09-01:falseDocuments.")
        }
        return (try date(String(parts[0]), option: option), try reason(String(parts[1]), option: option))
    }
}
