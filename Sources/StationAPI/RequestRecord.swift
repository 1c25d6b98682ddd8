import Foundation
import Registry

/// What one request did, filled in as it passes the layers (who, which operation, which card) and
/// written to the audit log when it ends. Bound to the request's task.
final class RequestRecord: @unchecked Sendable {
    @TaskLocal static var current: RequestRecord?

    let path: String
    private let lock = NSLock()
    private var _actor = "-"
    private var _role: APIRole?
    private var _act: String?
    private var _card: String?

    init(path: String) {
        self.path = path
    }

    func authenticated(as token: APIToken) {
        lock.withLock {
            _actor = token.name
            _role = token.role
        }
    }

    func operation(_ id: String) { lock.withLock { _act = id } }
    func card(_ serial: String) { lock.withLock { _card = serial } }

    var actor: String { lock.withLock { _actor } }
    var role: APIRole? { lock.withLock { _role } }
    var act: String? { lock.withLock { _act } }
    var cardSerial: String? { lock.withLock { _card } }
}
