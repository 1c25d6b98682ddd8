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
        reader, where a card such as permit-card connects) and PERMIT_SANDBOX_READER (that reader's name).
        Exits with the command's status.
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = program
        var environment = ProcessInfo.processInfo.environment
        environment["PCSCLITE_CSOCK_NAME"] = sandbox.socketPath
        environment["PERMIT_SANDBOX_VPCD"] = first.vpcdAddress
        environment["PERMIT_SANDBOX_READER"] = first.readerName
        process.environment = environment
        signal(SIGINT, SIG_IGN)  // Ctrl-C reaches the command; we stay to stop pcscd
        let status: Int32
        do {
            try process.run()
            process.waitUntilExit()
            status = process.terminationStatus
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
        throw ExitCode(status)
    }
}
