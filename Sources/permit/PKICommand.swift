import ArgumentParser

/// `permit pki`: the authority's keys and certificates.
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Keys and certificates: create a test authority for demos and tests, check one, sign status lists.",
        discussion: "See README.md (\"Keys and certificates\") and docs/CARD-SECURITY.md.",
        subcommands: [PKIInitCommand.self, PKIVerifyCommand.self, PKIStatusListCommand.self])
}
