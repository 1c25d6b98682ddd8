import CardEmulator
import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms

/// Issue 14 finding 5: every `permit` command given bad input answers with one sentence that says what
/// was wrong, where and what to do; a wrong command line gets the usage and exit status 64, a failure
/// while running gets exit status 1 and never the usage; no Swift type name, `Error Domain=` or debug
/// description reaches the person.
@Suite("Every permit command's errors are sentences")
struct CommandErrorTests {
    static let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("cardprofiles").path
    /// The profile fixtures, among them a profile of the national suite.
    static let nationalProfiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CardProfilesTests/Fixtures").path

    /// Files the cases point at, made once: a development authority, a registry, broken inputs.
    actor Workspace {
        static let shared = Workspace()
        private var made: URL?

        func directory() async throws -> URL {
            if let made { return made }
            let directory = ScratchDirectory.make("command-errors")
            let created = try await TestProgram.run(Peers.permit, ["pki", "init", "--out", directory.appendingPathComponent("pki").path, "--keys-in-files"])
            #expect(created.status == 0, "\(created.errors)")
            let registry = try await TestProgram.run(Peers.permit, ["registry", "init", "--db", directory.appendingPathComponent("r.sqlite").path],
                                                     environment: ["PERMIT_PROFILES": CommandErrorTests.profiles])
            #expect(registry.status == 0, "\(registry.errors)")
            let files: [String: Data] = [
                "not-utf8.json": Data([0x7B, 0xFF, 0xFE, 0x7D]),
                "no-name.json": Data(#"{"holder": {}, "address": {}, "issued": "2026-03-01"}"#.utf8),
                "bad-date.json": Data(#"{"holder": {"name": "张伟", "sex": "1", "birthDate": "1990-13-01"}}"#.utf8),
                "not-json.json": Data("holder: 张伟".utf8),
                "bad-check.json": Data(#"{"holder": {"name": "张伟", "sex": "1", "birthDate": "1990-05-17", "citizenID": "110105199005171234"}}"#.utf8),
                "month-13.json": Data(#"{"holder": {"name": "张伟", "sex": "1", "birthDate": "1990-05-17", "citizenID": "110105199013401233"}}"#.utf8),
                "garbage.der": Data("hello".utf8),
                "not-utf8.csv": Data([0x61, 0x2C, 0xFF, 0x0A]),
                "open-quote.csv": Data("a,b\n\"x,y\n".utf8),
                "bad-entry.csv": Data("3301020304050607,lost,30,2026-11-20,3\n".utf8),
                "entries.csv": Data("3301020304050607,replaced,30,2026-11-20,3\n".utf8),
                "token.json": Data(#"{"module": "/usr/lib/softhsm/libsofthsm2.so"}"#.utf8),
            ]
            for (name, data) in files { try data.write(to: directory.appendingPathComponent(name)) }
            made = directory
            return directory
        }
    }

    /// One command line; `$` stands for the workspace directory.
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let status: Int32
        let message: String
        var input = ""

        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        // Readers and APDUs.
        Case(arguments: ["readers", "--limit", "2"], status: 64, message: "--limit only applies with --watch"),
        Case(arguments: ["apdu", "00A4G0"], status: 64, message: "'G' at position 5"),
        Case(arguments: ["apdu", "--reader", "No Such Reader", "00A4000C023F00"], status: 1, message: "No reader named 'No Such Reader'"),
        Case(arguments: ["sandbox", "--devices", "9", "--", "true"], status: 64, message: "--devices must be between 1 and 8"),
        // Card commands: files named on the command line are read before any reader is touched.
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/missing.json"], status: 1,
             message: "--application: cannot open $/missing.json: it is missing or not readable; nothing was written."),
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/not-utf8.json"], status: 1,
             message: "--application: $/not-utf8.json is not UTF-8 text; nothing was written."),
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/not-json.json"], status: 1,
             message: "--application: $/not-json.json is not JSON; nothing was written."),
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/no-name.json"], status: 1,
             message: "--application: $/no-name.json has no \"holder.name\"; nothing was written."),
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/bad-date.json"], status: 1,
             message: "gives \"holder.birthDate\" a value that is not valid: \"1990-13-01\" is not a YYYY-MM-DD date"),
        // Finding 2: the citizen ID is checked (GB 11643) before anything else happens.
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/bad-check.json"], status: 1,
             message: "gives \"holder.citizenID\" a value that is not valid: the citizen ID \"110105199005171234\" fails its check character (expected 3 at the end)"),
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--keys-in-files", "--application", "$/month-13.json"], status: 1,
             message: "the citizen ID \"110105199013401233\" has no valid birth date in characters 7-14 (19901340)"),
        Case(arguments: ["card", "issue", "--pki", "$/pki", "--application", "$/no-name.json", "--serial", "XYZ"], status: 64,
             message: "--serial: \"XYZ\" is not a card serial; write its 16 hexadecimal digits"),
        Case(arguments: ["card", "verify", "--pki", "$/pki", "--keys-in-files", "--status-list", "$/garbage.der"], status: 1,
             message: "--status-list: $/garbage.der is not a signed status list (its 5 bytes are not one); nothing was read from a card."),
        Case(arguments: ["card", "verify", "--pki", "$/pki", "--keys-in-files", "--status-list", "$/missing.der"], status: 1,
             message: "--status-list: cannot open $/missing.der: it is missing or not readable"),
        Case(arguments: ["card", "verify", "--pki", "$/pki"], status: 1,
             message: "has no key configuration for the field verifier (verifier.token.json)"),
        Case(arguments: ["card", "verify", "--pki", "$/pki", "--keys", "$/token.json"], status: 1,
             message: "Cannot use the station's key configuration $/token.json: it has no \"token\"."),
        Case(arguments: ["card", "verify", "--pki", "$/nowhere", "--keys-in-files"], status: 1,
             message: "Cannot use $/nowhere/master-keys.json: it is missing or not readable."),
        Case(arguments: ["card", "read", "--pki", "$/pki", "--keys-in-files", "--reader", "No Such Reader"], status: 1,
             message: "No reader named 'No Such Reader'"),
        Case(arguments: ["card", "read", "--pki", "$/pki", "--role", "mayor"], status: 64, message: "--role"),
        // The national suite: no token offers SM2/SM3/SM4 (docs/CARD-SECURITY.md §16.5).
        Case(arguments: ["card", "verify", "--pki", "$/pki", "--profile", "national-suite", "--profiles", "@national"],
             status: 1, message: "The national (SM2 / SM3 / SM4) suite's keys cannot be kept in a PKCS#11 token: SoftHSM2 and the common HSMs offer no SM2, SM3 or SM4"),
        Case(arguments: ["card", "verify", "--pki", "$/pki", "--keys-in-files", "--profile", "national-suite", "--profiles", "@national",
                         "--reader", "No Such Reader"],
             status: 1, message: "warning: the national suite's keys are read from files: no PKCS#11 token offers SM2, SM3 or SM4"),
        Case(arguments: ["card", "endorse", "--pki", "$/pki", "--endorsement-class", "early"], status: 64,
             message: "The value 'early' is invalid for '--endorsement-class <endorsement-class>'. Please provide one of 'timely', 'lateContinuous' or 'lateReset'."),
        Case(arguments: ["card", "address", "--pki", "$/pki", "--district", "12", "--address", "x", "--since", "2026-01-01"], status: 64,
             message: "--district: \"12\" is not a 6-digit district code"),
        Case(arguments: ["card", "address", "--pki", "$/pki", "--district", "330106", "--address", "x", "--since", "2026-13-01"], status: 64,
             message: "The value '2026-13-01' is invalid for '--since <YYYY-MM-DD>'"),
        Case(arguments: ["card", "suspend", "--pki", "$/pki", "--station", "12"], status: 64, message: "--station: \"12\" is not a 12-digit station code"),
        Case(arguments: ["card", "restore", "--pki", "$/pki", "--test-clock", "yesterday"], status: 64,
             message: "The value 'yesterday' is invalid for '--test-clock <YYYY-MM-DD>'"),
        Case(arguments: ["card", "cancel", "--pki", "$/pki", "--reason", "boredom"], status: 64,
             message: "--reason: \"boredom\" is not a cancellation reason; use one of"),
        Case(arguments: ["card", "replace", "--pki", "$/pki", "--old-reader", "A", "--reason", "stolen"], status: 64,
             message: "The value 'stolen' is invalid for '--reason <reason>'. Please provide one of 'lost', 'damaged' or 'renewed'."),
        Case(arguments: ["card", "unblock-pin", "--pki", "$/pki", "--keys-in-files", "--puk-stdin"], status: 1,
             message: "unblock-pin: the holder's PUK is needed on standard input (--puk-stdin, first line); nothing was written. It is on the holder's PIN letter."),
        // Rules.
        Case(arguments: ["lifecycle", "--profile", "zhejiang", "--issued", "2025-02-30", "--on", "2025-03-01"], status: 64,
             message: "The value '2025-02-30' is invalid for '--issued <YYYY-MM-DD>'"),
        Case(arguments: ["lifecycle", "--profile", "atlantis", "--issued", "2025-02-01", "--on", "2025-03-01"], status: 1, message: "atlantis"),
        // Authority.
        Case(arguments: ["pki", "init", "--out", "$/other"], status: 64, message: "Choose where the keys go: --token MODULE"),
        Case(arguments: ["pki", "init", "--out", "$/other", "--token", "/nonexistent/module.so"], status: 1,
             message: "Cannot load the PKCS#11 module /nonexistent/module.so"),
        Case(arguments: ["pki", "verify", "--dir", "$/nowhere"], status: 1, message: "Cannot use $/nowhere/trust-bundle.pem"),
        Case(arguments: ["pki", "status-list", "--dir", "$/pki", "--keys-in-files", "--entries", "$/bad-entry.csv", "--sequence", "1", "--out", "$/l.der"],
             status: 1, message: "$/bad-entry.csv, line 1: \"lost\" is not suspended, cancelled or replaced; nothing was written."),
        Case(arguments: ["pki", "status-list", "--dir", "$/pki", "--keys-in-files", "--entries", "$/missing.csv", "--sequence", "1", "--out", "$/l.der"],
             status: 1, message: "--entries: cannot open $/missing.csv: it is missing or not readable"),
        Case(arguments: ["pki", "status-list", "--dir", "$/pki", "--entries", "$/entries.csv", "--sequence", "1", "--out", "$/l.der"],
             status: 1, message: "has no key configuration for the authority (authority.token.json)"),
        // Registry.
        Case(arguments: ["registry", "init", "--db", "$/no/such/dir/r.sqlite"], status: 1, message: "Cannot open the registry $/no/such/dir/r.sqlite"),
        Case(arguments: ["registry", "import", "--db", "$/r.sqlite", "--profile", "zhejiang", "$/not-utf8.csv"], status: 1,
             message: "import: $/not-utf8.csv is not UTF-8 text; nothing was written. Export the sheet as \"CSV UTF-8\"."),
        Case(arguments: ["registry", "import", "--db", "$/r.sqlite", "--profile", "zhejiang", "$/missing.csv"], status: 1,
             message: "import: cannot open $/missing.csv: it is missing or not readable"),
        Case(arguments: ["registry", "import", "--db", "$/r.sqlite", "--profile", "zhejiang", "$/open-quote.csv"], status: 1,
             message: "$/open-quote.csv, line 2: a quoted field is never closed"),
        Case(arguments: ["registry", "show", "--db", "$/r.sqlite", "--id-number", "110105199005171233"], status: 1,
             message: "No permit for ID number 110105199005171233 in $/r.sqlite"),
        Case(arguments: ["registry", "show", "--db", "$/r.sqlite", "--serial", "A", "--permit", "1"], status: 64,
             message: "Give exactly one of --serial, --id-number, --permit."),
        Case(arguments: ["registry", "due", "--db", "$/r.sqlite", "--on", "2026-02-30"], status: 64, message: "The value '2026-02-30' is invalid for '--on <YYYY-MM-DD>'"),
        Case(arguments: ["registry", "sweep", "--db", "$/r.sqlite", "--on", "soon"], status: 64, message: "The value 'soon' is invalid for '--on <YYYY-MM-DD>'"),
    ]

    /// What never belongs in a message a person reads.
    static let forbidden = [
        "Error Domain", "NSCocoaErrorDomain", "DecodingError", "CodingKeys", "debugDescription", "Debug description", "PermitCardError",
        "CardSecurityError", "KeyCustodyError", "PKCS11Error", "RegistryError", "CardDataError", "SmartCardError", "PCSCError",
        "PKIError", "Optional(",
    ]

    @Test(arguments: cases)
    func badInput(_ command: Case) async throws {
        let directory = try await Workspace.shared.directory().path
        let arguments = command.arguments.map {
            $0.replacingOccurrences(of: "$", with: directory).replacingOccurrences(of: "@national", with: Self.nationalProfiles)
        }
        // A lease keeps pcscd from being restarted by another test while the command may talk to it.
        let run = try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { _ in
            try await TestProgram.run(Peers.permit, arguments, environment: [
                "PERMIT_PROFILES": CommandErrorTests.profiles, "SOFTHSM2_CONF": SoftHSMTokens.freshEnvironment()["SOFTHSM2_CONF"]!,
            ], input: Data(command.input.utf8))
        }
        let message = command.message.replacingOccurrences(of: "$", with: directory)
        #expect(run.status == command.status, "\(run.errors)")
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(run.errors.split(separator: "\n").contains { $0.hasPrefix("Error: ") }, "\(run.errors)")
        #expect(run.errors.contains("Usage:") == (command.status == 64), "usage banner: \(run.errors)")
        for text in Self.forbidden { #expect(!run.errors.contains(text), "\(text) in: \(run.errors)") }
        #expect(run.output.isEmpty, "\(run.output)")
    }

    /// Finding 6: a card pulled while it worked on a command was reported as "not a valid response …
    /// got 0 bytes … the card is faulty".
    @Test func aCardPulledDuringACommandIsSaidToBePulled() async throws {
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let context = PCSCContext()
            let link = VPCDLink(card: EmulatedCard(state: .demo()), configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
            link.setFaultPlan(FaultPlan(removal: .afterAPDU(2)))
            link.start()
            let run: TestProgram.Result
            do {
                try await link.waitUntilConnected()
                try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true)
                run = try await TestProgram.run(Peers.permit, ["apdu", "--reader", slot.readerName, "00A4000C023F00", "00A4000C022F01", "00B0000004"])
            } catch {
                try? await link.stop()
                throw error
            }
            #expect(run.status == 1)
            #expect(run.errors.contains("got no answer at all: the card was pulled or lost power while the command ran"), "\(run.errors)")
            #expect(!run.errors.contains("faulty"))
            try await link.stop()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
        }
    }

    /// Finding 5: `--status-list <(…)` (a pipe) failed with a Foundation permission error; a pipe is read
    /// like a file, so the command goes on to the reader.
    @Test func aStatusListThroughAPipeIsRead() async throws {
        let directory = try await Workspace.shared.directory().path
        let list = directory + "/piped-list.der"
        let signed = try await TestProgram.run(Peers.permit, [
            "pki", "status-list", "--dir", directory + "/pki", "--keys-in-files", "--entries", directory + "/entries.csv",
            "--sequence", "1", "--test-clock", "2026-03-01", "--out", list,
        ])
        #expect(signed.status == 0, "\(signed.errors)")
        let run = try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { _ in
            try await TestProgram.run("/bin/bash", ["-c", """
                "$0" card verify --pki "$1/pki" --keys-in-files --reader 'No Such Reader' --status-list <(cat "$2")
                """, Peers.permit, directory, list], environment: ["PERMIT_PROFILES": CommandErrorTests.profiles])
        }
        #expect(run.status == 1)
        #expect(run.errors.contains("No reader named 'No Such Reader'"), "\(run.errors)")
        #expect(!run.errors.contains("--status-list"), "\(run.errors)")
    }
}
