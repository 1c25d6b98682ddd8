import ArgumentParser
import Lifecycle
import PermitCard

/// `permit card endorse`: appends a signed endorsement, classified by the region's rules unless given.
struct CardEndorseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endorse", abstract: "Endorse the permit (timely or late), as a station desk or a kiosk.")

    @OptionGroup var options: CardOptions
    @Flag(help: "Act as a self-service kiosk (kiosk certificate) instead of an endorsing desk.")
    var kiosk = false
    @Flag(help: "Read the holder's PIN from standard input (needed where the profile requires it).")
    var pinStdin = false
    @Option(help: "Class decided elsewhere (with --anchor and --expiry). Default: by the rules.")
    var endorsementClass: EndorsementClass?
    @Option(help: dateHelp("Residence-period anchor after the endorsement (with --endorsement-class)."))
    var anchor: CalendarDate?
    @Option(help: dateHelp("Expiry after the endorsement (with --endorsement-class)."))
    var expiry: CalendarDate?

    func validate() throws {
        _ = try decision()
    }

    /// The class given on the command line, or the rules'.
    private func decision() throws -> EndorsementDecision {
        guard let endorsementClass else {
            guard anchor == nil, expiry == nil else { throw ValidationError("--anchor and --expiry go with --endorsement-class.") }
            return .byRules
        }
        guard let anchor, let expiry else { throw ValidationError("--endorsement-class needs --anchor and --expiry.") }
        return .given(endorsementClass, anchor: anchor, expiry: expiry)
    }

    func run() async throws {
        let decision = try decision()
        let pin = try PINInput.read(enabled: pinStdin)
        let record = try await options.withCard(kiosk ? .kiosk : .endorsing) { card in
            try await card.endorse(decision: decision, pin: pin)
        }
        CardOutcome.print(
            ["number": String(record.number), "class": record.endorsementClass.rawValue, "endorsedOn": record.endorsedOn.description,
             "anchor": record.anchor.description, "expiry": record.expiry.description],
            json: options.json,
            text: "Endorsement \(record.number) (\(record.endorsementClass.rawValue)) on \(record.endorsedOn): residence period from \(record.anchor), valid until \(record.expiry).")
    }
}
