/// Why a permit was cancelled (注销). Zhejiang's implementing opinion (seed 000) lists five grounds, each
/// cancelled "经有关部门认定后", after a determination; each has a code here, and every one is an officer's.
/// The raw values are what the CLI's `--cancelled DATE:REASON`, the registry and the card store.
public enum CancellationReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// ① The permit was obtained with false documents (提供虚假证明材料取得的).
    case falseDocuments
    /// ② Circumstances changed and the holder no longer qualifies (情况发生变化且不符合发放要求的).
    case lossOfEligibility
    /// ④ The holder converted to a local household registration (已转办为居住地常住户口的).
    case localHukou
    /// ⑤ Another ground in law, regulation or rule (法律、法规、规章规定其他应当注销的情形).
    case otherLegalGround
    /// ③ Overdue past the region's limit without a late endorsement (逾期超过60日未补办签注手续的):
    /// an officer may give it only once the permit is due for cancellation.
    case overdue

    public var description: String { rawValue }

    /// One line for people.
    public var explanation: String {
        switch self {
        case .falseDocuments: return "obtained with false documents"
        case .lossOfEligibility: return "the holder no longer meets the conditions (job, home or study)"
        case .localHukou: return "the holder converted to a local household registration"
        case .otherLegalGround: return "another ground in law or regulation"
        case .overdue: return "overdue beyond the limit without a late endorsement"
        }
    }
}
