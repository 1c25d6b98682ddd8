/// How the rules classed an accepted endorsement (签注). The card (EF.ENDORSE), the registry and
/// `permit lifecycle` all record one of these; a refused endorsement has no class and is not recorded.
public enum EndorsementClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// Inside the window `[opens, expiry]`: the expiry moves one validity period on in the same cycle.
    case timely
    /// Late, but within the region's continuity grace: as `timely`, the residence period stays continuous.
    case lateContinuous
    /// Late beyond the grace (Zhejiang: any late endorsement): the residence period restarts on that day;
    /// the validity follows the region's `validityAfterLateReset`.
    case lateReset
}
