import ArgumentParser
import CardFace
import CardPrinter
import Foundation
import PermitCard
import PermitVocabulary

/// `permit print face|stamp`: renders the card's faces or an endorsement stamp and sends it to a CUPS queue
/// (and/or writes the PDF and PNGs). docs/PRINTING.md.
struct PrintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print the card face or an endorsement stamp on a CUPS queue, or write it as PDF and PNG.",
        subcommands: [PrintFaceCommand.self, PrintStampCommand.self])
}

/// Where the artwork goes: a queue, files, or both.
struct PrintDestination: ParsableArguments {
    @Option(help: "CUPS queue of the card printer (lpstat -p lists them).")
    var printer: String?
    @Option(help: "CUPS server: socket path or host[:port]. Default: $CUPS_SERVER, else this machine's CUPS.")
    var cupsServer: String?
    @Option(name: .customLong("option"), help: "Job option for the printer's driver, KEY=VALUE; repeat for more (default media=\(CardPrinter.cardMedia)).")
    var options: [String] = []
    @Option(help: "Seconds a job may take before it is cancelled.")
    var timeout = 60
    @Option(help: "Write the PDF to this file.")
    var pdf: String?
    @Option(help: "Write each page as a 300 dpi PNG: PREFIX-1.png, PREFIX-2.png, ...")
    var png: String?
    @Flag(help: "Answer in JSON.")
    var json = false

    func validate() throws {
        guard printer != nil || pdf != nil || png != nil else {
            throw ValidationError("Say where the artwork goes: --printer QUEUE, --pdf FILE or --png PREFIX.")
        }
        for option in options where !option.contains("=") || option.hasPrefix("=") {
            throw ValidationError("--option: \"\(option)\" is not KEY=VALUE (for example media=CR80).")
        }
        guard timeout > 0 else { throw ValidationError("--timeout: give a positive number of seconds.") }
    }

    /// Writes the files, then prints; a failed print is one sentence and exit status 1 (the files stay).
    func deliver(_ artwork: CardArtwork, what: String) async throws {
        var report: [String: String] = [:]
        var lines: [String] = []
        if let pdf {
            try Data(artwork.pdf()).write(to: URL(fileURLWithPath: pdf))
            report["pdf"] = pdf
            lines.append("Wrote the \(what) to \(pdf).")
        }
        if let png {
            let files = try (0..<artwork.pageCount).map { page in
                let file = "\(png)-\(page + 1).png"
                try Data(artwork.png(page: page)).write(to: URL(fileURLWithPath: file))
                return file
            }
            report["png"] = files.joined(separator: " ")
            lines.append("Wrote \(files.joined(separator: ", ")) (300 dpi).")
        }
        guard let printer else { return CardOutcome.print(report, json: json, text: lines.joined(separator: "\n")) }
        let jobOptions = Dictionary(options.map { option in
            let parts = option.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }, uniquingKeysWith: { $1 })
        let cardPrinter = CardPrinter(queue: printer, server: cupsServer, options: jobOptions, jobTimeout: .seconds(timeout))
        report["queue"] = printer
        let document = try artwork.pdf()
        do {
            let receipt = try await cardPrinter.print(pdf: document, title: artwork.title)
            report["printed"] = "true"
            report["job"] = String(receipt.jobID)
            lines.append("Printed the \(what) on \(printer) (job \(receipt.jobID)).")
            CardOutcome.print(report, json: json, text: lines.joined(separator: "\n"))
        } catch {
            // The sentence goes to standard error (standard output in JSON), exit status 1: the caller
            // records "printed: no" and prints again once the printer is fixed.
            guard json else {
                if !lines.isEmpty { print(lines.joined(separator: "\n")) }
                throw CommandError(error.description)
            }
            report["printed"] = "false"
            report["reason"] = error.description
            CardOutcome.print(report, json: true, text: "")
            throw ExitCode(1)
        }
    }
}

/// `permit print face`: front and back of the card (two pages).
struct PrintFaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "face",
        abstract: "Print the card's front and back.",
        discussion: """
            The values come from a face file (--values: JSON with name, latinName, sex, birthDate, permitNumber, \
            issuingAuthority, address, cardSerial, stamp {anchor, expiry, station, endorsedOn}, photo as base64 or \
            --photo), or from the application file of `permit card issue` with --serial, --expiry and --photo.
            """)

    static let faceHint = "A face file is JSON as in docs/PRINTING.md; dates are YYYY-MM-DD."

    @Option(help: "Face file (JSON, docs/PRINTING.md).")
    var values: String?
    @Option(help: "Application file of `permit card issue`; needs --serial, --expiry and --photo.")
    var application: String?
    @Option(help: "The holder's photo, JPEG or PNG (replaces the face file's photo).")
    var photo: String?
    @Option(help: "With --application: the card's serial, 16 hex digits.")
    var serial: String?
    @Option(help: dateHelp("With --application: last day of the first validity."))
    var expiry: CalendarDate?
    @Option(help: "With --application: the station printed in the validity stamp. Default: the issuing authority.")
    var stationName: String?
    @OptionGroup var destination: PrintDestination

    func validate() throws {
        guard (values == nil) != (application == nil) else {
            throw ValidationError("Give the card's values with either --values FILE or --application FILE.")
        }
        if application != nil {
            guard serial != nil, expiry != nil, photo != nil else {
                throw ValidationError("--application needs --serial HEX, --expiry YYYY-MM-DD and --photo FILE too.")
            }
        }
    }

    func run() async throws {
        let photoBytes = try photo.map { try InputFile.data($0, option: "--photo") }
        var face: CardFaceValues
        if let values {
            face = try InputFile.json(CardFaceValues.self, values, option: "--values", hint: Self.faceHint)
            if let photoBytes { face.photo = photoBytes }
        } else {
            face = try faceFromApplication(photo: photoBytes!)
        }
        try await destination.deliver(try CardArtwork.card(face), what: "card face")
    }

    private func faceFromApplication(photo: Data) throws -> CardFaceValues {
        let file = try InputFile.json(IssueRequest.self, application!, option: "--application",
                                      hint: "It is the application file of `permit card issue` (README.md, \"Card operations\").")
        return CardFaceValues(
            name: file.holder.name, latinName: file.holder.latinName, sex: file.holder.sex, birthDate: file.holder.birthDate,
            permitNumber: file.holder.permitNumber, issuingAuthority: file.holder.issuingAuthority, address: file.address.text,
            cardSerial: serial!, photo: photo,
            stamp: EndorsementStamp(anchor: file.issued, expiry: expiry!, station: stationName ?? file.holder.issuingAuthority, endorsedOn: file.issued))
    }
}

/// `permit print stamp`: the endorsement stamp alone, for the card's rewritable area.
struct PrintStampCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Print an endorsement stamp (new validity, station, date) on the card's rewritable area.")

    @Option(help: "Stamp file (JSON: anchor, expiry, station, endorsedOn).")
    var values: String?
    @Option(help: dateHelp("First day of the new validity."))
    var anchor: CalendarDate?
    @Option(help: dateHelp("Last day of the new validity."))
    var expiry: CalendarDate?
    @Option(help: "The endorsing station as printed (its name).")
    var station: String?
    @Option(help: dateHelp("Day of the endorsement."))
    var endorsedOn: CalendarDate?
    @OptionGroup var destination: PrintDestination

    func validate() throws {
        let given = [anchor != nil, expiry != nil, station != nil, endorsedOn != nil].filter { $0 }.count
        guard (values != nil && given == 0) || (values == nil && given == 4) else {
            throw ValidationError("Give the stamp with --values FILE, or with all of --anchor, --expiry, --station and --endorsed-on.")
        }
    }

    func run() async throws {
        let stamp: EndorsementStamp
        if let values {
            stamp = try InputFile.json(EndorsementStamp.self, values, option: "--values",
                                       hint: "A stamp file is JSON with anchor, expiry, station and endorsedOn (dates as YYYY-MM-DD).")
        } else {
            stamp = EndorsementStamp(anchor: anchor!, expiry: expiry!, station: station!, endorsedOn: endorsedOn!)
        }
        try await destination.deliver(try CardArtwork.stamp(stamp), what: "endorsement stamp")
    }
}
