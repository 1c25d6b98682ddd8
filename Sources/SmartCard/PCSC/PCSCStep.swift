/// The step of a PC/SC exchange that failed, named as an operator would say it.
public enum PCSCStep: String, Sendable, CaseIterable {
    case establishContext
    case listReaders
    case readerStatus
    case waitForEvents
    case connect
    case reconnect
    case beginTransaction
    case endTransaction
    case transmit
    case getResponse
    case commandChaining
    case disconnect

    public var phrase: String {
        switch self {
        case .establishContext: "connecting to pcscd"
        case .listReaders: "listing readers"
        case .readerStatus: "reading the reader status"
        case .waitForEvents: "waiting for reader and card events"
        case .connect: "connecting to the card"
        case .reconnect: "reconnecting to the card"
        case .beginTransaction: "starting a transaction"
        case .endTransaction: "ending a transaction"
        case .transmit: "sending an APDU"
        case .getResponse: "fetching the rest of a response (GET RESPONSE)"
        case .commandChaining: "sending chained command data"
        case .disconnect: "disconnecting from the card"
        }
    }
}
