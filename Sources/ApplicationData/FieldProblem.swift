/// One thing wrong with one field of an application or a holder's data: the field as an application
/// file and the API name it (`holder.birthDate`, `address.text`) and a sentence saying what is wrong and
/// what to do. Its description is one sentence a person can act on.
public struct FieldProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    /// What is wrong and what to do, starting lower case: it follows the field's name.
    public let problem: String

    public init(_ field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field) \(problem)" }
}
