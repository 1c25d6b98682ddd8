import ArgumentParser
import CardSecurity
import Foundation
import PermitVocabulary

/// Every date on the command line is a `CalendarDate`, parsed here and nowhere else (`YYYY-MM-DD`); a
/// bad one is refused by the argument parser with the option's name and the expected form.
extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(iso: argument)
    }
}

extension EndorsementClass: ExpressibleByArgument {}
extension ReplacementReason: ExpressibleByArgument {}

/// Help for a date option: its value is shown as `<YYYY-MM-DD>`, in the help and in the error for a bad date.
func dateHelp(_ text: String) -> ArgumentHelp {
    ArgumentHelp(text, valueName: "YYYY-MM-DD")
}

/// The `--test-clock` option of commands that sign: the station's clock stopped on a day, for tests, the
/// demo and benchmarks only (docs/CLOCK.md).
struct TestClockOption: ParsableArguments {
    @Option(help: dateHelp("""
        Stop the station's clock on this day (noon in the profile's time zone) for what this command signs and checks. \
        For tests, the demo and benchmarks only: refused unless the authority is a test authority (`permit pki init`), \
        and said on standard error on every run. Default: the system clock.
        """))
    var testClock: CalendarDate?

    /// The system clock, or the test clock when one was asked for and the trust bundle's root is a test
    /// authority's (`trust` is read only then). A test clock is announced on standard error; the station
    /// daemon writes the same notice to its audit log.
    func clock(trust readTrust: () throws -> TrustStore) throws -> StationClock {
        guard let testClock else { return .system }
        let trust = try readTrust()
        guard trust.root.isTestAuthority else {
            throw CommandError("--test-clock: \(trust.root) is not a test authority's root, so this station signs by the system clock only; remove --test-clock (docs/CLOCK.md).")
        }
        let clock = StationClock.test(day: testClock)
        Warning.print("\(clock.testNotice!) (\(trust.root))")
        return clock
    }
}
