import CardSecurity

/// What SELECT alone tells about a card (1 APDU): which card, how far its issuance got, its status.
public struct CardInspection: Sendable {
    public enum Phase: Sendable, Hashable {
        /// Initialised by the card bureau, nothing personalised: ready to issue.
        case blank
        /// Personalisation started but not finalised: never valid; resume or restart the issuance.
        case incomplete(chipKey: Bool, cardInfo: Bool, status: Bool)
        /// Finalised: a permit card.
        case issued
    }

    public let serial: CardSerial
    public let phase: Phase
    public let fci: ApplicationFCI

    /// The newest status record, once one exists.
    public var newestStatus: StatusRecord? { fci.newestStatus.flatMap { try? StatusRecord.decode($0) } }
}

extension PermitCard {
    /// Recognises the card: product (ATR, AID), serial, phase of issuance.
    public func inspect() async throws(PermitCardError) -> CardInspection {
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.select()
            return CardInspection(serial: try Self.serial(of: fci), phase: try Self.phase(of: fci), fci: fci)
        }
    }

    static func phase(of fci: ApplicationFCI) throws(PermitCardError) -> CardInspection.Phase {
        if fci.isOperational { return .issued }
        let info: CardInfo
        do throws(CardDataError) { info = try CardInfo(decoding: fci.cardInfo) } catch { throw .malformedCard(error) }
        let chipKey = fci.chipKeyFile.map { $0.contains { $0 != 0 } } ?? false
        let personalised = info.personalisation != nil
        let status = fci.newestStatus != nil
        return chipKey || personalised || status ? .incomplete(chipKey: chipKey, cardInfo: personalised, status: status) : .blank
    }
}
