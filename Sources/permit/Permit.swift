import ArgumentParser
import Foundation

/// The officer's command line. Each subcommand lives in its own file, grouped by layer.
@main
struct Permit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permit",
        abstract: "PermitStation: readers, cards, lifecycle rules and the station registry.",
        discussion: "Exit status: 0 done, 1 the command ran and failed (one sentence on stderr says why), 64 the command line is wrong (with the usage).",
        subcommands: [
            // Add each subcommand here (one line each, keep this list sorted by area).
            ReadersCommand.self,
            APDUCommand.self,
            ReadersSandboxCommand.self,
            CardCommand.self,
            LifecycleCommand.self,
            PKICommand.self,
            RegistryCommand.self,
            TokenCommand.self,
            AuditCommand.self,
            StationCommand.self,
            DueCommand.self,
            PrintCommand.self,
        ]
    )

    /// A wrong command line (caught while parsing, validating, or by a `ValidationError` a command throws
    /// once it has looked closer at its arguments) gets the usage and exit status 64; any other failure
    /// while the command runs gets one sentence and exit status 1, never the usage.
    static func main() async {
        let command: any ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as ValidationError {
            exit(withError: error)
        } catch {
            exit(withError: RuntimeFailure(error))
        }
    }
}

/// A failure while a command ran, told as the sentence a person reads.
struct RuntimeFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = Self.sentence(error)
    }

    /// Our errors say what, where and what to do in their descriptions; Foundation's are reduced to
    /// their localized text, so no "Error Domain=…" or Swift type name reaches the person.
    static func sentence(_ error: any Error) -> String {
        switch error {
        case is DecodingError: "The data read is not in the expected format; nothing was written. Check the file the command was given."
        case let error as CocoaError: "\(error.localizedDescription) Nothing was written; check the file and try again."
        case let error as CustomStringConvertible: error.description
        default: "\(error.localizedDescription) Nothing was written."
        }
    }
}
