import ArgumentParser

/// The officer's command line. Each subcommand lives in its own file, grouped by layer.
@main
struct Permit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permit",
        abstract: "PermitStation: readers, cards, lifecycle rules and the station registry.",
        subcommands: [
            // Add each subcommand here (one line each, keep this list sorted by area).
            ReadersCommand.self,
            APDUCommand.self,
            ReadersSandboxCommand.self,
            CardCommand.self,
            LifecycleCommand.self,
            PKICommand.self,
            RegistryCommand.self,
        ]
    )
}
