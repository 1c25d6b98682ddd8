import ArgumentParser
import Lifecycle

/// Parsing of the reason arguments shared by `permit lifecycle`, `permit card` and `permit registry`,
/// with errors that name the option and show the expected form. Dates are `CalendarDate` arguments.
enum LifecycleArguments {
    static func reason(_ text: String, option: String) throws -> CancellationReason {
        guard let reason = CancellationReason(rawValue: text) else {
            let codes = CancellationReason.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\(option): \"\(text)\" is not a cancellation reason; use one of \(codes).")
        }
        return reason
    }

    /// `YYYY-MM-DD:REASON`.
    static func cancellation(_ text: String, option: String) throws -> (CalendarDate, CancellationReason) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ValidationError("\(option): \"\(text)\" must be DATE:REASON, for example 2025-09-01:falseDocuments.")
        }
        guard let date = CalendarDate(iso: parts[0]) else {
            throw ValidationError("\(option): \"\(parts[0])\" is not a calendar date; write it as YYYY-MM-DD (for example 2025-09-01).")
        }
        return (date, try reason(String(parts[1]), option: option))
    }
}
