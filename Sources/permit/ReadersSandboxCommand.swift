import ArgumentParser
import Foundation
import PCSCSandbox

/// `permit sandbox -- CMD...`: runs a command against a private pcscd with virtual readers,
/// then stops it. The command finds the daemon through PCSCLITE_CSOCK_NAME and the first
/// reader's vpcd port through PERMIT_SANDBOX_VPCD (for `permit-card --vpcd`).
struct ReadersSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a command with a private pcscd and virtual (vpcd) readers, never touching the system's pcscd.",
        discussion: """
        The command sees PCSCLITE_CSOCK_NAME (the private socket), PERMIT_SANDBOX_VPCD (HOST:PORT of the first
        reader, where a card such as permit-card connects), PERMIT_SANDBOX_READER (that reader's name), and
        PERMIT_SANDBOX_VPCDS and PERMIT_SANDBOX_READERS (every reader's HOST:PORT and name, in order; the names
        separated by newlines).
        The command starts with default signal handling; TERM, INT and HUP sent to the sandbox are passed on to
        it, and the sandbox stops its pcscd once the command has ended. Exits with the command's status
        (128 + N when signal N ended it).
        """)

    @Option(help: "Virtual reader devices (two readers each).")
    var devices = 1
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).")
    var command: [String]

    /// The command without the `--` that separates it from our options.
    private var program: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func validate() throws {
        if program.isEmpty { throw ValidationError("give a command to run, e.g. permit sandbox -- permit readers") }
        if !(1...8).contains(devices) { throw ValidationError("--devices must be between 1 and 8") }
    }

    func run() async throws {
        let sandbox = PCSCSandbox(devices: devices, namePrefix: "PermitStation Sandbox")
        try await sandbox.start()
        let first = await sandbox.slots[0]
        FileHandle.standardError.write(Data("sandbox: private pcscd at \(sandbox.socketPath); card slot '\(first.readerName)' at \(first.vpcdAddress)\n".utf8))
        var environment = ProcessInfo.processInfo.environment
        environment["PCSCLITE_CSOCK_NAME"] = sandbox.socketPath
        environment["PERMIT_SANDBOX_VPCD"] = first.vpcdAddress
        environment["PERMIT_SANDBOX_READER"] = first.readerName
        let slots = await sandbox.slots
        environment["PERMIT_SANDBOX_VPCDS"] = slots.map(\.vpcdAddress).joined(separator: " ")
        environment["PERMIT_SANDBOX_READERS"] = slots.map(\.readerName).joined(separator: "\n")
        let status: Int32
        do {
            status = try await SandboxChild.run(program, environment: environment)
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
        throw ExitCode(status)
    }
}
