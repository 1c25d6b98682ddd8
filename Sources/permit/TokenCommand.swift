import ArgumentParser
import Foundation
import Registry

/// `permit token`: bearer tokens of the daemon's local API, kept (hashed) in the registry file.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make, list and revoke the bearer tokens of the station daemon's local API.",
        discussion: "Run on the station as the daemon's user (it writes the registry file). Roles: officer (everything), kiosk (the presented card and its self-endorsement), verifier (read only). See docs/STATION.md.",
        subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])
}

struct TokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make a token; its secret is printed once on standard output and never kept.")
    @OptionGroup var options: RegistryOptions
    @Option(help: "What the token may do: officer, kiosk or verifier.") var role: APIRole
    @Option(help: "Who or what holds it, e.g. \"desk 1\" (unique; named in the audit log).") var name: String

    func run() throws {
        let (token, secret) = try options.open().createToken(name: name, role: role, actor: options.actor)
        print(secret)
        FileHandle.standardError.write(Data("Token \"\(token.name)\" (\(token.role.rawValue)) made. Its secret is shown only this once: give it to its holder now (PERMIT_TOKEN).\n".utf8))
    }
}

struct TokenListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every token (never their secrets).")
    @OptionGroup var options: RegistryOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let tokens = try options.open().tokens()
        if json {
            struct Row: Encodable { let name, role, created, createdBy: String; let revoked, revokedBy: String? }
            let rows = tokens.map { Row(name: $0.name, role: $0.role.rawValue, created: $0.createdAt, createdBy: $0.createdBy, revoked: $0.revokedAt, revokedBy: $0.revokedBy) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        if tokens.isEmpty { print("No tokens; make one with `permit token create --role officer --name NAME`.") }
        for token in tokens {
            let state = token.revokedAt.map { "revoked \($0) by \(token.revokedBy ?? "?")" } ?? "live"
            print("\(token.name)\t\(token.role.rawValue)\tmade \(token.createdAt) by \(token.createdBy)\t\(state)")
        }
    }
}

struct TokenRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: the daemon refuses it from the next request on.")
    @OptionGroup var options: RegistryOptions
    @Argument(help: "The token's name.") var name: String

    func run() throws {
        let token = try options.open().revokeToken(name: name, actor: options.actor)
        print("Token \"\(token.name)\" (\(token.role.rawValue)) revoked.")
    }
}

extension APIRole: ExpressibleByArgument {}
