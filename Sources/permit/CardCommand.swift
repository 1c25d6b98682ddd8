import ArgumentParser

/// `permit card`: the permit card operations, directly on a reader (CARD-SPEC §10).
struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Issue, read, verify, endorse and change residence-permit cards in a reader.",
        discussion: "Keys and certificates come from an authority directory made by `permit pki init`. See README.md (\"Card operations\").",
        subcommands: [
            CardIssueCommand.self, CardReadCommand.self, CardVerifyCommand.self, CardEndorseCommand.self, CardAddressCommand.self,
            CardSuspendCommand.self, CardRestoreCommand.self, CardCancelCommand.self, CardReplaceCommand.self, CardUnblockPINCommand.self, CardRotateKeysCommand.self,
        ])
}
