import Foundation
import Testing
@testable import CardSecurity

/// A signing day is checked against today and the signer's validity, counted in the station's zone.
@Suite struct SigningDayTests {
    static let shanghai = StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }
    /// Valid from 2025-01-01 to 2030-01-01, midnight in Shanghai.
    static let signer = try! TestAuthority.generate(
        notBefore: shanghai.start(of: day("2025-01-01")), notAfter: shanghai.start(of: day("2030-01-01"))).issuingStation.certificate

    @Test(arguments: [
        ("2026-03-01", "2026-03-01", nil),
        ("2025-01-01", "2026-03-01", nil),
        ("2026-03-02", "2026-03-01", "is dated 2026-03-02, after today (2026-03-01)"),
        ("2024-12-31", "2026-03-01", "is dated 2024-12-31, before its signer"),
        ("2030-01-02", "2031-01-01", "is dated 2030-01-02, after its signer"),
    ] as [(String, String, String?)])
    func verdict(_ signed: String, _ today: String, _ failure: String?) {
        let verdict = SigningDay.verdict(Self.day(signed), of: "the record", signer: Self.signer, calendar: Self.shanghai, today: Self.day(today))
        if let failure {
            guard case .failed(let reason) = verdict else { Issue.record("\(signed) on \(today) passed"); return }
            #expect(reason.contains("the record \(failure)"), "\(reason)")
        } else {
            #expect(verdict == .passed)
        }
    }
}
