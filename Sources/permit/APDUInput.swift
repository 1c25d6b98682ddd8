import ArgumentParser
import Foundation
import SmartCard

/// Reading `permit apdu`'s arguments and printing its answers.
enum APDUInput {
    /// Every argument must be a valid APDU before anything goes to the card.
    static func parse(_ arguments: [String]) throws -> [CommandAPDU] {
        try arguments.enumerated().map { index, text in
            do {
                return try CommandAPDU(hex: text)
            } catch {
                throw ValidationError("APDU \(index + 1) ('\(text)') is not a valid command APDU: \(error). Nothing was sent.")
            }
        }
    }

    static func text(command: CommandAPDU, response: ResponseAPDU) -> String {
        let data = response.data.isEmpty ? "" : response.data.hexString + " "
        return "\(command.bytes.hexString) -> \(data)\(response.statusWord)"
    }

    static func json(reader: String, atr: [UInt8], commands: [CommandAPDU], responses: [ResponseAPDU]) -> String {
        struct Exchange: Encodable {
            let command: String
            let data: String
            let sw: String
            let meaning: String
        }
        struct Output: Encodable {
            let reader: String
            let atr: String
            let responses: [Exchange]
        }
        let exchanges = zip(commands, responses).map { command, response in
            Exchange(command: command.bytes.hexString, data: response.data.hexString,
                     sw: [response.statusWord.sw1, response.statusWord.sw2].hexString, meaning: response.statusWord.meaning)
        }
        return ReadersOutput.encode(Output(reader: reader, atr: atr.hexString, responses: exchanges))
    }
}
