import ArgumentParser
import Foundation
import Registry

/// `permit audit`: the hash-chained log of every API request and card operation.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log's hash chain.", subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every entry of the audit log: an edited, deleted or reordered entry is named. Exit status 1 if any is found.",
        discussion: "Note the head it prints (SEQUENCE:HASH) somewhere else; giving it back with --head also detects entries cut from the end.")
    @OptionGroup var options: RegistryOptions
    @Option(help: "A head noted earlier (SEQUENCE:HASH): the log must still hold that entry unchanged.") var head: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let head, AuditHead(head) == nil {
            throw ValidationError("--head: \"\(head)\" is not SEQUENCE:HASH (a number, a colon and 64 hex digits), as `permit audit verify` prints it.")
        }
    }

    func run() throws {
        let result = try options.open().verifyAudit(expectedHead: head.flatMap(AuditHead.init))
        if json {
            let document: [String: Any] = ["intact": result.isIntact, "entries": result.entries,
                                           "head": result.head?.description ?? NSNull(), "problems": result.problems.map(\.description)]
            print(String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self))
        } else if result.isIntact {
            print("Audit log intact: \(result.entries) entries" + (result.head.map { "; head \($0)" } ?? "") + ".")
        } else {
            print("Audit log BROKEN (\(result.entries) entries):")
            for problem in result.problems { print("  \(problem)") }
        }
        if !result.isIntact { throw ExitCode(1) }
    }
}
