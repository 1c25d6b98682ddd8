/// Why a permit's card is replaced by a new one (补领 / 换领). The old card is voided (EF.STATUS) and the
/// registry records the replacement with the same word.
public enum ReplacementReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The card was lost (补领).
    case lost
    /// The card was damaged (换领).
    case damaged
    /// The card was exchanged for a new one for another reason, e.g. a full endorsement file (换领).
    case renewed
}
