/// A failure reported by pcsc-lite: the SCARD_* code, the reader and the step, and a
/// sentence that tells a station operator what happened and what to do.
public struct PCSCError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: Code
    public let reader: String?
    public let step: PCSCStep

    public init(code: Code, reader: String?, step: PCSCStep) {
        self.code = code
        self.reader = reader
        self.step = step
    }

    /// Wraps a pcsc-lite return value; `nil` for SCARD_S_SUCCESS.
    init?(returnValue: Int, reader: String?, step: PCSCStep) {
        let raw = UInt32(truncatingIfNeeded: returnValue)
        guard raw != 0 else { return nil }
        self.init(code: Code(rawValue: raw), reader: reader, step: step)
    }

    /// True when pcscd itself went away: the context must be re-established.
    public var meansServiceLost: Bool {
        switch code {
        case .noService, .serviceStopped, .invalidHandle, .commError, .unknownResourceManager: true
        default: false
        }
    }

    public var description: String {
        let place = reader.map { "Reader '\($0)': " } ?? ""
        return "\(place)\(step.phrase) failed: \(code.meaning) (\(code.name) 0x\(String(code.rawValue, radix: 16, uppercase: true)))."
            + (code.advice.isEmpty ? "" : " \(code.advice)")
    }
}

extension PCSCError {
    /// Every SCARD_* code pcsc-lite 1.9.9 defines (pcsclite.h), plus any value it may add later.
    public enum Code: Hashable, Sendable {
        case internalError, cancelled, invalidHandle, invalidParameter, invalidTarget, noMemory
        case waitedTooLong, insufficientBuffer, unknownReader, timeout, sharingViolation, noSmartcard
        case unknownCard, cantDispose, protocolMismatch, notReady, invalidValue, systemCancelled
        case commError, unknownError, invalidATR, notTransacted, readerUnavailable, shutdown
        case pciTooSmall, readerUnsupported, duplicateReader, cardUnsupported, noService
        case serviceStopped, unsupportedFeature, iccInstallation, iccCreateOrder, dirNotFound
        case fileNotFound, noDir, noFile, noAccess, writeTooMany, badSeek, invalidCHV
        case unknownResourceManager, noSuchCertificate, certificateUnavailable, noReadersAvailable
        case commDataLost, noKeyContainer, serverTooBusy
        case unsupportedCard, unresponsiveCard, unpoweredCard, resetCard, removedCard
        case securityViolation, wrongCHV, chvBlocked, eof, cancelledByUser, cardNotAuthenticated
        case unrecognised(UInt32)

        static let table: [(Code, UInt32, String, String)] = [
            (.internalError, 0x8010_0001, "SCARD_F_INTERNAL_ERROR", "pcscd reported an internal consistency error"),
            (.cancelled, 0x8010_0002, "SCARD_E_CANCELLED", "the wait was cancelled"),
            (.invalidHandle, 0x8010_0003, "SCARD_E_INVALID_HANDLE", "the context or card handle is no longer valid"),
            (.invalidParameter, 0x8010_0004, "SCARD_E_INVALID_PARAMETER", "a parameter could not be interpreted"),
            (.invalidTarget, 0x8010_0005, "SCARD_E_INVALID_TARGET", "registry start-up information is missing or invalid"),
            (.noMemory, 0x8010_0006, "SCARD_E_NO_MEMORY", "not enough memory to complete the command"),
            (.waitedTooLong, 0x8010_0007, "SCARD_F_WAITED_TOO_LONG", "an internal wait timed out"),
            (.insufficientBuffer, 0x8010_0008, "SCARD_E_INSUFFICIENT_BUFFER", "the answer was larger than the buffer for it"),
            (.unknownReader, 0x8010_0009, "SCARD_E_UNKNOWN_READER", "no reader of that name is known to pcscd"),
            (.timeout, 0x8010_000A, "SCARD_E_TIMEOUT", "the time limit expired"),
            (.sharingViolation, 0x8010_000B, "SCARD_E_SHARING_VIOLATION", "another application is using the card exclusively"),
            (.noSmartcard, 0x8010_000C, "SCARD_E_NO_SMARTCARD", "there is no card in the reader"),
            (.unknownCard, 0x8010_000D, "SCARD_E_UNKNOWN_CARD", "the card name is not known"),
            (.cantDispose, 0x8010_000E, "SCARD_E_CANT_DISPOSE", "the card could not be disposed of as requested"),
            (.protocolMismatch, 0x8010_000F, "SCARD_E_PROTO_MISMATCH", "the card does not support the requested protocol"),
            (.notReady, 0x8010_0010, "SCARD_E_NOT_READY", "the reader or card is not ready"),
            (.invalidValue, 0x8010_0011, "SCARD_E_INVALID_VALUE", "a value could not be interpreted"),
            (.systemCancelled, 0x8010_0012, "SCARD_E_SYSTEM_CANCELLED", "the system cancelled the action (log-off or shutdown)"),
            (.commError, 0x8010_0013, "SCARD_F_COMM_ERROR", "communication with pcscd broke down"),
            (.unknownError, 0x8010_0014, "SCARD_F_UNKNOWN_ERROR", "pcscd reported an unknown internal error"),
            (.invalidATR, 0x8010_0015, "SCARD_E_INVALID_ATR", "the card's answer-to-reset is invalid"),
            (.notTransacted, 0x8010_0016, "SCARD_E_NOT_TRANSACTED", "the exchange with the card failed (card moved or not answering)"),
            (.readerUnavailable, 0x8010_0017, "SCARD_E_READER_UNAVAILABLE", "the reader is not available (unplugged or failing)"),
            (.shutdown, 0x8010_0018, "SCARD_P_SHUTDOWN", "the operation was aborted because pcscd is shutting down"),
            (.pciTooSmall, 0x8010_0019, "SCARD_E_PCI_TOO_SMALL", "the protocol control information buffer is too small"),
            (.readerUnsupported, 0x8010_001A, "SCARD_E_READER_UNSUPPORTED", "the reader driver does not meet requirements"),
            (.duplicateReader, 0x8010_001B, "SCARD_E_DUPLICATE_READER", "a reader with that name already exists"),
            (.cardUnsupported, 0x8010_001C, "SCARD_E_CARD_UNSUPPORTED", "the card does not meet requirements"),
            (.noService, 0x8010_001D, "SCARD_E_NO_SERVICE", "pcscd is not running"),
            (.serviceStopped, 0x8010_001E, "SCARD_E_SERVICE_STOPPED", "pcscd stopped"),
            (.unsupportedFeature, 0x8010_001F, "SCARD_E_UNSUPPORTED_FEATURE", "the reader or driver does not support this feature"),
            (.iccInstallation, 0x8010_0020, "SCARD_E_ICC_INSTALLATION", "no primary provider for the card"),
            (.iccCreateOrder, 0x8010_0021, "SCARD_E_ICC_CREATEORDER", "the requested creation order is not supported"),
            (.dirNotFound, 0x8010_0023, "SCARD_E_DIR_NOT_FOUND", "the directory does not exist on the card"),
            (.fileNotFound, 0x8010_0024, "SCARD_E_FILE_NOT_FOUND", "the file does not exist on the card"),
            (.noDir, 0x8010_0025, "SCARD_E_NO_DIR", "the path does not name a directory"),
            (.noFile, 0x8010_0026, "SCARD_E_NO_FILE", "the path does not name a file"),
            (.noAccess, 0x8010_0027, "SCARD_E_NO_ACCESS", "access to the file is denied"),
            (.writeTooMany, 0x8010_0028, "SCARD_E_WRITE_TOO_MANY", "the card ran out of space for the write"),
            (.badSeek, 0x8010_0029, "SCARD_E_BAD_SEEK", "setting the file pointer failed"),
            (.invalidCHV, 0x8010_002A, "SCARD_E_INVALID_CHV", "the PIN is wrong"),
            (.unknownResourceManager, 0x8010_002B, "SCARD_E_UNKNOWN_RES_MNG", "an unrecognised error came from the resource manager"),
            (.noSuchCertificate, 0x8010_002C, "SCARD_E_NO_SUCH_CERTIFICATE", "the certificate does not exist"),
            (.certificateUnavailable, 0x8010_002D, "SCARD_E_CERTIFICATE_UNAVAILABLE", "the certificate cannot be obtained"),
            (.noReadersAvailable, 0x8010_002E, "SCARD_E_NO_READERS_AVAILABLE", "no card reader is connected"),
            (.commDataLost, 0x8010_002F, "SCARD_E_COMM_DATA_LOST", "data was lost in communication with the card"),
            (.noKeyContainer, 0x8010_0030, "SCARD_E_NO_KEY_CONTAINER", "the key container does not exist"),
            (.serverTooBusy, 0x8010_0031, "SCARD_E_SERVER_TOO_BUSY", "pcscd is too busy to complete the operation"),
            (.unsupportedCard, 0x8010_0065, "SCARD_W_UNSUPPORTED_CARD", "the reader cannot talk to this card (answer-to-reset conflict)"),
            (.unresponsiveCard, 0x8010_0066, "SCARD_W_UNRESPONSIVE_CARD", "the card does not answer a reset"),
            (.unpoweredCard, 0x8010_0067, "SCARD_W_UNPOWERED_CARD", "the card is not powered"),
            (.resetCard, 0x8010_0068, "SCARD_W_RESET_CARD", "the card was reset (by another application or a reader error), so its session state is lost"),
            (.removedCard, 0x8010_0069, "SCARD_W_REMOVED_CARD", "the card was removed"),
            (.securityViolation, 0x8010_006A, "SCARD_W_SECURITY_VIOLATION", "access was denied by a security violation"),
            (.wrongCHV, 0x8010_006B, "SCARD_W_WRONG_CHV", "the card did not accept the PIN"),
            (.chvBlocked, 0x8010_006C, "SCARD_W_CHV_BLOCKED", "the PIN is blocked: too many wrong attempts"),
            (.eof, 0x8010_006D, "SCARD_W_EOF", "the end of the card file was reached"),
            (.cancelledByUser, 0x8010_006E, "SCARD_W_CANCELLED_BY_USER", "the user cancelled the action"),
            (.cardNotAuthenticated, 0x8010_006F, "SCARD_W_CARD_NOT_AUTHENTICATED", "no PIN was presented to the card"),
        ]

        public init(rawValue: UInt32) {
            self = Self.table.first { $0.1 == rawValue }?.0 ?? .unrecognised(rawValue)
        }

        public var rawValue: UInt32 {
            if case .unrecognised(let raw) = self { return raw }
            return Self.table.first { $0.0 == self }!.1
        }

        /// The C name, e.g. `SCARD_E_NO_SERVICE`.
        public var name: String {
            if case .unrecognised = self { return "unrecognised PC/SC code" }
            return Self.table.first { $0.0 == self }!.2
        }

        /// What happened, in plain words.
        public var meaning: String {
            if case .unrecognised = self { return "pcsc-lite returned a code this program does not know" }
            return Self.table.first { $0.0 == self }!.3
        }

        /// What the operator can do about it; empty when there is nothing useful to say.
        public var advice: String {
            switch self {
            case .noService, .serviceStopped, .commError:
                "Start pcscd (e.g. systemctl start pcscd); long-running programs reconnect by themselves once it is back."
            case .unknownReader, .readerUnavailable, .noReadersAvailable:
                "Check the reader is plugged in and named as `permit readers` lists it."
            case .noSmartcard, .removedCard:
                "Insert the card and hold it still until the operation ends."
            case .notTransacted, .commDataLost, .unresponsiveCard:
                "Re-seat the card and try again; if it persists the card or reader may be faulty."
            case .sharingViolation:
                "Close the other application using the card, or wait for it to finish."
            case .resetCard:
                "The connection has been re-established: start the card operation again from the beginning."
            case .timeout:
                "Try again; if it persists, check the reader."
            default:
                ""
            }
        }
    }
}
