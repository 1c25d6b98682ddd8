import CardProfiles
import Foundation
import Lifecycle
import Registry
import Testing
import TestPrograms

/// A registry in a fresh temporary directory, with the shipped profiles' policies.
struct TestRegistry {
    let directory: URL
    let registry: Registry
    var path: String { registry.path }

    static let policies: [String: RegionPolicy] = {
        let library = try! ProfileLibrary(directory: cardProfiles)
        return Dictionary(uniqueKeysWithValues: ["zhejiang", "inner-mongolia"].map { ($0, try! library.load($0).policy) })
    }()

    /// The tests' station calendar: a test clock late enough for every generated history (nothing is recorded after today).
    static let calendar = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!, clock: .test(day: CalendarDate(iso: "2040-01-01")!))

    init(busyTimeout: Double = 5, calendar: StationCalendar = Self.calendar) throws {
        directory = ScratchDirectory.make("registry-test")
        registry = try Registry(path: directory.appendingPathComponent("registry.sqlite").path, station: "test-station",
                                policies: Self.policies, busyTimeout: busyTimeout, calendar: calendar)
    }

    /// Another connection to the same file, like a second process would open.
    func reopen(busyTimeout: Double = 5) throws -> Registry {
        try Registry(path: path, station: "other-station", policies: Self.policies, busyTimeout: busyTimeout, calendar: Self.calendar)
    }

    /// A valid, distinct ID number for person `n`.
    static func idNumber(_ n: Int) -> String {
        CitizenID(region: 330_102, birth: CalendarDate(dayNumber: 3650 + n / 1000), sequence: n % 1000).text
    }

    /// An application of person `n`, residence registered seven months before `date`.
    static func application(_ n: Int, profile: String = "zhejiang", on date: CalendarDate, grounds: EligibilityGrounds = .job,
                            address: String? = nil) -> NewApplication {
        NewApplication(idNumber: idNumber(n), name: "Holder \(n)", profile: profile, acceptedOn: date, grounds: grounds,
                       documents: "lease; labour contract", address: address ?? "Room \(n), 1 Test Road",
                       residenceRegisteredOn: date.adding(months: -7))
    }

    /// Accepts and issues a permit for person `n`.
    @discardableResult
    func issue(_ n: Int, profile: String = "zhejiang", on date: CalendarDate, serial: String? = nil) throws -> Permit {
        let application = try registry.accept(Self.application(n, profile: profile, on: date), actor: "officer-1")
        return try registry.issue(application: application.id!, on: date, cardSerial: serial ?? "CARD-\(n)", actor: "officer-1")
    }
}

func d(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso: text) else { fatalError("bad test date \(text)") }
    return date
}
