import CardEmulator
import CardSecurity
import Foundation
import Lifecycle
import PCSCSandbox
import PermitCard
import Testing
import TestPrograms

/// Issue #3 item 7: a reader written in Python from the documents alone (Tests/Interop/verify_card.py,
/// pyscard + cryptography) reads a card this module issued, through the same private pcscd, recomputes
/// the digests and verifies every signature.
@Suite("Interop with an independent Python verifier")
struct InteropTests {
    static let script = Fixture.repository.appendingPathComponent("Tests/Interop/verify_card.py")

    /// Trust anchors and master keys as `permit pki init` lays them out, in a temporary directory.
    static func authorityDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("permitcard-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bundle = Fixture.authority.credentials.map(\.credential.certificate.pemEncoded).joined(separator: "\n")
        try Data(bundle.utf8).write(to: directory.appendingPathComponent("trust-bundle.pem"))
        try JSONEncoder().encode(Fixture.authority.masterKeys).write(to: directory.appendingPathComponent("master-keys.json"))
        return directory
    }

    /// Runs the Python verifier against the card in `bench`'s reader on `date` with `statusList` (default: an
    /// empty one issued that day) and `seen`: its exit status and JSON report.
    static func runPython(
        _ bench: PCSCBench, date: CalendarDate = CalendarDate(year: 2027, month: 2, day: 11)!, statusList: SignedStatusList? = nil,
        seen: UInt32? = nil
    ) async throws -> (status: Int32, report: [String: Any]) {
        let directory = try authorityDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("status-list.der")
        try Data((statusList ?? Fixture.statusList(issuedOn: date)).encoded).write(to: list)
        let run = try await TestProgram.run("/usr/bin/python3", [
            script.path, "--reader", bench.slot.readerName,
            "--profile", Fixture.repository.appendingPathComponent("cardprofiles/\(bench.profile.name).json").path,
            "--dir", directory.path, "--date", date.description, "--status-list", list.path,
        ] + (seen.map { ["--seen", "\($0)"] } ?? []), environment: ["PCSCLITE_CSOCK_NAME": PCSCSandbox.shared.socketPath])
        guard let report = try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any] else {
            throw BenchFailure("the Python verifier printed no report (status \(run.status)): \(run.errors)")
        }
        return (run.status, report)
    }

    static let allChecks: Set<String> = [
        "complete", "chipAuthentication", "authoritySignature", "dataIntegrity", "residence", "endorsements", "status", "dates", "statusList",
    ]

    @Test("the Python verifier accepts a card issued and endorsed by PermitCard")
    func pythonAcceptsIssuedCard() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            _ = try await kiosk.with(clock: .test(day: CalendarDate(year: 2027, month: 2, day: 10)!)).endorse()
            let (status, report) = try await Self.runPython(bench)
            let checks = try #require(report["checks"] as? [String: String])
            #expect(status == 0, "\(checks)")
            #expect(report["serial"] as? String == "5A4A000000000001")
            #expect(Set(checks.keys) == Self.allChecks)
            #expect(checks.values.allSatisfy { $0 == "passed" }, "\(checks)")
        }
    }

    /// A card, or a status list, or a verification day, built to fail one check of the Python verifier.
    struct Failing: Sendable, CustomStringConvertible {
        let description: String
        let state: @Sendable (CardState, [UInt8]) async throws -> CardState
        var date = CalendarDate(year: 2027, month: 2, day: 11)!
        var statusList: SignedStatusList?
        var seen: UInt32?
        /// The check that must fail, and words its reason must contain.
        let check: String
        let reason: String
    }

    static let rogue = try! TestAuthority.generate(
        notBefore: Fixture.moment(CalendarDate(year: 2025, month: 1, day: 1)!), notAfter: Fixture.moment(CalendarDate(year: 2035, month: 1, day: 1)!))
    static let day = CalendarDate(year: 2027, month: 2, day: 11)!

    static let failing: [Failing] = [
        Failing(description: "a clone without the chip key", state: { state, _ in
            var copy = state
            copy.appletData["chip-key"] = try AgreementKey.random().rawRepresentation
            return copy
        }, check: "chipAuthentication", reason: "token does not match"),
        Failing(description: "one altered byte in the holder file", state: { state, aid in
            try state.editing(file: 2, aid: aid) { content in
                guard case .transparent(var data) = content else { return }
                data[5] ^= 0x01
                content = .transparent(data: data)
            }
        }, check: "dataIntegrity", reason: "does not match its digest"),
        Failing(description: "an altered residence record", state: { state, aid in
            try state.editing(file: 3, aid: aid) { content in
                guard case .records(var file) = content else { return }
                file.records[0][20] ^= 0x01
                content = .records(file)
            }
        }, check: "residence", reason: "signature does not verify"),
        Failing(description: "an endorsement signed by a station no bundle carries", state: { state, _ in
            try await withPermitCard(state: state) { bench in
                let stranger = PermitTerminal.endorsingStation(
                    station: Fixture.kioskStation, masterKeys: Fixture.authority.masterKeys, credential: rogue.kiosk, trust: Fixture.authority.trustStore)
                _ = try await bench.permitCard(stranger).with(clock: .test(day: CalendarDate(year: 2027, month: 2, day: 10)!)).endorse()
                return bench.card.state
            }
        }, check: "endorsements", reason: "no station certificate with key identifier"),
        Failing(description: "a missing security object", state: { state, aid in
            try state.editing(file: 7, aid: aid) { content in content = .transparent(data: [UInt8](repeating: 0, count: 1280)) }
        }, check: "authoritySignature", reason: "cannot be read"),
        Failing(description: "a certificate expired on the verification day", state: { state, _ in state },
                date: CalendarDate(year: 2035, month: 6, day: 1)!, check: "authoritySignature", reason: "is not valid on the verification date"),
        Failing(description: "a listed serial", state: { state, _ in state },
                statusList: Fixture.statusList([try! StatusList.Entry(serial: Fixture.serial(1), status: 3, reason: 0x20, effective: day, statusSequence: 2)], issuedOn: day),
                check: "statusList", reason: "listed with status 03"),
        Failing(description: "a status list older than the profile's maximum age", state: { state, _ in state },
                statusList: Fixture.statusList(issuedOn: CalendarDate(year: 2027, month: 2, day: 1)!), check: "statusList", reason: "10 days old"),
        Failing(description: "a status list with a lower sequence than one already seen", state: { state, _ in state },
                statusList: Fixture.statusList(sequence: 4, issuedOn: day), seen: 5, check: "statusList", reason: "older than status list 5"),
        Failing(description: "a status list signed by a document signer", state: { state, _ in state },
                statusList: try! SignedStatusList.sign(StatusList(suite: .international, issuedOn: day, sequence: 1, entries: []), signer: Fixture.authority.documentSigner),
                check: "statusList", reason: "lacks the statusListSigner role"),
        Failing(description: "a residence record by a revoked station", state: { state, _ in state },
                statusList: try! SignedStatusList.sign(StatusList(suite: .international, issuedOn: day, sequence: 1, entries: [], revoked: [
                    StatusList.Revocation(keyIdentifier: Fixture.authority.issuingStation.publicKey.keyIdentifier, revokedFrom: Fixture.issueDay),
                ]), signer: Fixture.authority.statusListSigner),
                check: "residence", reason: "revoked from 2026-03-01"),
    ]

    @Test("each check of the Python verifier fails on a card, list or day built to fail it", arguments: failing)
    func pythonRejects(_ failing: Failing) async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let state = try await failing.state(issued, try Fixture.profile("zhejiang").card.aid)
        try await withPCSCCard(state: state) { bench in
            let (status, report) = try await Self.runPython(bench, date: failing.date, statusList: failing.statusList, seen: failing.seen)
            let checks = try #require(report["checks"] as? [String: String])
            #expect(status == 1, "\(checks)")
            let verdict = try #require(checks[failing.check], "\(checks)")
            #expect(verdict.hasPrefix("failed") && verdict.contains(failing.reason), "\(failing): \(verdict)")
        }
    }
}
