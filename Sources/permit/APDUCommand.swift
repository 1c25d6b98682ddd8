import ArgumentParser
import Foundation
import SmartCard

/// `permit apdu`: sends APDUs to a card and prints each response and status word.
struct APDUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apdu",
        abstract: "Send command APDUs (hex) to a card and print each response with its status word.",
        discussion: """
        GET RESPONSE (61xx), the corrected Le (6Cxx) and command chaining are handled for you, so each
        line of output is one whole answer. All APDUs are checked before anything is sent. The trace
        (--trace) goes to standard error in the A>>/A<< format described in docs/SMARTCARD.md.
        """)

    @Argument(help: "Command APDUs in hex, e.g. 00A4040C09D1560000994445 4D4F (spaces and colons inside one argument are ignored).")
    var apdus: [String]
    @Option(help: "Reader name, or a unique part of it (default: the first reader with a card).")
    var reader: String?
    @Flag(help: "Print the APDU trace to standard error.")
    var trace = false
    @Flag(help: "The card takes extended length APDUs (otherwise long data is chained).")
    var extended = false
    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        if apdus.isEmpty { throw ValidationError("give at least one APDU in hex") }
    }

    func run() async throws {
        let commands = try APDUInput.parse(apdus)
        let context = PCSCContext()
        do {
            let target = try await context.reader(matching: reader)
            let log = trace ? APDUTrace { line in FileHandle.standardError.write(Data((line + "\n").utf8)) } : nil
            let connection = try await context.connect(target.name, options: ChannelOptions(extendedLength: extended), trace: log)
            var responses: [ResponseAPDU] = []
            do {
                for command in commands {
                    let response = try await connection.send(command)
                    responses.append(response)
                    if !json { print(APDUInput.text(command: command, response: response)) }
                }
            } catch {
                await connection.disconnect()
                throw error
            }
            let atr = try await connection.atr
            await connection.disconnect()
            await context.close()
            if json { print(APDUInput.json(reader: target.name, atr: atr, commands: commands, responses: responses)) }
        } catch let error as PCSCError where error.reader == nil && reader != nil {
            await context.close()
            throw PCSCError(code: error.code, reader: reader, step: error.step)  // name the reader the operator asked for
        } catch {
            await context.close()
            throw error
        }
    }
}
