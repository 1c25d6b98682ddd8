import ApplicationData
import CardEmulator
import Lifecycle
import PermitCard
import Testing

/// Issue 14 findings 3 and 4: the card was issued with a birth date after issuance or in 1800 or unlike
/// the ID's, an address registered in 2031, an issue date in the future, and names holding U+0000 or
/// U+202E. Each is now refused naming the field, before any APDU, and the card stays blank.
@Suite("Issuance checks the application")
struct IssueValidationTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    /// The fixture's request with one change.
    static func request(_ change: (inout IssueRequest) -> Void) -> IssueRequest {
        var request = Fixture.request(pin: nil)
        change(&request)
        return request
    }

    static func born(_ text: String) -> (inout IssueRequest) -> Void {
        { $0.holder.birthDate = day(text); $0.holder.citizenID = CitizenID(region: 110105, birth: day(text), sequence: 123) }
    }

    @Test(arguments: [
        ("birth after issuance", request(born("2030-01-01")), "holder.birthDate", "2030-01-01 is after today (2026-03-01)"),
        ("birth in 1800", request(born("1800-01-01")), "holder.birthDate", "1800-01-01 is more than 130 years ago"),
        ("birth unlike the ID's", request { $0.holder.birthDate = day("1990-05-18") }, "holder.birthDate",
         "1990-05-18 differs from the birth date in the citizen ID 110105199005171233 (1990-05-17)"),
        ("address registered in 2031", request { $0.address.since = day("2031-01-01") }, "address.since", "2031-01-01 is after the issue date 2026-03-01"),
        ("issued in the future", request { $0.issued = day("2030-01-01") }, "issued", "2030-01-01 is after today (2026-03-01)"),
        ("a NUL in the name", request { $0.holder.name = "张\u{0}伟" }, "holder.name", "holds the control character U+0000 at character 2"),
        ("a right-to-left override in the name", request { $0.holder.name = "\u{202E}张伟" }, "holder.name",
         "holds the bidirectional formatting character U+202E (right-to-left override) at character 1"),
        ("a control character in the address", request { $0.address.text = "解放路\u{7}100号" }, "address.text", "holds the control character U+0007"),
        ("a city's code as district", request { $0.address.district = DigitCode.district("330100")! }, "address.district", "names a city or province"),
    ] as [(String, IssueRequest, String, String)])
    func refusedBeforeAnythingIsWritten(_ name: String, request: IssueRequest, field: String, problem: String) async throws {
        try await withPermitCard { bench in
            let before = bench.card.state
            let card = try await bench.permitCard(Fixture.issuingStation())
            do {
                _ = try await card.with(clock: .test(day: Fixture.issueDay)).issue(request)
                Issue.record("\(name): issued")
            } catch {
                guard case PermitCardError.invalidApplication(let found) = error else { Issue.record("\(name): \(error)"); return }
                #expect(found.field == field, "\(name)")
                #expect(found.problem.contains(problem), "\(name): \(found)")
                #expect("\(error)".hasPrefix("The application's \(field) "), "\(error)")
            }
            #expect(bench.card.state == before, "\(name): the card was written")
        }
    }
}
