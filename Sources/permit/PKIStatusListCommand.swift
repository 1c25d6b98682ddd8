import ArgumentParser
import CardSecurity
import Foundation
import ISO7816
import KeyCustody

/// `permit pki status-list`: signs the list of cards that are not in force, for field verifiers to carry
/// offline (docs/CARD-SECURITY.md §11).
struct PKIStatusListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status-list",
        abstract: "Sign a status list (suspended, cancelled, replaced cards; revoked certificates) with the authority's status-list signer.",
        discussion: """
            --entries is a CSV file with one card per line: serial (16 hex digits), status (suspended, \
            cancelled or replaced), reason (the two-digit EF.STATUS code, CARD-SPEC.md §5.5), the day it \
            took effect (YYYY-MM-DD) and the status sequence of the change (the card's EF.STATUS count: the \
            sequence the station wrote, or would have written, for it), for example: \
            3301020304050607,replaced,30,2026-11-20,3. A line `revoked,KEYID,YYYY-MM-DD` revokes the \
            certificate whose key identifier (16 hex digits) is KEYID from that day on. Lines starting with # \
            and a first line starting with "serial" are skipped.
            """)

    @Option(help: "The authority directory (as written by `permit pki init`).")
    var dir: String
    @Option(help: "CSV file of the listed cards.")
    var entries: String
    @Option(help: "Sequence number of this list; raise it with every list published.")
    var sequence: UInt32
    @OptionGroup var clockOption: TestClockOption
    @Option(help: "Time zone of the day of issue (today on the station's clock there).")
    var timeZone: String = "Asia/Shanghai"
    @Option(help: "File to write the signed list to.")
    var out: String
    @Option(help: ArgumentHelp("The authority's key configuration (its token). Default: authority.token.json in --dir.", valueName: "FILE"))
    var keys: String?
    @Flag(help: "Sign with the development key file in --dir instead of the authority's token.")
    var keysInFiles = false

    func validate() throws {
        guard TimeZone(identifier: timeZone) != nil else {
            throw ValidationError("--time-zone: \"\(timeZone)\" is not an IANA time zone (for example Asia/Shanghai).")
        }
    }

    func run() throws {
        let directory = PKIDirectory(url: URL(fileURLWithPath: dir, isDirectory: true))
        // The day of issue is today on the station's clock: the command's one clock reading.
        let clock = try clockOption.clock { try directory.trustStore() }
        let issued = StationCalendar(timeZone: TimeZone(identifier: timeZone)!, clock: clock).today
        let text = try InputFile.text(entries, option: "--entries", hint: "Write one card per line: serial,status,reason,YYYY-MM-DD,sequence.")
        let (listed, revoked) = try Self.parse(text, file: entries)
        let signer = try directory.stationKeys(.authority, keys: keys, inFiles: keysInFiles).credential(.statusListSigner)
        let list = try SignedStatusList.sign(
            StatusList(suite: .international, issuedOn: issued, sequence: sequence, entries: listed, revoked: revoked), signer: signer)
        try SecretFile.write(Data(list.encoded), to: URL(fileURLWithPath: out), mode: 0o644)
        print("Status list \(sequence) of \(issued): \(listed.count) card(s), \(revoked.count) revoked certificate(s), signed by \(signer.certificate.subject), written to \(out)")
    }

    static let statusCodes: [String: UInt8] = ["suspended": 0x02, "cancelled": 0x03, "replaced": 0x04]

    /// The entries and revocations of the CSV text; an error names the file, the line and what to write instead.
    static func parse(_ text: String, file: String) throws -> (entries: [StatusList.Entry], revoked: [StatusList.Revocation]) {
        var result: [StatusList.Entry] = []
        var revoked: [StatusList.Revocation] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || (index == 0 && line.lowercased().hasPrefix("serial")) { continue }
            func fail(_ problem: String) -> PKIError { .badEntry(file, line: index + 1, problem) }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.first == "revoked" {
                guard fields.count == 3 else { throw fail("a revocation is revoked,KEYID,YYYY-MM-DD, not \(fields.count) fields") }
                guard let identifier = Hex.decode(fields[1]), identifier.count == 8 else {
                    throw fail("\"\(fields[1])\" is not a 16-digit hex key identifier")
                }
                guard let from = CalendarDate(iso: fields[2]) else { throw fail("\"\(fields[2])\" is not a calendar date") }
                revoked.append(try StatusList.Revocation(keyIdentifier: identifier, revokedFrom: from))
                continue
            }
            guard fields.count == 5 else { throw fail("\(fields.count) fields instead of 5 (serial,status,reason,YYYY-MM-DD,sequence)") }
            guard let serial = try? CardSerial(hex: fields[0]) else { throw fail("\"\(fields[0])\" is not a 16-digit hex serial") }
            guard let status = statusCodes[fields[1]] else {
                throw fail("\"\(fields[1])\" is not suspended, cancelled or replaced")
            }
            guard fields[2].count == 2, let reason = UInt8(fields[2], radix: 16) else {
                throw fail("\"\(fields[2])\" is not a two-digit reason code")
            }
            guard let effective = CalendarDate(iso: fields[3]) else { throw fail("\"\(fields[3])\" is not a calendar date") }
            guard let statusSequence = UInt16(fields[4]), statusSequence > 0 else {
                throw fail("\"\(fields[4])\" is not a status sequence (1-65535)")
            }
            result.append(try StatusList.Entry(serial: serial, status: status, reason: reason, effective: effective, statusSequence: statusSequence))
        }
        return (result, revoked)
    }
}
