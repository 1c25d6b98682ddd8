import Registry

/// Who asks for an act: a token's name and role, or the daemon itself (reconciliation, the journal).
public struct Agent: Sendable, Hashable {
    public var name: String
    public var role: APIRole?

    public init(name: String, role: APIRole?) {
        self.name = name
        self.role = role
    }

    /// The daemon acting by itself.
    public static let daemon = Agent(name: "permitd", role: nil)

    /// The audit entry of an act on `card` that ended with `outcome`.
    func audit(_ act: String, card: String?, outcome: String, detail: String? = nil) -> AuditRecord {
        AuditRecord(actor: name, role: role, act: act, card: card, outcome: outcome, detail: detail)
    }
}
