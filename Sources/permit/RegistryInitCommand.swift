import ArgumentParser
import Registry

struct RegistryInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the registry file, or bring an existing one to the current schema.")
    @OptionGroup var options: RegistryOptions

    func run() throws {
        let registry = try options.open()
        print("Registry ready at \(registry.path) (schema \(try registry.appliedMigrations().joined(separator: ", "))).")
    }
}
